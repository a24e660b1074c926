import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Access } from '../../common/roles.js';
import type { Subject, TokenIssuer, VerifiedToken } from './auth.js';
import type { RecordSessionEvent } from './sign-in-audit.js';

/**
 * The console's sign-in (backend-for-frontend) when `AUTH_CLIENTS` is set, mounted at `/api/auth`
 * next to the token endpoint. These routes are open (no bearer needed):
 *
 * * `POST /session` `{clientId, clientSecret}` (a client of `AUTH_CLIENTS`) or `{username,
 *   password}` (a person of `AUTH_USERS`), JSON: checks the credentials like the token endpoint
 *   (constant time; scrypt for passwords) and sets an **HttpOnly**, `SameSite=Strict`, `Path=/`
 *   cookie holding a token of the same issuer and lifetime (`Secure` when the request came over
 *   https: a TLS socket, or `X-Forwarded-Proto: https` from a TLS-terminating proxy — a client
 *   lying about it only makes its own browser drop the cookie). Answers the session (SessionInfo);
 *   the token itself is never in a body. Wrong credentials → 401 `UNAUTHORIZED`, no cookie; a
 *   malformed body → 400 `VALIDATION` naming the field. Sign-ins that succeed and those refused
 *   for their credentials are recorded in the audit log (sign-in-audit.ts; never the password);
 *   a success is recorded before the cookie is set, and is refused (503) if it cannot be.
 * * `GET /session` → the session for a valid cookie, else 401 `UNAUTHORIZED`.
 * * `DELETE /session` → 204, clears the cookie (recorded in the audit log).
 * * `GET /methods` → `{clients, users}`: which sign-ins the sign-in screen offers (client
 *   credentials of `AUTH_CLIENTS`, name and password of `AUTH_USERS`); names nobody.
 *
 * `authMiddleware` accepts the cookie on `/api/*` when a request has no `Authorization` header.
 * CSRF: the cookie is `SameSite=Strict` (never sent from another site), and the Origin /
 * `Sec-Fetch-Site` checks of security.ts refuse unsafe methods from any other origin — including
 * another port of the same host, which counts as the same site. Sign-in needs a JSON body, which a
 * cross-origin page cannot send without a CORS preflight this server never grants.
 */

export const SESSION_COOKIE = 'flows_console_session';

/** Who is signed in, as answered to the console (never the token). */
export interface SessionInfo {
  kind: 'client' | 'user';
  /** the client id or the person's name */
  name: string;
  /** their role, or `full` for an entry without one (common/roles.ts) */
  access: Access;
  /** RFC 3339 */
  expiresAt: string;
  /** a client's id (as before people could sign in) */
  clientId?: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** set by authMiddleware when the request was authenticated by the session cookie */
    consoleSession: SessionInfo | undefined;
    /** set by the sign-in and sign-out routes: who tried (for the audit log) */
    sessionSubject: Subject | undefined;
  }
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

export function sessionInfo(token: Pick<VerifiedToken, 'kind' | 'name' | 'access' | 'expiresAt'>): SessionInfo {
  const info: SessionInfo = { kind: token.kind, name: token.name, access: token.access, expiresAt: rfc3339(token.expiresAt) };
  if (token.kind === 'client') info.clientId = token.name;
  return info;
}

/** The session cookie's value, if the request carries one. */
export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}

function cameOverHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

const CLIENT_FIELDS = ['clientId', 'clientSecret'] as const;
const USER_FIELDS = ['username', 'password'] as const;

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

export type SignIn = { kind: 'client'; clientId: string; clientSecret: string } | { kind: 'user'; username: string; password: string };

/** The sign-in body, or the problem (naming the field) that makes it unusable. */
export function parseSignIn(contentType: string | undefined, text: string): SignIn | { problem: string } {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { problem: `Content-Type: expected application/json, got ${type ? show(type) : 'none'}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: 'request body: invalid JSON' };
  }
  const expected = 'expected a JSON object {"clientId", "clientSecret"} or {"username", "password"}';
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { problem: `request body: ${expected}` };
  const b = body as Record<string, unknown>;
  const fields = 'username' in b || 'password' in b ? USER_FIELDS : CLIENT_FIELDS;
  for (const field of fields) {
    const v = b[field];
    if (v === undefined || v === null) return { problem: `${field}: required` };
    if (typeof v !== 'string') return { problem: `${field}: expected a string` };
    if (v === '') return { problem: `${field}: must not be empty` };
  }
  const unknown = Object.keys(b).find((k) => !(fields as readonly string[]).includes(k));
  if (unknown !== undefined) return { problem: `${show(unknown)}: unknown field (${expected})` };
  return fields === USER_FIELDS
    ? { kind: 'user', username: b.username as string, password: b.password as string }
    : { kind: 'client', clientId: b.clientId as string, clientSecret: b.clientSecret as string };
}

function noStore(c: Context) {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
}

function unauthorized(c: Context, errorMessage: string) {
  noStore(c);
  return c.json({ errorCode: 'UNAUTHORIZED', errorMessage }, 401);
}

/** `POST|GET|DELETE /session`, to mount at `/api/auth` (with the same issuer as authMiddleware). */
export function sessionRoutes(issuer: TokenIssuer, record?: RecordSessionEvent): Hono {
  const app = new Hono();
  const cookieOptions = (c: Context) => ({ httpOnly: true, sameSite: 'Strict' as const, path: '/', secure: cameOverHttps(c) });

  app.post('/session', async (c) => {
    const parsed = parseSignIn(c.req.header('content-type'), await c.req.text());
    if ('problem' in parsed) {
      noStore(c);
      return c.json({ errorCode: 'VALIDATION', errorMessage: parsed.problem }, 400);
    }
    const subject: Subject = parsed.kind === 'user' ? { kind: 'user', name: parsed.username } : { kind: 'client', name: parsed.clientId };
    c.set('sessionSubject', subject);
    const ok = parsed.kind === 'user' ? await issuer.checkUser(parsed.username, parsed.password) : issuer.checkClient(parsed.clientId, parsed.clientSecret);
    if (!ok) {
      const errorMessage = parsed.kind === 'user' ? 'wrong name or password' : 'wrong client id or secret';
      await record?.(c, { action: 'session.signIn', subject, outcome: { outcome: 'refused', status: 401, errorCode: 'UNAUTHORIZED', errorMessage } }).catch(
        (err: unknown) => {
          console.error('audit log: cannot record a refused sign-in:', err instanceof Error ? err.message : String(err));
        },
      );
      return unauthorized(c, errorMessage);
    }
    try {
      await record?.(c, { action: 'session.signIn', subject, access: issuer.accessOf(subject), outcome: { outcome: 'succeeded', status: 200 } });
    } catch (err) {
      console.error('audit log: cannot record a sign-in, refusing it:', err instanceof Error ? err.message : String(err));
      noStore(c);
      return c.json({ errorCode: 'INTERNAL', errorMessage: 'the audit log cannot record this sign-in right now: try again' }, 503);
    }
    const { token, expiresIn, expiresAt } = issuer.issue(subject);
    setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), maxAge: expiresIn });
    noStore(c);
    return c.json(sessionInfo({ ...subject, access: issuer.accessOf(subject)!, expiresAt }));
  });

  app.get('/session', (c) => {
    const token = sessionCookie(c);
    if (!token) return unauthorized(c, 'not signed in');
    const result = issuer.verify(token);
    if (!result.ok) {
      // A dead cookie is of no use to anyone: drop it.
      deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
      return unauthorized(c, result.reason === 'expired' ? 'the session expired: sign in again' : 'the session is not valid: sign in again');
    }
    noStore(c);
    return c.json(sessionInfo(result.token));
  });

  app.delete('/session', async (c) => {
    const token = sessionCookie(c);
    const signedIn = token ? issuer.verify(token) : undefined;
    if (signedIn?.ok) {
      const subject = { kind: signedIn.token.kind, name: signedIn.token.name };
      c.set('sessionSubject', subject);
      await record?.(c, { action: 'session.signOut', subject, access: signedIn.token.access, outcome: { outcome: 'succeeded', status: 204 } }).catch((err: unknown) => {
        console.error('audit log: cannot record a sign-out:', err instanceof Error ? err.message : String(err));
      });
    }
    deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
    noStore(c);
    return c.body(null, 204);
  });

  app.get('/methods', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(issuer.signInMethods());
  });

  app.all('/session', (c) => {
    c.header('Allow', 'DELETE, GET, HEAD, POST');
    return c.json({ errorCode: 'VALIDATION', errorMessage: `method ${c.req.method} is not allowed on ${c.req.path}: use DELETE, GET, HEAD, POST` }, 405);
  });
  return app;
}
