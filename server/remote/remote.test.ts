import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDK } from '@formance/formance-sdk';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { configFromEnv } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import { rawRequest } from '../http/raw-request.js';
import { startTestServer } from '../test/harness.js';
import { capturedLogs } from '../test/logs.js';
import { ClientCredentialsTokenSource, DEFAULT_SCOPES } from './token.js';

const SECRET = 'remote-secret-91bd2e';

/** A stand-in for a Formance stack: an OAuth2 token endpoint plus echoing API routes. */
class FakeStack {
  tokenRequests: URLSearchParams[] = [];
  valid = new Set<string>();
  seen: Array<{ method: string; path: string; headers: Record<string, string>; body: string }> = [];
  expiresIn: number | undefined = 3600;
  /** answer the next N API calls with 401 regardless of the token */
  reject401 = 0;
  server!: ServerType;
  url!: string;
  private n = 0;

  async start() {
    const app = new Hono();
    app.post('/api/auth/oauth/token', async (c) => {
      const params = new URLSearchParams(await c.req.text());
      this.tokenRequests.push(params);
      if (params.get('client_id') !== 'console' || params.get('client_secret') !== SECRET) {
        return c.json({ error: 'invalid_client', error_description: `bad secret ${params.get('client_secret')}` }, 401);
      }
      const token = `stack-token-${++this.n}-${Math.random().toString(36).slice(2)}`;
      this.valid.add(token);
      return c.json({ access_token: token, token_type: 'Bearer', ...(this.expiresIn === undefined ? {} : { expires_in: this.expiresIn }) });
    });
    app.get('/api/orchestration/_info', (c) => c.json({ version: 'fake-stack' }));
    app.all('/api/*', async (c) => {
      const headers = Object.fromEntries(c.req.raw.headers);
      const body = await c.req.text();
      this.seen.push({ method: c.req.method, path: c.req.path + new URL(c.req.url).search, headers, body });
      const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
      if (this.reject401 > 0 || !token || !this.valid.has(token)) {
        if (this.reject401 > 0) this.reject401--;
        c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        return c.body(null, 401);
      }
      if (c.req.path === '/api/payments/text404') return c.text('404 page not found', 404);
      if (c.req.path === '/api/wallets/html502') return c.html('<html><body><script>alert(1)</script>Bad gateway</body></html>', 502);
      if (c.req.path === '/api/ledger/empty405') {
        c.header('Content-Type', 'application/json');
        return c.body(null, 405);
      }
      if (c.req.path === '/api/ledger/nocontent') return c.body(null, 204);
      if (c.req.path === '/api/ledger/v2/_error') return c.json({ errorCode: 'VALIDATION', errorMessage: 'bad things' }, 400);
      c.header('Set-Cookie', 'stack_session=abc; HttpOnly');
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Strict-Transport-Security', 'max-age=31536000');
      c.header('X-Stack-Header', 'kept');
      return c.json({ method: c.req.method, path: c.req.path, search: new URL(c.req.url).search, body, echoedToken: token }, c.req.method === 'POST' ? 201 : 200);
    });
    this.server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this;
  }
  revokeAll() {
    this.valid.clear();
  }
  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function remoteConfig(env: Record<string, string>) {
  return configFromEnv({ DATA_DIR: 'memory', PORT: '0', SEED: 'false', QUIET: 'true', ...env });
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

let stack: FakeStack;
let remote: RunningServer;

beforeAll(async () => {
  stack = await new FakeStack().start();
  remote = await startServer(remoteConfig({ FORMANCE_URL: `${stack.url}/`, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET }));
});
afterAll(async () => {
  await remote?.close();
  await stack?.close();
});
afterEach(() => {
  stack.reject401 = 0;
});

describe('remote mode proxy', () => {
  it('forwards method, path, query and body with its own token; the browser sees neither token nor secret', async () => {
    const r = await rawRequest(remote.url, '/api/ledger/v2/main/transactions?pageSize=2&cursor=a%2Fb', {
      method: 'POST',
      body: JSON.stringify({ postings: [] }),
      headers: { 'content-type': 'application/json', 'idempotency-key': 'ik-1' },
    });
    expect(r.status).toBe(201);
    const echoed = r.json();
    expect(echoed).toMatchObject({ method: 'POST', path: '/api/ledger/v2/main/transactions', search: '?pageSize=2&cursor=a%2Fb', body: '{"postings":[]}' });
    const seen = stack.seen.at(-1)!;
    expect(seen.headers.authorization).toMatch(/^Bearer stack-token-/);
    expect(seen.headers['idempotency-key']).toBe('ik-1');
    expect(seen.headers['content-type']).toBe('application/json');
    // what reaches the browser: no token in headers (the fake stack echoes it in the body on purpose)
    const headerText = JSON.stringify(r.headers);
    expect(headerText).not.toContain('stack-token-');
    expect(headerText).not.toContain(SECRET);
    expect(r.text).not.toContain(SECRET);
  });

  it('drops browser credentials and browser-only headers on the way in', async () => {
    const r = await rawRequest(remote.url, '/api/wallets/wallets', {
      headers: {
        authorization: 'Bearer from-the-browser',
        cookie: 'session=browser',
        origin: new URL(remote.url).origin,
        referer: `${remote.url}/wallets`,
        'sec-fetch-site': 'same-origin',
        'x-forwarded-for': '1.2.3.4',
        'accept-language': 'fr',
      },
    });
    expect(r.status).toBe(200);
    const seen = stack.seen.at(-1)!.headers;
    expect(seen.authorization).toMatch(/^Bearer stack-token-/);
    expect(seen.cookie).toBeUndefined();
    expect(seen.origin).toBeUndefined();
    expect(seen.referer).toBeUndefined();
    expect(seen['sec-fetch-site']).toBeUndefined();
    expect(seen['x-forwarded-for']).toBeUndefined();
    expect(seen['accept-language']).toBe('fr');
  });

  it('drops cookies, auth challenges, CORS and HSTS headers on the way out, keeps the rest', async () => {
    const r = await rawRequest(remote.url, '/api/payments/payments');
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(r.headers['x-stack-header']).toBe('kept');
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('proxies all four API prefixes and nothing else', async () => {
    for (const path of ['/api/orchestration/v2/workflows', '/api/ledger/v2', '/api/wallets/wallets', '/api/payments/payments']) {
      const r = await rawRequest(remote.url, path);
      expect(r.status, path).toBe(200);
      expect(r.json().path, path).toBe(path);
    }
    const before = stack.seen.length;
    for (const path of ['/api/auth/oauth/token', '/api/other/x', '/api/ledgerx']) {
      const r = await rawRequest(remote.url, path, {
        method: 'POST',
        body: 'grant_type=client_credentials',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status, path).toBe(404);
      expect(r.json().errorCode).toBe('NOT_FOUND');
    }
    expect(stack.seen.length).toBe(before);
  });

  it('serves the orchestration service paths (no gateway prefix) through the proxy; navigations get the console', async () => {
    for (const path of ['/v2/workflows', '/workflows']) {
      const r = await rawRequest(remote.url, path, { headers: { accept: 'application/json' } });
      expect(r.status, path).toBe(200);
      expect(r.json().path, path).toBe(`/api/orchestration${path}`);
    }
    expect((await rawRequest(remote.url, '/_info')).json()).toEqual({ version: 'fake-stack' });
    const before = stack.seen.length;
    const page = await rawRequest(remote.url, '/workflows', { headers: { accept: 'text/html' } });
    expect(page.headers['content-type'] ?? '').not.toContain('application/json');
    expect(stack.seen.length).toBe(before);
  });

  it("serves the trigger editor's helpers itself (event types, preview), without calling the stack", async () => {
    const before = stack.seen.length;
    const types = await rawRequest(remote.url, '/api/console/event-types');
    expect(types.status).toBe(200);
    expect(types.json().data.ledger).toContain('COMMITTED_TRANSACTIONS');
    const preview = await rawRequest(remote.url, '/api/console/triggers/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: 'event.amount > 10', vars: { amount: 'string(event.amount)' }, payload: { amount: 42 } }),
    });
    expect(preview.status).toBe(200);
    expect(preview.json()).toMatchObject({ data: { filter: { match: true }, variables: { amount: { value: '42' } } } });
    expect(stack.seen.length).toBe(before);
  });

  it('caches the token', async () => {
    const before = stack.tokenRequests.length;
    await Promise.all(Array.from({ length: 10 }, () => rawRequest(remote.url, '/api/ledger/v2/main/accounts')));
    expect(stack.tokenRequests.length).toBe(before);
  });

  it('asks for the console scopes with client credentials in the form body', async () => {
    const first = stack.tokenRequests[0]!;
    expect(first.get('grant_type')).toBe('client_credentials');
    expect(first.get('scope')).toBe(DEFAULT_SCOPES);
  });

  it('renews the token and retries once when the stack answers 401, body included', async () => {
    stack.revokeAll();
    const before = stack.tokenRequests.length;
    const r = await rawRequest(remote.url, '/api/orchestration/v2/workflows', {
      method: 'POST',
      body: '{"name":"retry"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(201);
    expect(r.json().body).toBe('{"name":"retry"}');
    expect(stack.tokenRequests.length).toBe(before + 1);
  });

  it('gives up after one retry: 502 INTERNAL, not the stack’s 401', async () => {
    stack.reject401 = 2;
    const before = stack.tokenRequests.length;
    const r = await rawRequest(remote.url, '/api/ledger/v2/main/accounts');
    expect(r.status).toBe(502);
    expect(r.json()).toEqual({ errorCode: 'INTERNAL', errorMessage: expect.stringMatching(/refused the console's access token/) });
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(stack.tokenRequests.length).toBe(before + 1);
  });

  it('passes JSON errors through and turns non-JSON ones into JSON error bodies', async () => {
    const json = await rawRequest(remote.url, '/api/ledger/v2/_error');
    expect(json.status).toBe(400);
    expect(json.json()).toEqual({ errorCode: 'VALIDATION', errorMessage: 'bad things' });

    const text = await rawRequest(remote.url, '/api/payments/text404');
    expect(text.status).toBe(404);
    expect(text.json()).toEqual({ errorCode: 'NOT_FOUND', errorMessage: 'the stack answered HTTP 404 to GET /api/payments/text404: 404 page not found' });

    const html = await rawRequest(remote.url, '/api/wallets/html502');
    expect(html.status).toBe(502);
    expect(html.headers['content-type']).toMatch(/^application\/json/);
    expect(html.json()).toEqual({ errorCode: 'INTERNAL', errorMessage: 'the stack answered HTTP 502 to GET /api/wallets/html502' });

    const empty = await rawRequest(remote.url, '/api/ledger/empty405', { method: 'DELETE' });
    expect(empty.status).toBe(405);
    expect(empty.json().errorCode).toBe('VALIDATION');

    const none = await rawRequest(remote.url, '/api/ledger/nocontent', { method: 'DELETE' });
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
  });

  it('applies the browser safety checks in remote mode too', async () => {
    const port = new URL(remote.url).port;
    expect((await rawRequest(remote.url, '/api/ledger/v2', { headers: { host: `evil.example:${port}` } })).status).toBe(403);
    const before = stack.seen.length;
    const csrf = await rawRequest(remote.url, '/api/ledger/v2/main/transactions', { method: 'POST', body: '{}', headers: { origin: 'https://evil.example' } });
    expect(csrf.status).toBe(403);
    expect(stack.seen.length).toBe(before);
    const big = await rawRequest(remote.url, '/api/ledger/v2/main/transactions', { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 'a') });
    expect(big.status).toBe(413);
    expect(stack.seen.length).toBe(before);
    const spa = await rawRequest(remote.url, '/');
    // The built page gets the page's policy; before a build, the "not built" text answer gets the
    // stricter one of data answers (server/http/security.ts).
    expect(spa.headers['content-security-policy']).toMatch(spa.status === 200 ? /script-src 'self'/ : /^default-src 'none'; frame-ancestors 'none'$/);
  });

  it('serves /api/console/info: remote, the stack URL without credentials, health from _info', async () => {
    const r = await rawRequest(remote.url, '/api/console/info');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ mode: 'remote', version: expect.any(String), stackUrl: stack.url, health: { ok: true } });
    expect(r.text).not.toContain(SECRET);
    expect(r.text).not.toContain('stack-token-');
    expect(r.text).not.toContain('console"'); // not even the client id
  });

  it('does not open a store or start an engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-remote-'));
    const dataDir = join(dir, 'must-not-exist');
    const s = await startServer(remoteConfig({ FORMANCE_URL: stack.url, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET, DATA_DIR: dataDir }));
    try {
      expect((await rawRequest(s.url, '/api/ledger/v2')).status).toBe(200);
      expect(existsSync(dataDir)).toBe(false);
      expect(() => s.ctx.db).toThrow(/remote mode/);
      expect(s.context.mode).toBe('remote');
    } finally {
      await s.close();
    }
    // The console's own store is opened only when a feature asks (store/console-store.test.ts),
    // and not after shutdown.
    await expect(s.context.consoleStore.db()).rejects.toThrow(/closed/);
    expect(existsSync(dataDir)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('remote mode audit log', () => {
  it("records writes through the proxy in the console's own store, with what the stack answered", async () => {
    const ok = await rawRequest(remote.url, '/api/orchestration/v2/instances/i-1/abort', { method: 'PUT', headers: { 'x-audit-reason': 'stuck%20run' } });
    expect(ok.status).toBe(200);
    const bad = await rawRequest(remote.url, '/api/ledger/v2/_error', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    const log = (await rawRequest(remote.url, '/api/console/audit')).json().cursor.data;
    expect(log.find((e: any) => e.requestId === ok.headers['x-request-id'])).toMatchObject({
      action: 'instance.abort',
      reason: 'stuck run',
      mode: 'remote',
      target: { type: 'instance', id: 'i-1' },
      outcome: { outcome: 'succeeded', status: 200, answeredBy: 'stack' },
    });
    expect(log.find((e: any) => e.requestId === bad.headers['x-request-id'])).toMatchObject({
      action: 'ledger.write',
      outcome: { outcome: 'failed', status: 400, errorCode: 'VALIDATION', errorMessage: 'bad things', answeredBy: 'stack' },
    });
  });
});

describe('remote mode failures', () => {
  it('stack unreachable → 502 INTERNAL naming the stack; console info unhealthy', async () => {
    const port = await closedPort();
    const s = await startServer(remoteConfig({ FORMANCE_URL: `http://127.0.0.1:${port}`, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET }));
    try {
      const r = await rawRequest(s.url, '/api/orchestration/v2/workflows');
      expect(r.status).toBe(502);
      expect(r.json()).toEqual({ errorCode: 'INTERNAL', errorMessage: expect.stringMatching(new RegExp(`cannot reach .*127\\.0\\.0\\.1:${port}.*ECONNREFUSED`)) });
      expect(r.text).not.toContain(SECRET);
      const info = (await rawRequest(s.url, '/api/console/info')).json();
      expect(info).toMatchObject({ mode: 'remote', health: { ok: false, message: expect.stringMatching(/cannot reach the stack/) } });
    } finally {
      await s.close();
    }
  });

  it('token endpoint unreachable (FORMANCE_TOKEN_URL) → 502', async () => {
    const port = await closedPort();
    const s = await startServer(
      remoteConfig({
        FORMANCE_URL: stack.url,
        FORMANCE_TOKEN_URL: `http://127.0.0.1:${port}/oauth/token`,
        FORMANCE_CLIENT_ID: 'console',
        FORMANCE_CLIENT_SECRET: SECRET,
      }),
    );
    try {
      const r = await rawRequest(s.url, '/api/ledger/v2');
      expect(r.status).toBe(502);
      expect(r.json().errorMessage).toMatch(/cannot reach the stack's token endpoint/);
    } finally {
      await s.close();
    }
  });

  it('wrong client secret → 502 that says so, without the secret; console info unhealthy', async () => {
    const wrong = 'wrong-secret-5150';
    const s = await startServer(remoteConfig({ FORMANCE_URL: stack.url, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: wrong }));
    try {
      const r = await rawRequest(s.url, '/api/ledger/v2');
      expect(r.status).toBe(502);
      expect(r.json()).toEqual({ errorCode: 'INTERNAL', errorMessage: expect.stringMatching(/refused the console's client credentials: HTTP 401 \(invalid_client\)/) });
      // the fake stack echoes the secret in error_description: it must not reach the browser
      expect(r.text).not.toContain(wrong);
      const info = await rawRequest(s.url, '/api/console/info');
      expect(info.json().health).toEqual({ ok: false, message: expect.stringMatching(/FORMANCE_CLIENT_SECRET/) });
      expect(info.text).not.toContain(wrong);
    } finally {
      await s.close();
    }
  });

  it('refuses configurations that would leak or cannot work', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ FORMANCE_URL: 'http://user:pw-123@127.0.0.1:1' }, /must not contain credentials/],
      [{ FORMANCE_URL: 'ftp://127.0.0.1' }, /http\(s\) URL/],
      [{ FORMANCE_URL: 'not a url' }, /http\(s\) URL/],
      [{ FORMANCE_URL: stack.url, FORMANCE_CLIENT_ID: 'console' }, /both FORMANCE_CLIENT_ID and FORMANCE_CLIENT_SECRET/],
      [{ FORMANCE_URL: stack.url, FORMANCE_CLIENT_SECRET: 'lonely-secret-77' }, /both/],
    ];
    for (const [env, message] of cases) {
      // a bad value is refused when the configuration is read, a bad combination when the server starts
      const err = await Promise.resolve()
        .then(() => startServer(remoteConfig(env)))
        .then(
          async (s) => {
            await s.close();
            return undefined;
          },
          (e: Error) => e,
        );
      expect(err?.message, JSON.stringify(env)).toMatch(message);
      expect(err?.message).not.toMatch(/pw-123|lonely-secret-77/);
    }
  });

  it('without client credentials, calls the stack without a token', async () => {
    const s = await startServer(remoteConfig({ FORMANCE_URL: stack.url }));
    try {
      const r = await rawRequest(s.url, '/api/ledger/v2', { headers: { authorization: 'Bearer from-browser' } });
      // the fake stack wants a token: its 401 comes back as a JSON error, and the browser's token was not forwarded
      expect(r.status).toBe(401);
      expect(r.json().errorCode).toBe('VALIDATION');
      expect(stack.seen.at(-1)!.headers.authorization).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});

describe('remote mode operations', () => {
  it('/_ready checks the stack and our token; /metrics times and counts the calls to the stack; JSON logs; never the secret or a token', async () => {
    const wrong = `wrong-secret-ops-${process.pid}`;
    const port = await closedPort();
    const ops = { QUIET: 'false', LOG_FORMAT: 'json', LOG_LEVEL: 'debug' };
    const seen: string[] = [];
    const logged = await capturedLogs(async () => {
      const good = await startServer(remoteConfig({ ...ops, FORMANCE_URL: stack.url, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET }));
      const refused = await startServer(remoteConfig({ ...ops, FORMANCE_URL: stack.url, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: wrong }));
      const away = await startServer(remoteConfig({ ...ops, FORMANCE_URL: `http://127.0.0.1:${port}`, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET }));
      try {
        const ready = await rawRequest(good.url, '/_ready');
        expect(ready.status).toBe(200);
        expect(ready.json()).toEqual({ status: 'ready', checks: { stack: { ok: true } } });
        const proxied = await rawRequest(good.url, '/api/ledger/v2/main/accounts', { headers: { 'x-request-id': 'remote-ops-1' } });
        expect(proxied.status).toBe(200);
        expect(proxied.headers['x-request-id']).toBe('remote-ops-1');
        seen.push(...stack.valid);
        const m = (await rawRequest(good.url, '/metrics')).text;
        expect(m).toMatch(/^flows_console_info\{version="[^"]+",mode="remote"\} 1$/m);
        expect(m).toMatch(/^flows_console_remote_request_duration_seconds_count\{api="token",status="200"\} 1$/m);
        expect(m).toMatch(/^flows_console_remote_request_duration_seconds_count\{api="info",status="200"\} 1$/m);
        expect(m).toMatch(/^flows_console_remote_request_duration_seconds_count\{api="ledger",status="200"\} 1$/m);
        expect(m).not.toMatch(/^flows_console_remote_errors_total\{/m);

        // our credentials refused: not ready, and the stack's echo of the secret goes nowhere
        const notReady = await rawRequest(refused.url, '/_ready');
        expect(notReady.status).toBe(503);
        expect(notReady.json()).toEqual({
          status: 'not ready',
          checks: { stack: { ok: false, message: expect.stringMatching(/refused the console's client credentials/) } },
        });
        expect((await rawRequest(refused.url, '/api/ledger/v2')).status).toBe(502);
        const mRefused = (await rawRequest(refused.url, '/metrics')).text;
        expect(mRefused).toMatch(/^flows_console_remote_errors_total\{reason="token"\} [1-9]\d*$/m);
        expect(mRefused).toMatch(/^flows_console_remote_request_duration_seconds_count\{api="token",status="401"\} [1-9]\d*$/m);

        // the stack away: not ready, counted as unreachable
        const gone = await rawRequest(away.url, '/_ready');
        expect(gone.status).toBe(503);
        expect(gone.json().checks.stack).toEqual({ ok: false, message: expect.stringMatching(/cannot reach the stack/) });
        expect((await rawRequest(away.url, '/metrics')).text).toMatch(/^flows_console_remote_errors_total\{reason="unreachable"\} [1-9]\d*$/m);
        for (const r of [notReady, gone]) expect(r.text).not.toContain(wrong);
      } finally {
        await Promise.all([good.close(), refused.close(), away.close()]);
      }
    });
    expect(seen.length).toBeGreaterThan(0);
    for (const secret of [SECRET, wrong, ...seen]) expect(logged).not.toContain(secret);
    const entries = logged
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.find((e) => e.requestId === 'remote-ops-1')).toMatchObject({ level: 'info', method: 'GET', status: 200, route: '/api/ledger/*' });
    expect(entries.find((e) => e.path === '/api/ledger/v2' && e.status === 502)).toMatchObject({ level: 'warn', route: '/api/ledger/*' });
  });
});

describe('token source', () => {
  it('refreshes shortly before expiry and shares one request between concurrent callers', async () => {
    let now = 0;
    let n = 0;
    const fetchMock = vi.fn(
      async () => new Response(JSON.stringify({ access_token: `t${++n}`, token_type: 'Bearer', expires_in: 100 }), { headers: { 'content-type': 'application/json' } }),
    );
    const source = new ClientCredentialsTokenSource({
      tokenUrl: 'http://stack/token',
      clientId: 'a',
      clientSecret: 'b',
      fetch: fetchMock as typeof fetch,
      now: () => now,
    });
    expect(await Promise.all([source.get(), source.get(), source.get()])).toEqual(['t1', 't1', 't1']);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    now = 89_000; // 100 s token, 10 s margin
    expect(await source.get()).toBe('t1');
    now = 90_001;
    expect(await source.get()).toBe('t2');
    source.invalidate('t1'); // a stale refusal does not drop the new token
    expect(await source.get()).toBe('t2');
    source.invalidate('t2');
    expect(await source.get()).toBe('t3');
  });

  it('assumes a short lifetime when expires_in is missing, and scopes can be turned off', async () => {
    let now = 0;
    const bodies: string[] = [];
    const fetchMock = vi.fn(async (_url: unknown, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return new Response(JSON.stringify({ access_token: 'x', token_type: 'Bearer' }));
    });
    const source = new ClientCredentialsTokenSource({
      tokenUrl: 'http://stack/token',
      clientId: 'a',
      clientSecret: 'b',
      scopes: '',
      fetch: fetchMock as typeof fetch,
      now: () => now,
    });
    await source.get();
    now = 299_000;
    await source.get();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(bodies[0]).not.toContain('scope=');
  });
});

describe('remote mode against a real embedded server with AUTH_CLIENTS', () => {
  let embedded: Awaited<ReturnType<typeof startTestServer>>;
  let proxy: RunningServer;
  beforeAll(async () => {
    embedded = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}` });
    proxy = await startServer(remoteConfig({ FORMANCE_URL: embedded.url, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET }));
  });
  afterAll(async () => {
    await proxy?.close();
    await embedded?.close();
  });

  it('the official SDK, with no credentials of its own, works through the console proxy', async () => {
    // direct access needs a token...
    expect((await rawRequest(embedded.url, '/api/orchestration/v2/workflows')).status).toBe(401);
    // ...the proxy holds one
    const sdk = new SDK({ serverURL: proxy.url });
    expect((await sdk.orchestration.v2.getServerInfo()).v2ServerInfo?.version).toBeTruthy();
    const created = await sdk.orchestration.v2.createWorkflow({ name: 'through-proxy', stages: [{ noop: {} }] });
    expect(created.statusCode).toBe(201);
    const id = created.v2CreateWorkflowResponse!.data.id;
    const list = await sdk.orchestration.v2.listWorkflows({ pageSize: 100 });
    expect(list.v2ListWorkflowsResponse?.cursor.data.map((w) => w.id)).toContain(id);
    const run = await sdk.orchestration.v2.runWorkflow({ workflowID: id, wait: true });
    expect(run.statusCode).toBe(201);
    const v1 = await sdk.orchestration.v1.listWorkflows();
    expect(v1.listWorkflowsResponse?.data.map((w) => w.id)).toContain(id);
  });

  it('browser-facing responses carry no token or secret', async () => {
    for (const path of ['/api/orchestration/v2/workflows', '/api/orchestration/v2/_info', '/api/console/info', '/api/orchestration/v2/workflows/nope']) {
      const r = await rawRequest(proxy.url, path);
      expect(r.status, path).toBeLessThan(500);
      const everything = JSON.stringify(r.headers) + r.text;
      expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no JWT anywhere
      expect(everything).not.toContain(SECRET);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    const info = (await rawRequest(proxy.url, '/api/console/info')).json();
    expect(info).toEqual({ mode: 'remote', version: expect.any(String), stackUrl: embedded.url, health: { ok: true } });
  });

  it('a stack token that expires is renewed transparently', async () => {
    const shortStack = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}`, AUTH_TOKEN_TTL: '1' });
    const shortProxy = await startServer(remoteConfig({ FORMANCE_URL: shortStack.url, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET }));
    try {
      expect((await rawRequest(shortProxy.url, '/api/orchestration/v2/workflows')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await rawRequest(shortProxy.url, '/api/orchestration/v2/workflows')).status).toBe(200);
    } finally {
      await shortProxy.close();
      await shortStack.close();
    }
  });
});
