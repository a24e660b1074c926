import type { Context, MiddlewareHandler } from 'hono';

/**
 * Upstream's Flows service mounts its API without the gateway's `/api/orchestration` prefix
 * (`/v2/workflows`, `/workflows`, `/_info`, …), and clients that talk to the service directly use
 * those paths. We serve them by re-dispatching the request to the prefixed path, so auth, limits
 * and input guards apply exactly as they do there.
 *
 * `/workflows`, `/instances` and `/triggers` are also console pages: a browser navigation to them
 * (GET or HEAD asking for HTML) still gets the console.
 */
const SERVICE_PATH = /^\/(?:v2(?:\/|$)|_info\/?$|(?:workflows|instances|triggers)(?:\/|$))/;

export const API_PREFIX = '/api/orchestration';

/** A page load in a browser rather than an API call. */
export function isBrowserNavigation(c: Context): boolean {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return false;
  if (c.req.header('sec-fetch-mode') === 'navigate') return true;
  return (c.req.header('accept') ?? '').includes('text/html');
}

export function servicePaths(dispatch: (request: Request, env: unknown) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    if (!SERVICE_PATH.test(c.req.path) || isBrowserNavigation(c)) return next();
    const url = new URL(c.req.url);
    url.pathname = `${API_PREFIX}${url.pathname}`;
    const raw = c.req.raw;
    const init: RequestInit & { duplex?: 'half' } = { method: raw.method, headers: raw.headers, signal: raw.signal };
    if (raw.body) {
      init.body = raw.body;
      init.duplex = 'half';
    }
    return dispatch(new Request(url, init), c.env);
  };
}
