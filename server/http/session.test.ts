import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { startTestServer } from '../test/harness.js';
import { capturedLogs } from '../test/logs.js';
import { protectedApiRoutes } from '../test/routes.js';
import { hashPassword } from '../lib/password.js';
import { TokenIssuer } from './auth.js';
import { rawRequest, type RawResponse } from './raw-request.js';
import { parseSignIn, SESSION_COOKIE } from './session.js';

// The console's sign-in (session.ts): a cookie session for the browser, next to bearer tokens.

type Server = Awaited<ReturnType<typeof startTestServer>>;
const SECRET = 'console-secret-5b1e77';
const KEY = 'session-test-signing-key-0123456789abcdef';
let server: Server;
let port: number;

const ALICE_PASSWORD = 'alice-password-9e2f';

beforeAll(async () => {
  // A cheap scrypt cost: the hash's own parameters are what the server checks with.
  const aliceHash = await hashPassword(ALICE_PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
  server = await startTestServer({ AUTH_CLIENTS: `console:${SECRET},other:other-secret`, AUTH_USERS: `alice:${aliceHash}:operator`, AUTH_SIGNING_KEY: KEY });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.close();
});

const JSON_TYPE = { 'content-type': 'application/json' };

function signIn(body: unknown, headers: Record<string, string> = {}, url = server.url) {
  return rawRequest(url, '/api/auth/session', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { ...JSON_TYPE, ...headers } });
}

function setCookies(r: RawResponse): string[] {
  const v = r.headers['set-cookie'];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `name=value` of the session cookie set by `r` (fails the test when there is none). */
function sessionCookieOf(r: RawResponse): string {
  const cookie = setCookies(r).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(cookie, `Set-Cookie of ${r.status} ${r.text}`).toBeDefined();
  return cookie!.split(';')[0]!;
}

async function signedIn(id = 'console', secret = SECRET): Promise<string> {
  const r = await signIn({ clientId: id, clientSecret: secret });
  expect(r.status, r.text).toBe(200);
  return sessionCookieOf(r);
}

/** A session cookie this server's key signed, `ageMs` ago, living `ttl` seconds. */
function forgedCookie(ttl: number, ageMs: number, id = 'console'): string {
  const token = new TokenIssuer([{ id, secret: SECRET }], Buffer.from(KEY, 'utf8'), ttl, () => Date.now() - ageMs).issue(id).token;
  return `${SESSION_COOKIE}=${token}`;
}

const wf = (name: string) => JSON.stringify({ name, stages: [{ noop: {} }] });
const sameOrigin = () => ({ origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' });

async function workflowNames(cookie: string): Promise<string[]> {
  const r = await rawRequest(server.url, '/api/orchestration/workflows', { headers: { cookie } });
  expect(r.status).toBe(200);
  return r.json().data.map((w: { config: { name: string } }) => w.config.name);
}

describe('POST /api/auth/session (sign in)', () => {
  it('sets an HttpOnly SameSite=Strict cookie, answers who and until when, never the token', async () => {
    const before = Date.now();
    const r = await signIn({ clientId: 'console', clientSecret: SECRET }, sameOrigin());
    expect(r.status, r.text).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    expect(Object.keys(body).sort()).toEqual(['access', 'clientId', 'expiresAt', 'kind', 'name']);
    expect(body).toMatchObject({ kind: 'client', name: 'console', access: 'full' });
    expect(body.clientId).toBe('console');
    expect(body.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);

    const cookies = setCookies(r);
    expect(cookies).toHaveLength(1);
    const attributes = cookies[0]!.split(';').map((a) => a.trim());
    const [nameValue, ...flags] = attributes;
    const token = nameValue!.slice(SESSION_COOKIE.length + 1);
    expect(nameValue!.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=3600']));
    expect(flags).not.toContain('Secure'); // plain http
    expect(flags.some((f) => /^Domain=/i.test(f))).toBe(false);
    expect(r.text).not.toContain(token);
    expect(r.text).not.toContain(SECRET);
    // a token of the same issuer: what the cookie carries is exactly a bearer token
    const bearer = await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(200);
  });

  it('the cookie authorizes the API: reads, writes, and who is signed in', async () => {
    const cookie = await signedIn();
    const list = await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(list.json().cursor).toBeDefined();
    const created = await rawRequest(server.url, '/api/orchestration/v2/workflows', {
      method: 'POST',
      body: wf('via-cookie'),
      headers: { ...JSON_TYPE, ...sameOrigin(), cookie },
    });
    expect(created.status, created.text).toBe(201);
    expect(await workflowNames(cookie)).toContain('via-cookie');

    const who = await rawRequest(server.url, '/api/auth/session', { headers: { cookie } });
    expect(who.status).toBe(200);
    expect(who.json()).toEqual({ kind: 'client', name: 'console', access: 'full', clientId: 'console', expiresAt: expect.stringMatching(/Z$/) });
    expect(who.headers['cache-control']).toBe('no-store');
    // console info tells the header who is signed in — only for a cookie session
    const info = await rawRequest(server.url, '/api/console/info', { headers: { cookie } });
    expect(info.json().session).toEqual(who.json());
    const token = cookie.split('=')[1]!;
    const viaBearer = await rawRequest(server.url, '/api/console/info', { headers: { authorization: `Bearer ${token}` } });
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.json().session).toBeUndefined();
    expect(viaBearer.text).not.toContain(token);
  });

  it('marks the cookie Secure when the request came over https (TLS-terminating proxy)', async () => {
    const r = await signIn({ clientId: 'console', clientSecret: SECRET }, { 'x-forwarded-proto': 'https' });
    expect(r.status).toBe(200);
    expect(
      setCookies(r)[0]!
        .split(';')
        .map((a) => a.trim()),
    ).toContain('Secure');
  });

  it.each([
    ['a wrong secret', { clientId: 'console', clientSecret: `${SECRET}x` }],
    ['a secret prefix', { clientId: 'console', clientSecret: SECRET.slice(0, -1) }],
    ['an unknown client', { clientId: 'nobody', clientSecret: SECRET }],
    ['another client’s secret', { clientId: 'other', clientSecret: SECRET }],
    ['another client’s id with this secret', { clientId: 'console', clientSecret: 'other-secret' }],
  ])('refuses %s: 401 UNAUTHORIZED, no cookie', async (_what, creds) => {
    const r = await signIn(creds);
    expect(r.status).toBe(401);
    expect(r.json()).toEqual({ errorCode: 'UNAUTHORIZED', errorMessage: expect.stringMatching(/client id or secret/) });
    expect(setCookies(r)).toEqual([]);
    expect(r.text).not.toContain(SECRET);
  });

  it.each([
    ['no clientId', { clientSecret: SECRET }, /^clientId: required/],
    ['a null clientId', { clientId: null, clientSecret: SECRET }, /^clientId: required/],
    ['an empty clientId', { clientId: '', clientSecret: SECRET }, /^clientId: must not be empty/],
    ['a numeric clientId', { clientId: 42, clientSecret: SECRET }, /^clientId: expected a string/],
    ['no clientSecret', { clientId: 'console' }, /^clientSecret: required/],
    ['an empty clientSecret', { clientId: 'console', clientSecret: '' }, /^clientSecret: must not be empty/],
    ['an object clientSecret', { clientId: 'console', clientSecret: { value: SECRET } }, /^clientSecret: expected a string/],
    ['an unknown field', { clientId: 'console', clientSecret: SECRET, remember: true }, /^"remember": unknown field/],
    ['an array body', [SECRET], /^request body: expected a JSON object/],
    ['a JSON string body', JSON.stringify('x'), /^request body: expected a JSON object/],
    ['invalid JSON', '{"clientId": "console", ', /^request body: invalid JSON/],
    ['an empty body', '', /^request body: invalid JSON/],
  ])('refuses %s: 400 VALIDATION naming the field, no cookie', async (_what, body, message) => {
    const r = await signIn(body);
    expect(r.status, r.text).toBe(400);
    expect(r.json()).toEqual({ errorCode: 'VALIDATION', errorMessage: expect.stringMatching(message) });
    expect(setCookies(r)).toEqual([]);
    expect(r.text).not.toContain(SECRET);
  });

  it('refuses a form-encoded body (400 naming Content-Type): sign-in takes JSON only', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const r = await rawRequest(server.url, '/api/auth/session', { method: 'POST', body: `clientId=console&clientSecret=${SECRET}`, headers: { 'content-type': type } });
      expect(r.status, type).toBe(400);
      expect(r.json().errorMessage, type).toMatch(/^Content-Type: expected application\/json/);
      expect(setCookies(r)).toEqual([]);
    }
    const none = await rawRequest(server.url, '/api/auth/session', { method: 'POST', body: JSON.stringify({ clientId: 'console', clientSecret: SECRET }) });
    expect(none.status).toBe(400);
    expect(none.json().errorMessage).toMatch(/^Content-Type: .*none/);
  });

  it('answers other methods with 405 and Allow', async () => {
    const r = await rawRequest(server.url, '/api/auth/session', { method: 'PUT', body: '{}', headers: JSON_TYPE });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toMatch(/POST/);
  });

  it('is not served without AUTH_CLIENTS (and a cookie there opens nothing)', async () => {
    const open = await startTestServer();
    try {
      expect((await signIn({ clientId: 'console', clientSecret: SECRET }, {}, open.url)).status).toBe(404);
      expect((await rawRequest(open.url, '/api/auth/session')).status).toBe(404);
      expect((await rawRequest(open.url, '/api/auth/methods')).status).toBe(404);
      const info = await rawRequest(open.url, '/api/console/info', { headers: { cookie: forgedCookie(60, 0) } });
      expect(info.status).toBe(200);
      expect(info.json().session).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});

describe('people (AUTH_USERS)', () => {
  it('GET /api/auth/methods says which sign-ins the console offers, without a session', async () => {
    const r = await rawRequest(server.url, '/api/auth/methods');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ clients: true, users: true });
  });

  it('a person signs in with name and password: the session names them and their role; the audit log names the person', async () => {
    const r = await signIn({ username: 'alice', password: ALICE_PASSWORD });
    expect(r.status, r.text).toBe(200);
    expect(r.json()).toEqual({ kind: 'user', name: 'alice', access: 'operator', expiresAt: expect.any(String) });
    const cookie = sessionCookieOf(r);
    expect((await rawRequest(server.url, '/api/auth/session', { headers: { cookie } })).json()).toMatchObject({ kind: 'user', name: 'alice', access: 'operator' });
    expect((await rawRequest(server.url, '/api/console/me', { headers: { cookie } })).json()).toEqual({
      kind: 'user',
      name: 'alice',
      label: 'alice',
      access: 'operator',
    });
    // An operator runs, and may not create workflows (403 naming the role).
    const refused = await rawRequest(server.url, '/api/orchestration/v2/workflows', {
      method: 'POST',
      body: wf('by-alice'),
      headers: { ...JSON_TYPE, ...sameOrigin(), cookie, 'x-request-id': 'alice-create-1' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json().errorMessage).toMatch(/Needs the admin role/);
    const log = await rawRequest(server.url, '/api/console/audit?requestId=alice-create-1', { headers: { cookie } });
    expect(log.json().cursor.data).toEqual([expect.objectContaining({ actor: { kind: 'user', name: 'alice', access: 'operator', via: 'session' } })]);
  });

  it('a wrong password and an unknown name get the same answer, which says not which part was wrong', async () => {
    const wrong = await signIn({ username: 'alice', password: 'not-her-password' });
    const unknown = await signIn({ username: 'nobody', password: ALICE_PASSWORD });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.json()).toEqual({ errorCode: 'UNAUTHORIZED', errorMessage: 'wrong name or password' });
      expect(setCookies(r)).toEqual([]);
    }
  });
});

describe('GET /api/auth/session', () => {
  it('401 UNAUTHORIZED without a cookie, and for a dead one (which it clears)', async () => {
    const none = await rawRequest(server.url, '/api/auth/session');
    expect(none.status).toBe(401);
    expect(none.json()).toEqual({ errorCode: 'UNAUTHORIZED', errorMessage: 'not signed in' });
    expect(setCookies(none)).toEqual([]);

    const expired = await rawRequest(server.url, '/api/auth/session', { headers: { cookie: forgedCookie(60, 120_000) } });
    expect(expired.status).toBe(401);
    expect(expired.json().errorMessage).toMatch(/expired/);
    expect(setCookies(expired)[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));

    const forged = await rawRequest(server.url, '/api/auth/session', { headers: { cookie: `${SESSION_COOKIE}=${forgedCookie(60, 0).split('=')[1]}x` } });
    expect(forged.status).toBe(401);
    expect(forged.json().errorMessage).toMatch(/not valid/);
  });
});

describe('DELETE /api/auth/session (sign out)', () => {
  it('clears the cookie with the same attributes; the browser is signed out', async () => {
    const cookie = await signedIn();
    const r = await rawRequest(server.url, '/api/auth/session', { method: 'DELETE', headers: { ...sameOrigin(), cookie } });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    const cleared = setCookies(r);
    expect(cleared).toHaveLength(1);
    const [nameValue, ...flags] = cleared[0]!.split(';').map((a) => a.trim());
    expect(nameValue).toBe(`${SESSION_COOKIE}=`);
    expect(flags).toEqual(expect.arrayContaining(['Max-Age=0', 'Path=/', 'HttpOnly', 'SameSite=Strict']));
    // what the browser sends next: no cookie → signed out
    expect((await rawRequest(server.url, '/api/auth/session')).status).toBe(401);
    expect((await rawRequest(server.url, '/api/orchestration/v2/workflows')).status).toBe(401);
  });

  it('works without a session too (idempotent)', async () => {
    const r = await rawRequest(server.url, '/api/auth/session', { method: 'DELETE' });
    expect(r.status).toBe(204);
  });

  it('refuses a cross-origin sign-out (403, cookie kept)', async () => {
    const cookie = await signedIn();
    const r = await rawRequest(server.url, '/api/auth/session', { method: 'DELETE', headers: { origin: 'https://evil.example', cookie } });
    expect(r.status).toBe(403);
    expect(setCookies(r)).toEqual([]);
  });
});

describe('the session cookie on /api/*', () => {
  it('an expired, forged or foreign cookie is refused on every protected route (401, no body)', async () => {
    const expired = forgedCookie(60, 120_000);
    const tampered = `${SESSION_COOKIE}=${forgedCookie(60, 0).split('=')[1]!.slice(0, -2)}AA`;
    const foreignKey = `${SESSION_COOKIE}=${new TokenIssuer([{ id: 'console', secret: SECRET }], Buffer.alloc(32, 9), 60).issue('console').token}`;
    const removedClient = forgedCookie(60, 0, 'ghost');
    const routes = protectedApiRoutes(createApp(server.ctx));
    expect(routes.length).toBeGreaterThan(20);
    for (const [method, path] of routes) {
      for (const cookie of [expired, tampered, foreignKey, removedClient, `${SESSION_COOKIE}=garbage`, `${SESSION_COOKIE}=`]) {
        const headers: Record<string, string> = { ...JSON_TYPE, ...sameOrigin(), cookie };
        const r = await rawRequest(server.url, path, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }) });
        expect(r.status, `${method} ${path} ${cookie.slice(0, 40)}`).toBe(401);
        expect(r.text).toBe('');
        expect(r.headers['content-type']).toBeUndefined();
      }
    }
  });

  it('an expired cookie says so in the Bearer challenge', async () => {
    const r = await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { cookie: forgedCookie(60, 120_000) } });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/error="invalid_token".*expired/);
    // the same token but still alive works: only the clock refused it
    expect((await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { cookie: forgedCookie(60, 30_000) } })).status).toBe(200);
  });

  it('expires on time for real (AUTH_TOKEN_TTL=1)', async () => {
    const short = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}`, AUTH_TOKEN_TTL: '1' });
    try {
      const r = await signIn({ clientId: 'console', clientSecret: SECRET }, {}, short.url);
      expect(r.status).toBe(200);
      expect(setCookies(r)[0]).toMatch(/Max-Age=1(;|$)/);
      const cookie = sessionCookieOf(r);
      expect((await rawRequest(short.url, '/api/orchestration/v2/workflows', { headers: { cookie } })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect((await rawRequest(short.url, '/api/orchestration/v2/workflows', { headers: { cookie } })).status).toBe(401);
      expect((await rawRequest(short.url, '/api/auth/session', { headers: { cookie } })).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('bearer behaviour is unchanged: a present Authorization header decides, whatever the cookie', async () => {
    const cookie = await signedIn();
    const path = '/api/orchestration/v2/workflows';
    for (const authorization of ['Bearer nonsense', `Basic ${Buffer.from(`console:${SECRET}`).toString('base64')}`, 'Bearer', `Token ${cookie.split('=')[1]}`]) {
      const r = await rawRequest(server.url, path, { headers: { cookie, authorization } });
      expect(r.status, authorization).toBe(401);
      expect(r.text).toBe('');
      expect(r.headers['content-type']).toBeUndefined();
      expect(r.headers['www-authenticate']).toMatch(/^Bearer realm="flows-console", error="(invalid_token|invalid_request)"/);
    }
    // no credentials at all: the very same bare 401 as before
    const none = await rawRequest(server.url, path);
    expect(none.status).toBe(401);
    expect(none.text).toBe('');
    expect(none.headers['content-type']).toBeUndefined();
    expect(none.headers['www-authenticate']).toBe('Bearer realm="flows-console"');
    // a valid bearer still works without a cookie, and beside a dead one
    const token = (
      await rawRequest(server.url, '/api/auth/oauth/token', {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'console', client_secret: SECRET }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).json().access_token as string;
    expect((await rawRequest(server.url, path, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await rawRequest(server.url, path, { headers: { authorization: `Bearer ${token}`, cookie: forgedCookie(60, 120_000) } })).status).toBe(200);
  });

  it('CSRF: a cross-origin unsafe request carrying a valid cookie is refused, and stores nothing', async () => {
    const cookie = await signedIn();
    const before = await workflowNames(cookie);
    const otherPort = port === 1 ? 2 : port - 1;
    const attacks: Array<[string, Record<string, string>]> = [
      // another port of the same host is the same *site*: SameSite=Strict still sends the cookie
      ['another local port', { origin: `http://127.0.0.1:${otherPort}`, 'sec-fetch-site': 'same-site' }],
      ['localhost on another port', { origin: `http://localhost:${otherPort}` }],
      ['a foreign site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['an opaque origin', { origin: 'null' }],
      ['cross-site fetch metadata without Origin', { 'sec-fetch-site': 'cross-site' }],
    ];
    for (const [what, headers] of attacks) {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const r = await rawRequest(server.url, '/api/orchestration/v2/workflows', { method, body: wf(`csrf-${what}`), headers: { ...JSON_TYPE, ...headers, cookie } });
        expect(r.status, `${what} ${method}`).toBe(403);
        expect(r.json().errorMessage, what).toMatch(/origin not allowed|cross-site/);
      }
      // nor can another origin sign a browser in (login CSRF)
      const login = await signIn({ clientId: 'console', clientSecret: SECRET }, headers);
      expect(login.status, `sign-in from ${what}`).toBe(403);
      expect(setCookies(login)).toEqual([]);
    }
    expect(await workflowNames(cookie)).toEqual(before);
    // the same request from the console's own origin goes through
    const ok = await rawRequest(server.url, '/api/orchestration/v2/workflows', {
      method: 'POST',
      body: wf('csrf-same-origin'),
      headers: { ...JSON_TYPE, ...sameOrigin(), cookie },
    });
    expect(ok.status).toBe(201);
  });

  it('opens only the exact session path', async () => {
    for (const path of ['/api/auth/sessionx', '/api/auth/session/x', '/api/auth/sessions', '/api/auth/session/../../orchestration/v2/workflows', '/api/auth/x/session']) {
      expect((await rawRequest(server.url, path)).status, path).toBe(401);
    }
    expect((await rawRequest(server.url, '/api/auth/session/')).status).toBe(401); // exact path, trailing slash tolerated: answers "not signed in"
    expect((await rawRequest(server.url, '/api/auth/session/')).json().errorCode).toBe('UNAUTHORIZED');
  });

  it('never logs a secret or a token', async () => {
    let token = '';
    const logged = await capturedLogs(async () => {
      const cookie = await signedIn();
      token = cookie.split('=')[1]!;
      await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { cookie } });
      await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { cookie: `${cookie}x` } });
      await signIn({ clientId: 'console', clientSecret: `${SECRET}-wrong` });
      await signIn(`{"clientId":"console","clientSecret":"${SECRET}"`);
      await rawRequest(server.url, '/api/auth/session', { method: 'DELETE', headers: { cookie } });
    });
    expect(token).not.toBe('');
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(token);
  });
});

describe('parseSignIn (unit)', () => {
  it('accepts JSON with a charset, names the field otherwise', () => {
    expect(parseSignIn('application/json; charset=utf-8', '{"clientId":"a","clientSecret":"b"}')).toEqual({ kind: 'client', clientId: 'a', clientSecret: 'b' });
    expect(parseSignIn('Application/JSON', '{"clientId":"a","clientSecret":" b "}')).toEqual({ kind: 'client', clientId: 'a', clientSecret: ' b ' });
    expect(parseSignIn(undefined, '{}')).toEqual({ problem: expect.stringMatching(/^Content-Type/) });
    const long = parseSignIn('application/json', JSON.stringify({ clientId: 'a', clientSecret: 'b', ['k'.repeat(500)]: 1 }));
    expect('problem' in long && long.problem.length).toBeLessThan(200);
  });
});
