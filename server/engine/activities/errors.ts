import { SandboxError } from '../../sandbox/errors.js';
import type { StageServices } from '../../sandbox/services.js';
import { ActivityError, StageError, type StageContext } from '../types.js';

/**
 * How a failed remote call is classified (docs/compatibility.md: remote calls that fail).
 *
 * Upstream fails the stage at once only on VALIDATION, CONFLICT, NO_SCRIPT and
 * COMPILATION_FAILED and retries everything else forever — including unknown wallets, payments
 * and ledgers, which then spin until someone aborts. We take bug #21's "fail fast" option: every
 * 4xx answer other than INSUFFICIENT_FUND fails the stage with the service's message (an unknown
 * wallet/payment is not going to appear by retrying); INSUFFICIENT_FUND is retried with back-off
 * until funds arrive (upstream's contract); anything unexpected (5xx, database trouble) is
 * retried too.
 */
export function toActivityError(err: unknown): ActivityError | StageError {
  if (err instanceof ActivityError || err instanceof StageError) return err;
  if (err instanceof SandboxError) {
    if (err.code === 'INSUFFICIENT_FUND') return new ActivityError(err.message, true, err.code, err);
    if (err.status < 500) return new ActivityError(err.message, false, err.code, err);
    return new ActivityError(err.message, true, err.code, err);
  }
  return new ActivityError(err instanceof Error ? err.message : String(err), true, 'INTERNAL');
}

/** Runs a sandbox call, turning its failures into activity errors. */
export async function remote<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toActivityError(err);
  }
}

/** The services stages act on: the embedded sandbox, or a simulation's overlay of it. */
export function sandboxOf(ctx: StageContext): StageServices {
  const sandbox = ctx.deps.sandbox;
  if (!sandbox) throw new StageError('no ledger, wallets or payments service is available to this engine');
  return sandbox;
}
