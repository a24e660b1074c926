import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/harness.js';
import { rawHttp, rawRequest } from './raw-request.js';
import { API_BODY_LIMIT, CONTENT_SECURITY_POLICY, DATA_CSP, hostPolicy, parseHost, SCRIPT_CSP, securityHeadersFor } from './security.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let port: number;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'flows-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body><div id="root"></div></body></html>');
  server = await startTestServer({ STATIC_DIR: staticDir });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const wf = JSON.stringify({ name: 'security-test', stages: [{ noop: {} }] });
const post = (path: string, headers: Record<string, string> = {}, body = wf) =>
  rawRequest(server.url, path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('Host check (DNS rebinding)', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST'])('serves Host %s:<port>', async (name) => {
    const r = await rawRequest(server.url, '/_healthcheck', { headers: { host: `${name}:${port}` } });
    expect(r.status).toBe(200);
  });

  it.each([
    ['a foreign name on our port', () => `rebind.attacker.example:${port}`],
    ['a foreign name without port', () => 'rebind.attacker.example'],
    ['localhost on another port', () => `localhost:${port === 1 ? 2 : port - 1}`],
  ])('refuses %s with 403 JSON', async (_what, host) => {
    for (const path of ['/_healthcheck', '/', '/api/orchestration/v2/workflows', '/api/orchestration/_info']) {
      const r = await rawRequest(server.url, path, { headers: { host: host() } });
      expect(r.status, path).toBe(403);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json()).toEqual({ errorCode: 'VALIDATION', errorMessage: expect.stringContaining('host not allowed') });
    }
  });

  it.each([
    ['an empty Host', 'Host: \r\n'],
    ['no Host at all (HTTP/1.0)', ''],
  ])('refuses %s', async (_what, hostLine) => {
    const status = await rawHttp(server.url, `GET /_healthcheck HTTP/1.0\r\n${hostLine}Connection: close\r\n\r\n`);
    expect(status).toBe(403);
  });

  it.each([
    ['a malformed Host', () => `localhost:${port}/x`],
    ['a Host with credentials', () => `user@localhost:${port}`],
  ])('refuses %s (400 from the HTTP layer, or 403)', async (_what, host) => {
    const r = await rawRequest(server.url, '/_healthcheck', { headers: { host: host() } });
    expect([400, 403]).toContain(r.status);
  });

  it('refuses writes from a foreign Host too, and stores nothing', async () => {
    const before = (await server.api.get('/api/orchestration/workflows')).body.data.length;
    const r = await post('/api/orchestration/workflows', { host: `evil.example:${port}` });
    expect(r.status).toBe(403);
    expect((await server.api.get('/api/orchestration/workflows')).body.data.length).toBe(before);
  });

  it('serves names listed in ALLOWED_HOSTS (name = any port, name:port = that port)', async () => {
    const other = await startTestServer({ ALLOWED_HOSTS: 'console.example.com, Other.Example:8443' });
    try {
      const ok = async (host: string) => (await rawRequest(other.url, '/_healthcheck', { headers: { host } })).status;
      expect(await ok('console.example.com')).toBe(200);
      expect(await ok('console.example.com:9999')).toBe(200);
      expect(await ok('other.example:8443')).toBe(200);
      expect(await ok('other.example:8444')).toBe(403);
      expect(await ok('other.example')).toBe(403);
      expect(await ok('evil.example')).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('ALLOWED_HOSTS=* turns the check off', async () => {
    const other = await startTestServer({ ALLOWED_HOSTS: '*' });
    try {
      expect((await rawRequest(other.url, '/_healthcheck', { headers: { host: 'anything.example' } })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('host policy (unit)', () => {
  it('parses hosts', () => {
    expect(parseHost('LocalHost:3000')).toEqual({ name: 'localhost', port: 3000 });
    expect(parseHost('[::1]:8080')).toEqual({ name: '[::1]', port: 8080 });
    expect(parseHost('example.com')).toEqual({ name: 'example.com', port: 80 });
    expect(parseHost('example.com', 443)).toEqual({ name: 'example.com', port: 443 });
    for (const bad of ['', 'a b', 'x:99999', 'user@host', 'h/p', '::1:80', 'host:']) expect(parseHost(bad), bad).toBeUndefined();
  });

  it('serves the configured HOST on our port', () => {
    const p = hostPolicy({ host: 'console.lan', port: 3000, allowedHosts: [] });
    expect(p.allows('console.lan:3000', 3000)).toBe(true);
    expect(p.allows('console.lan:3001', 3000)).toBe(false);
    expect(p.allows('10.0.0.5:3000', 3000)).toBe(false);
  });

  it('with a wildcard bind, serves IP literals (they cannot be rebound) but not names', () => {
    for (const host of ['0.0.0.0', '::']) {
      const p = hostPolicy({ host, port: 3000, allowedHosts: [] });
      expect(p.allows('10.0.0.5:3000', 3000)).toBe(true);
      expect(p.allows('[fd00::5]:3000', 3000)).toBe(true);
      expect(p.allows('localhost:3000', 3000)).toBe(true);
      expect(p.allows('myhost.lan:3000', 3000)).toBe(false);
      expect(p.allows('10.0.0.5:3001', 3000)).toBe(false);
    }
  });

  it('with port 80, a Host without port is ours', () => {
    const p = hostPolicy({ host: '127.0.0.1', port: 80, allowedHosts: [] });
    expect(p.allows('localhost', 80)).toBe(true);
    expect(p.allows('localhost:80', 80)).toBe(true);
  });
});

describe('Origin check (CSRF)', () => {
  it('lets writes without Origin through (SDKs, curl)', async () => {
    expect((await post('/api/orchestration/workflows')).status).toBe(201);
  });

  it.each([() => `http://127.0.0.1:${port}`, () => `http://localhost:${port}`, () => `http://[::1]:${port}`])('lets same-origin writes through (%#)', async (origin) => {
    const r = await post('/api/orchestration/v2/workflows', { origin: origin(), 'sec-fetch-site': 'same-origin' });
    expect(r.status).toBe(201);
  });

  it.each([
    ['a foreign site', () => 'https://evil.example'],
    ['a foreign site on our port', () => `http://evil.example:${port}`],
    ['another local port', () => `http://127.0.0.1:${port === 1 ? 2 : port - 1}`],
    ['an opaque origin (sandboxed iframe, file:)', () => 'null'],
    ['a non-http scheme', () => `chrome-extension://abc`],
    ['garbage', () => 'not a url'],
  ])('refuses writes from %s with 403 JSON, storing nothing', async (_what, origin) => {
    const before = (await server.api.get('/api/orchestration/workflows')).body.data.length;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await rawRequest(server.url, '/api/orchestration/workflows', {
        method,
        body: wf,
        headers: { 'content-type': 'application/json', origin: origin() },
      });
      expect(r.status, method).toBe(403);
      expect(r.json()).toEqual({ errorCode: 'VALIDATION', errorMessage: expect.stringContaining('origin not allowed') });
    }
    expect((await server.api.get('/api/orchestration/workflows')).body.data.length).toBe(before);
  });

  it('refuses writes marked Sec-Fetch-Site: cross-site even without Origin', async () => {
    expect((await post('/api/orchestration/workflows', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('refuses a cross-site form post (text/plain, no preflight) to the token endpoint and the API', async () => {
    for (const path of ['/api/orchestration/workflows', '/api/auth/oauth/token']) {
      const r = await post(path, { origin: 'https://evil.example', 'content-type': 'text/plain' });
      expect(r.status, path).toBe(403);
    }
  });

  it('does not block reads with a foreign Origin (browsers keep the answer from the page without CORS headers)', async () => {
    const r = await rawRequest(server.url, '/api/orchestration/workflows', { headers: { origin: 'https://evil.example' } });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security headers', () => {
  it('sets CSP (no inline script), nosniff, no referrer, no framing on the SPA', async () => {
    const r = await rawRequest(server.url, '/workflows/some-deep-link', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toContain('<div id="root">');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['worker-src']).toEqual(["'self'", 'blob:']);
    expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives['base-uri']).toEqual(["'self'"]);
    expect(directives['form-action']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('sets them on API answers and on refusals too, with a policy that lets nothing run', async () => {
    for (const r of [
      await rawRequest(server.url, '/api/orchestration/v2/workflows'),
      await rawRequest(server.url, '/api/nope'),
      await rawRequest(server.url, '/_healthcheck', { headers: { host: 'evil.example' } }),
    ]) {
      expect(r.headers['content-type']).toMatch(/json/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['content-security-policy']).toBe(DATA_CSP);
      // framing is refused by the policy's frame-ancestors; X-Frame-Options is for documents
      expect(r.headers['x-frame-options']).toBeUndefined();
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it("gives what a browser can run as a document the page's policy, scripts (workers) their own, data the strict one", () => {
    for (const type of ['text/html; charset=utf-8', 'image/svg+xml', null]) {
      expect(securityHeadersFor(type)['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    for (const type of ['text/javascript; charset=utf-8', 'application/javascript']) {
      expect(securityHeadersFor(type)['Content-Security-Policy']).toBe(SCRIPT_CSP);
    }
    for (const type of ['application/json', 'text/css; charset=utf-8', 'text/csv', 'text/event-stream', 'font/woff2']) {
      expect(securityHeadersFor(type)['Content-Security-Policy']).toBe(DATA_CSP);
    }
  });
});

describe('request body limit on /api/*', () => {
  const big = Buffer.alloc(API_BODY_LIMIT + 1, 'a');

  it(`answers 413 JSON above ${API_BODY_LIMIT} bytes (Content-Length)`, async () => {
    const before = (await server.api.get('/api/orchestration/workflows')).body.data.length;
    const body = JSON.stringify({ name: 'x'.repeat(API_BODY_LIMIT), stages: [{ noop: {} }] });
    const r = await post('/api/orchestration/workflows', {}, body);
    expect(r.status).toBe(413);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json()).toEqual({ errorCode: 'VALIDATION', errorMessage: expect.stringContaining('too large') });
    expect((await server.api.get('/api/orchestration/workflows')).body.data.length).toBe(before);
  });

  it('answers 413 for a chunked body without Content-Length', async () => {
    const chunks = Array.from({ length: 20 }, () => big.subarray(0, 64 * 1024));
    const r = await rawRequest(server.url, '/api/orchestration/v2/workflows', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      chunks,
    });
    expect(r.status).toBe(413);
    expect(r.json().errorCode).toBe('VALIDATION');
  });

  it('accepts a body just under the limit (the handler decides)', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(API_BODY_LIMIT - 100), stages: [{ noop: {} }] });
    const r = await post('/api/orchestration/v2/workflows', {}, body);
    expect(r.status).not.toBe(413);
  });
});
