import type { Hono } from 'hono';

/**
 * The routes that must be open with AUTH_CLIENTS, written out here on purpose rather than taken
 * from auth.ts: a test built on this list fails when the server opens anything more.
 */
const EXPECTED_OPEN = /^\/api\/(orchestration\/(v2\/)?_info|auth\/(oauth\/token|session|methods))$/;

/** Every concrete /api route `app` registers that must require credentials, params filled with `x`. */
export function protectedApiRoutes(app: Hono): (readonly [method: string, path: string])[] {
  return app.routes
    .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.includes('*'))
    .map((r) => [r.method, r.path.replace(/:[^/]+/g, 'x')] as const)
    .filter(([, path]) => !EXPECTED_OPEN.test(path));
}
