import type { Context, MiddlewareHandler } from 'hono';
import { addVary } from './content-encoding.js';

/**
 * Upstream's Flows service mounts its API without the gateway's `/api/orchestration` prefix
 * (`/v2/workflows`, `/workflows`, `/_info`, …), and clients that talk to the service directly use
 * those paths. We serve them by re-dispatching the request to the prefixed path, so auth, limits
 * and input guards apply exactly as they do there.
 *
 * `/workflows`, `/instances` and `/triggers` are also console pages: a browser navigation to them
 * (GET or HEAD asking for HTML) still gets the console. Both answers say `Vary: Accept,
 * Sec-Fetch-Mode`, so a cache in front never hands the page to an API client or the reverse.
 */
const SERVICE_PATH = /^\/(?:v2(?:\/|$)|_info\/?$|(?:workflows|instances|triggers)(?:\/|$))/;

export const API_PREFIX = '/api/orchestration';

/** A page load in a browser rather than an API call. */
export function isBrowserNavigation(c: Context): boolean {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return false;
  if (c.req.header('sec-fetch-mode') === 'navigate') return true;
  return (c.req.header('accept') ?? '').includes('text/html');
}

/** The request headers `isBrowserNavigation` reads. */
const NAVIGATION_HEADERS = ['Accept', 'Sec-Fetch-Mode'];

/** `res` with `Vary` naming the navigation headers (a copy when its headers are immutable, as a fetch's are). */
function varyOnNavigation(res: Response): Response {
  try {
    addVary(res.headers, ...NAVIGATION_HEADERS);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    addVary(copy.headers, ...NAVIGATION_HEADERS);
    return copy;
  }
}

export function servicePaths(dispatch: (request: Request, env: unknown) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    if (!SERVICE_PATH.test(c.req.path)) return next();
    if (isBrowserNavigation(c)) {
      await next();
      c.res = varyOnNavigation(c.res);
      return;
    }
    const url = new URL(c.req.url);
    url.pathname = `${API_PREFIX}${url.pathname}`;
    const raw = c.req.raw;
    const init: RequestInit & { duplex?: 'half' } = { method: raw.method, headers: raw.headers, signal: raw.signal };
    if (raw.body) {
      init.body = raw.body;
      init.duplex = 'half';
    }
    return varyOnNavigation(await dispatch(new Request(url, init), c.env));
  };
}
