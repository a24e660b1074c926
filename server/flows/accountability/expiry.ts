import type { Logger } from '../../lib/log.js';
import type { Approvals } from './approvals.js';

/** How often the server looks for approval requests past their time (the shortest expiry is 1m). */
export const EXPIRY_SWEEP_MS = 15_000;

/**
 * Records each approval request's expiry in the audit log (docs/accountability.md): a sweep at
 * start, then every `intervalMs`, until `signal` aborts. Each sweep claims what it records
 * (Approvals.expireDue), so any number of servers on one database record an expiry once.
 * `ready` says whether there is a store to sweep (remote mode opens its own on first use only).
 */
export function sweepExpiredApprovals(approvals: Approvals, opts: { signal: AbortSignal; log: Logger; ready?: () => boolean; intervalMs?: number }): void {
  let running = false;
  const sweep = async () => {
    if (running || opts.signal.aborted || (opts.ready && !opts.ready())) return;
    running = true;
    try {
      const expired = await approvals.expireDue();
      if (expired.length) opts.log.info('approval requests expired', { count: expired.length });
    } catch (err) {
      // The next sweep tries again; a request reads expired from its time on meanwhile.
      if (!opts.signal.aborted) opts.log.warn('approval expiry sweep failed', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), opts.intervalMs ?? EXPIRY_SWEEP_MS);
  timer.unref();
  opts.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  void sweep();
}
