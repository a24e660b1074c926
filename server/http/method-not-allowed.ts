import type { Hono } from 'hono';

/**
 * For the API's fallback: the methods the app's routes accept on `path`, so a known path called
 * with the wrong method gets 405 with `Allow` (as upstream does) rather than 404.
 */
export function allowedMethods(app: Hono, path: string): string[] {
  const allowed = new Set<string>();
  for (const route of compiled(app)) {
    if (route.method !== 'ALL' && route.pattern.test(path)) allowed.add(route.method);
  }
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort();
}

const cache = new WeakMap<Hono, { method: string; pattern: RegExp }[]>();

function compiled(app: Hono) {
  let routes = cache.get(app);
  if (!routes) {
    routes = app.routes.filter((r) => !r.path.includes('*')).map((r) => ({ method: r.method, pattern: toRegExp(r.path) }));
    cache.set(app, routes);
  }
  return routes;
}

/** Hono route paths (`/v2/workflows/:workflowID`) → anchored patterns; a trailing slash is tolerated. */
function toRegExp(path: string): RegExp {
  const body = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
    .replace(/\/$/, '');
  return new RegExp(`^${body}/?$`);
}
