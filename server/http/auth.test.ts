import { createHmac } from 'node:crypto';
import { SDK } from '@formance/formance-sdk';
import { SDKError } from '@formance/formance-sdk/sdk/models/errors/sdkerror.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.js';
import { createApp } from '../app.js';
import { startServer } from '../server.js';
import { startTestServer } from '../test/harness.js';
import { capturedLogs } from '../test/logs.js';
import { protectedApiRoutes } from '../test/routes.js';
import { TokenIssuer, parseAuthClients, parseAuthUsers } from './auth.js';
import { hashPassword } from '../lib/password.js';
import { rawRequest } from './raw-request.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const SECRET = 'console-secret-7f3a9c';
const COLON_SECRET = 'pa:ss:word';
let server: Server;

beforeAll(async () => {
  server = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}, other:${COLON_SECRET}` });
});
afterAll(async () => {
  await server?.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function tokenRequest(url: string, body: string, headers: Record<string, string> = FORM) {
  return rawRequest(url, '/api/auth/oauth/token', { method: 'POST', body, headers });
}

async function getToken(url = server.url, id = 'console', secret = SECRET): Promise<string> {
  const r = await tokenRequest(url, form({ grant_type: 'client_credentials', client_id: id, client_secret: secret }));
  expect(r.status, r.text).toBe(200);
  return r.json().access_token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('token endpoint (client credentials)', () => {
  it('issues a bearer token for form-encoded credentials, like the stack', async () => {
    const r = await tokenRequest(server.url, form({ grant_type: 'client_credentials', client_id: 'console', client_secret: SECRET, scope: 'orchestration:read' }));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'orchestration:read' });
    const [header, payload] = body.access_token
      .split('.')
      .slice(0, 2)
      .map((p: string) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'console', scope: 'orchestration:read' });
    expect(payload.exp - payload.iat).toBeGreaterThanOrEqual(3600);
    expect(JSON.stringify(payload)).not.toContain(SECRET);
  });

  it('accepts a JSON body', async () => {
    const r = await tokenRequest(server.url, JSON.stringify({ grant_type: 'client_credentials', client_id: 'console', client_secret: SECRET }), {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(200);
    expect(r.json().token_type).toBe('Bearer');
  });

  it('accepts HTTP Basic client authentication (form-encoded id and secret, RFC 6749 §2.3.1)', async () => {
    const basic = Buffer.from(`other:${encodeURIComponent(COLON_SECRET)}`).toString('base64');
    const r = await tokenRequest(server.url, form({ grant_type: 'client_credentials' }), { ...FORM, authorization: `Basic ${basic}` });
    expect(r.status, r.text).toBe(200);
    // a raw colon in the secret works too (split on the first colon)
    const raw = Buffer.from(`other:${COLON_SECRET}`).toString('base64');
    expect((await tokenRequest(server.url, form({ grant_type: 'client_credentials' }), { ...FORM, authorization: `Basic ${raw}` })).status).toBe(200);
  });

  it.each([
    ['a wrong secret', { client_id: 'console', client_secret: `${SECRET}x` }],
    ['a secret prefix', { client_id: 'console', client_secret: SECRET.slice(0, -1) }],
    ['an unknown client', { client_id: 'nobody', client_secret: SECRET }],
    ['another client’s secret', { client_id: 'other', client_secret: SECRET }],
    ['no credentials', {}],
    ['an empty secret', { client_id: 'console', client_secret: '' }],
  ])('refuses %s with 401 invalid_client', async (_what, creds) => {
    const r = await tokenRequest(server.url, form({ grant_type: 'client_credentials', ...creds }));
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ error: 'invalid_client' });
    expect(r.text).not.toContain(SECRET);
  });

  it('refuses wrong Basic credentials with 401 invalid_client and a Basic challenge', async () => {
    const basic = Buffer.from(`console:nope`).toString('base64');
    const r = await tokenRequest(server.url, form({ grant_type: 'client_credentials' }), { ...FORM, authorization: `Basic ${basic}` });
    expect(r.status).toBe(401);
    expect(r.json().error).toBe('invalid_client');
    expect(r.headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('answers OAuth2 errors for bad requests', async () => {
    const cases: Array<[string, Record<string, string>, number, string]> = [
      [form({ client_id: 'console', client_secret: SECRET }), FORM, 400, 'invalid_request'],
      [form({ grant_type: 'password', client_id: 'console', client_secret: SECRET }), FORM, 400, 'unsupported_grant_type'],
      ['{not json', { 'content-type': 'application/json' }, 400, 'invalid_request'],
      ['grant_type=client_credentials', { 'content-type': 'text/plain' }, 400, 'invalid_request'],
      [
        form({ grant_type: 'client_credentials', client_secret: SECRET }),
        { ...FORM, authorization: `Basic ${Buffer.from(`console:${SECRET}`).toString('base64')}` },
        400,
        'invalid_request',
      ],
    ];
    for (const [body, headers, status, error] of cases) {
      const r = await tokenRequest(server.url, body, headers);
      expect(r.status, body).toBe(status);
      expect(r.json().error, body).toBe(error);
    }
    const get = await rawRequest(server.url, '/api/auth/oauth/token');
    expect(get.status).toBe(400);
  });

  it('is not served without AUTH_CLIENTS', async () => {
    const open = await startTestServer();
    try {
      const r = await tokenRequest(open.url, form({ grant_type: 'client_credentials', client_id: 'console', client_secret: SECRET }));
      expect(r.status).toBe(404);
      // and the API needs no token
      expect((await rawRequest(open.url, '/api/orchestration/v2/workflows')).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('protected /api/* routes', () => {
  const protectedRoutes: Array<[string, string]> = [
    ['GET', '/api/orchestration/workflows'],
    ['GET', '/api/orchestration/v2/workflows'],
    ['GET', '/api/orchestration/v2/instances'],
    ['POST', '/api/orchestration/v2/workflows'],
    ['DELETE', '/api/orchestration/v2/workflows/abc'],
    ['GET', '/api/console/info'],
    ['GET', '/api/unknown/route'],
    ['GET', '/api/ledger/v2'],
    ['GET', '/api/wallets/wallets'],
    ['GET', '/api/payments/payments'],
  ];

  it('refuse a missing token: 401, no body, no content type, a Bearer challenge', async () => {
    for (const [method, path] of protectedRoutes) {
      const r = await rawRequest(server.url, path, { method, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.text, path).toBe('');
      expect(r.headers['content-type'], path).toBeUndefined();
      expect(r.headers['www-authenticate'], path).toMatch(/^Bearer realm=/);
    }
  });

  it('cover every /api route the app registers (missing, invalid and expired tokens)', async () => {
    const expired = new TokenIssuer([{ id: 'console', secret: SECRET }], Buffer.alloc(32, 7), 1, () => 0).issue('console').token;
    const routes = protectedApiRoutes(createApp(server.ctx));
    expect(routes.length).toBeGreaterThan(20);
    for (const [method, path] of routes) {
      for (const auth of [undefined, 'Bearer nonsense', `Bearer ${expired}`]) {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) };
        const r = await rawRequest(server.url, path, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }) });
        expect(r.status, `${method} ${path} ${auth ?? 'no token'}`).toBe(401);
      }
    }
  });

  it('refuse malformed, forged and foreign tokens', async () => {
    const good = await getToken();
    const [h, p, s] = good.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: 'other' })).toString('base64url');
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const otherKey = createHmac('sha256', 'not-the-key').update(`${h}.${p}`).digest('base64url');
    const other = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}` });
    const foreign = await getToken(other.url);
    await other.close();
    const bad = [
      'garbage',
      `${h}.${p}`,
      `${h}.${forgedPayload}.${s}`,
      `${noneHeader}.${p}.`,
      `${noneHeader}.${p}.${s}`,
      `${h}.${p}.${otherKey}`,
      `${h}.${p}.${s}x`,
      foreign, // same client and secret, another server's random key
    ];
    for (const token of bad) {
      const r = await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: bearer(token) });
      expect(r.status, token).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
    for (const header of [`Basic ${Buffer.from(`console:${SECRET}`).toString('base64')}`, `Bearer`, good, `Token ${good}`]) {
      expect((await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { authorization: header } })).status, header).toBe(401);
    }
  });

  it('accept a valid token on every route', async () => {
    const token = await getToken();
    const created = await rawRequest(server.url, '/api/orchestration/v2/workflows', {
      method: 'POST',
      body: JSON.stringify({ name: 'auth', stages: [{ noop: {} }] }),
      headers: { ...bearer(token), 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect((await rawRequest(server.url, '/api/orchestration/workflows', { headers: bearer(token) })).status).toBe(200);
    const info = await rawRequest(server.url, '/api/console/info', { headers: bearer(token) });
    expect(info.status).toBe(200);
    expect(info.json()).toMatchObject({ mode: 'embedded', health: { ok: true } });
    expect(info.text).not.toContain(SECRET);
    // lower-case scheme is fine (RFC 7235: case-insensitive)
    expect((await rawRequest(server.url, '/api/orchestration/workflows', { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
  });

  it('leave /_info and /_healthcheck open', async () => {
    for (const path of ['/api/orchestration/_info', '/api/orchestration/v2/_info', '/api/orchestration/_info/', '/_healthcheck']) {
      const r = await rawRequest(server.url, path);
      expect(r.status, path).toBe(200);
    }
    // the open list is exact: nothing below _info, no look-alikes
    for (const path of ['/api/orchestration/_infox', '/api/orchestration/v2/_info/x', '/api/orchestration/v3/_info']) {
      expect((await rawRequest(server.url, path)).status, path).toBe(401);
    }
  });

  it('refuse an expired token (AUTH_TOKEN_TTL=1)', async () => {
    const short = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}`, AUTH_TOKEN_TTL: '1' });
    try {
      const r = await tokenRequest(short.url, form({ grant_type: 'client_credentials', client_id: 'console', client_secret: SECRET }));
      expect(r.json().expires_in).toBe(1);
      const token = r.json().access_token;
      expect((await rawRequest(short.url, '/api/orchestration/v2/workflows', { headers: bearer(token) })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = await rawRequest(short.url, '/api/orchestration/v2/workflows', { headers: bearer(token) });
      expect(expired.status).toBe(401);
      expect(expired.headers['www-authenticate']).toMatch(/error="invalid_token".*expired/);
    } finally {
      await short.close();
    }
  });

  it('AUTH_SIGNING_KEY lets several servers accept each other’s tokens', async () => {
    const key = 'k'.repeat(40);
    const a = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}`, AUTH_SIGNING_KEY: key });
    const b = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}`, AUTH_SIGNING_KEY: key });
    try {
      const token = await getToken(a.url);
      expect((await rawRequest(b.url, '/api/orchestration/v2/workflows', { headers: bearer(token) })).status).toBe(200);
      expect((await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: bearer(token) })).status).toBe(401);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('never logs a secret or a token', async () => {
    let token = '';
    const logged = await capturedLogs(async () => {
      token = await getToken();
      await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: bearer(token) });
      await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: bearer(`${token}x`) });
      await tokenRequest(server.url, form({ grant_type: 'client_credentials', client_id: 'console', client_secret: 'wrong' }));
    });
    expect(token).not.toBe('');
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(token);
  });
});

describe('configuration', () => {
  it('refuses a malformed AUTH_CLIENTS without echoing secrets', async () => {
    for (const value of ['justanid', 'id:', ':secret-123', 'a:x,a:y']) {
      const err = await startServer(configFromEnv({ DATA_DIR: 'memory', PORT: '0', SEED: 'false', QUIET: 'true', AUTH_CLIENTS: value })).then(
        (s) => s.close().then(() => undefined),
        (e: Error) => e,
      );
      expect(err, value).toBeInstanceOf(Error);
      expect(err!.message).toMatch(/AUTH_CLIENTS/);
      expect(err!.message).not.toMatch(/secret-123|x,a:y/);
    }
  });

  it('parses id:secret lists (the secret may contain colons)', () => {
    expect(parseAuthClients(' a:1 , b:2:3 ')).toEqual([
      { id: 'a', secret: '1' },
      { id: 'b', secret: '2:3' },
    ]);
  });

  it('parses name:hash[:role] lists of people; a bad entry is named by its number, never echoed', async () => {
    const hash = await hashPassword('pw', { N: 16, r: 1, p: 1 });
    expect(parseAuthUsers(` ann : ${hash} :viewer, bob:${hash}`)).toEqual([
      { name: 'ann', hash, role: 'viewer' },
      { name: 'bob', hash },
    ]);
    expect(() => parseAuthUsers(`ann:${hash}, bob`)).toThrow("AUTH_USERS: entry 2 must be 'name:hash'");
    expect(() => parseAuthUsers(`ann:${hash},ann:${hash}:admin`)).toThrow("AUTH_USERS: user 'ann' appears twice");
    expect(() => parseAuthUsers('ann:not-a-hash')).toThrow(/^AUTH_USERS: the password hash of 'ann' is not usable/);
    expect(() => parseAuthUsers(' , ')).toThrow('AUTH_USERS: expected at least one');
    expect(() => parseAuthClients('a:1,:2:admin')).toThrow("AUTH_CLIENTS: entry 2 must be 'id:secret'");
  });

  it('refuses a short AUTH_SIGNING_KEY and a bad AUTH_TOKEN_TTL', () => {
    expect(() => TokenIssuer.fromConfig({ authClients: 'a:b', authSigningKey: 'short' })).toThrow(/AUTH_SIGNING_KEY/);
    for (const ttl of [0, -1, 1.5, Number.NaN]) {
      expect(() => TokenIssuer.fromConfig({ authClients: 'a:b', authTokenTtl: ttl })).toThrow(/AUTH_TOKEN_TTL/);
    }
  });

  it('expires tokens on time (fake clock)', () => {
    let now = 1_700_000_000_500;
    const issuer = new TokenIssuer([{ id: 'a', secret: 'b' }], Buffer.alloc(32, 1), 60, () => now);
    const { token } = issuer.issue('a');
    expect(issuer.verify(token).ok).toBe(true);
    now += 59_000;
    expect(issuer.verify(token).ok).toBe(true);
    now += 2_000;
    expect(issuer.verify(token)).toEqual({ ok: false, reason: 'expired' });
    // a client removed from the list loses its tokens
    const other = new TokenIssuer([{ id: 'z', secret: 'b' }], Buffer.alloc(32, 1), 60, () => now - 61_000);
    expect(other.verify(token)).toEqual({ ok: false, reason: 'unknown client' });
  });

  it('compares secrets exactly', () => {
    const issuer = new TokenIssuer([{ id: 'a', secret: 'sécret' }], Buffer.alloc(32, 1), 60);
    expect(issuer.checkClient('a', 'sécret')).toBe(true);
    for (const s of ['secret', 'sécre', 'sécrett', '', 'SÉCRET']) expect(issuer.checkClient('a', s), s).toBe(false);
    expect(issuer.checkClient('b', 'sécret')).toBe(false);
  });
});

describe('official SDK against an embedded server with AUTH_CLIENTS', () => {
  it('gets a token with its client credentials and calls the API', async () => {
    const sdk = new SDK({ serverURL: server.url, security: { clientID: 'console', clientSecret: SECRET } });
    const info = await sdk.orchestration.v2.getServerInfo();
    expect(info.v2ServerInfo?.version).toBeTruthy();
    const created = await sdk.orchestration.v2.createWorkflow({ name: 'via-sdk', stages: [{ noop: {} }] });
    expect(created.statusCode).toBe(201);
    const list = await sdk.orchestration.v2.listWorkflows({ pageSize: 100 });
    expect(list.v2ListWorkflowsResponse?.cursor.data.map((w) => w.id)).toContain(created.v2CreateWorkflowResponse!.data.id);
    const v1 = await sdk.orchestration.v1.listWorkflows();
    expect(v1.listWorkflowsResponse?.data.length).toBeGreaterThan(0);
  });

  it('fails clearly with a wrong secret (the token request is refused)', async () => {
    const sdk = new SDK({ serverURL: server.url, security: { clientID: 'console', clientSecret: 'wrong' } });
    await expect(sdk.orchestration.v2.listWorkflows({})).rejects.toThrow(/401.*invalid_client/);
  });

  it('without credentials gets an ordinary SDK error with status 401 (not a JSON parse crash)', async () => {
    const sdk = new SDK({ serverURL: server.url });
    const err = await sdk.orchestration.v2.listWorkflows({}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SDKError);
    expect((err as SDKError).statusCode).toBe(401);
    // _info stays reachable
    expect((await sdk.orchestration.v2.getServerInfo()).v2ServerInfo?.version).toBeTruthy();
  });
});
