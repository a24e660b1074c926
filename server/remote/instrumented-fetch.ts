import type { Metrics } from '../lib/metrics.js';

/**
 * Remote mode: every call the server makes to the stack (proxied API calls, health checks, token
 * requests) timed and counted by API and status, and its failures by reason. Labels come from a
 * fixed list, never from the URL itself.
 */
const APIS = ['orchestration', 'ledger', 'wallets', 'payments', 'auth'] as const;

export function instrumentedFetch(metrics: Metrics, tokenUrl: () => string | undefined, inner?: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const isToken = url === tokenUrl();
    const api = isToken ? 'token' : apiOf(url);
    const t0 = performance.now();
    try {
      const res = await (inner ?? fetch)(input, init);
      metrics.remoteRequests.observe({ api, status: String(res.status) }, (performance.now() - t0) / 1000);
      if (isToken && !res.ok) metrics.remoteErrors.inc({ reason: 'token' });
      else if (res.status >= 500) metrics.remoteErrors.inc({ reason: 'status' });
      return res;
    } catch (err) {
      metrics.remoteRequests.observe({ api, status: 'error' }, (performance.now() - t0) / 1000);
      const name = err instanceof Error ? err.name : '';
      // The client going away is not the stack's failure.
      if (name !== 'AbortError') metrics.remoteErrors.inc({ reason: name === 'TimeoutError' ? 'timeout' : isToken ? 'token' : 'unreachable' });
      throw err;
    }
  };
}

function apiOf(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return 'other';
  }
  if (/\/api\/orchestration\/_info\/?$/.test(path)) return 'info';
  const m = /\/api\/([a-z]+)(?:\/|$)/.exec(path);
  return m && (APIS as readonly string[]).includes(m[1]!) ? m[1]! : 'other';
}
