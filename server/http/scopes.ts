/**
 * OAuth2 scopes, as the Formance stack checks them: reads (`GET`, `HEAD`, `OPTIONS`, `TRACE`)
 * need `<service>:read` or `<service>:write`; every other method needs `<service>:write`. The
 * official SDKs ask for exactly the scope of each operation (`orchestration:read`,
 * `ledger:write`, …), so a token narrowed to some scopes works for those operations only.
 *
 * A token without a `scope` claim (the client asked for none, or the console's own session) is
 * the client's full access.
 */

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** The service whose scopes guard a path under /api, most specific first. */
const SERVICES: [RegExp, string][] = [
  [/^\/api\/orchestration(?:\/|$)/, 'orchestration'],
  [/^\/api\/ledger(?:\/|$)/, 'ledger'],
  [/^\/api\/wallets(?:\/|$)/, 'wallets'],
  [/^\/api\/payments(?:\/|$)/, 'payments'],
  // The console's own endpoints: sandbox payments are payments; the rest (event types, trigger
  // preview, published events, console info) belong to orchestration.
  [/^\/api\/console\/payments(?:\/|$)/, 'payments'],
  [/^\/api\/console(?:\/|$)/, 'orchestration'],
];

/** POSTs that only read (evaluate a trigger on a sample, dry-runs and backtests; nothing is stored). */
const READ_ONLY_POSTS = /^\/api\/console\/(?:triggers\/preview|simulations\/(?:workflow|trigger))\/?$/;

/** The scopes that each allow the request (any one suffices), or undefined when none apply. */
export function acceptedScopes(method: string, path: string): string[] | undefined {
  const service = SERVICES.find(([pattern]) => pattern.test(path))?.[1];
  if (!service) return undefined;
  const reads = READ_METHODS.has(method.toUpperCase()) || (method.toUpperCase() === 'POST' && READ_ONLY_POSTS.test(path));
  return reads ? [`${service}:read`, `${service}:write`] : [`${service}:write`];
}

/** Whether a token's `scope` claim (space-separated; absent = full access) allows the request. */
export function scopeAllows(tokenScope: string | undefined, method: string, path: string): boolean {
  if (tokenScope === undefined) return true;
  const accepted = acceptedScopes(method, path);
  if (!accepted) return true;
  const granted = new Set(tokenScope.split(/\s+/).filter(Boolean));
  return accepted.some((s) => granted.has(s));
}
