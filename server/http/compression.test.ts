import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../scripts/lib/precompress.mjs';
import { startTestServer } from '../test/harness.js';
import { rawRequest, type RawResponse } from './raw-request.js';
import { COMPRESS_JSON_MIN_BYTES } from './compress-json.js';

// Behaviour of compression and validators (static files precompressed by the build step, API JSON
// compressed per answer). Sizes on the wire are measured in `npm run bench`, never here.

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let staticDir: string;

const script = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, name: "row ${i}" }`).join(', ')}];\n`;
const index = `<!doctype html><html><head><title>Flows</title>${'<meta name="x" content="padding to be worth compressing">'.repeat(10)}</head><body><div id="root"></div></body></html>`;
const SCRIPT = '/assets/app-3f9a1c.js';

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'flows-compress-'));
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), index);
  writeFileSync(join(staticDir, SCRIPT), script);
  writeFileSync(join(staticDir, 'assets/tiny-1.css'), 'a{color:red}');
  await precompressDir(staticDir);
  server = await startTestServer({ STATIC_DIR: staticDir });
});
afterAll(async () => {
  await server?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => rawRequest(server.url, path, { method, headers });
const decoded = (r: RawResponse) => {
  const coding = r.headers['content-encoding'];
  const bytes = coding === 'br' ? brotliDecompressSync(r.body) : coding === 'gzip' ? gunzipSync(r.body) : r.body;
  return bytes.toString('utf8');
};

describe('static files', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['*', 'br'],
  ])('Accept-Encoding %j gets %s, with Vary and a long cache for a hashed asset', async (accept, coding) => {
    const r = await get(SCRIPT, { 'accept-encoding': accept });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe(coding);
    expect(r.headers['vary']).toBe('Accept-Encoding');
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(script));
    expect(decoded(r)).toBe(script);
  });

  it.each([[undefined], ['identity'], ['br;q=0, gzip;q=0'], ['zstd']])('Accept-Encoding %j gets the file uncompressed, still with Vary', async (accept) => {
    const r = await get(SCRIPT, accept === undefined ? {} : { 'accept-encoding': accept });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['vary']).toBe('Accept-Encoding');
    expect(r.text).toBe(script);
  });

  it('gives each coding its own ETag, and answers 304 to a matching If-None-Match (weak or in a list)', async () => {
    const [br, gz, plain] = await Promise.all([get(SCRIPT, { 'accept-encoding': 'br' }), get(SCRIPT, { 'accept-encoding': 'gzip' }), get(SCRIPT)]);
    const tags = [br, gz, plain].map((r) => r.headers['etag'] as string);
    expect(new Set(tags).size).toBe(3);
    for (const tag of tags) expect(tag).toMatch(/^"[^"]+"$/);

    const again = await get(SCRIPT, { 'accept-encoding': 'br', 'if-none-match': tags[0]! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(tags[0]);
    expect(again.headers['vary']).toBe('Accept-Encoding');
    expect((await get(SCRIPT, { 'accept-encoding': 'br', 'if-none-match': `"other", W/${tags[0]}` })).status).toBe(304);
    // The brotli tag does not validate the gzip body.
    expect((await get(SCRIPT, { 'accept-encoding': 'gzip', 'if-none-match': tags[0]! })).status).toBe(200);
    expect((await get(SCRIPT, { 'if-modified-since': plain.headers['last-modified'] as string })).status).toBe(304);
    expect((await get(SCRIPT, { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status).toBe(200);
  });

  it('revalidates index.html (also as the SPA fallback) and compresses it', async () => {
    for (const path of ['/', '/instances/some-id']) {
      const r = await get(path, { accept: 'text/html', 'accept-encoding': 'gzip, br' });
      expect(r.status, path).toBe(200);
      expect(r.headers['cache-control'], path).toBe('no-cache');
      expect(r.headers['content-encoding'], path).toBe('br');
      expect(decoded(r), path).toBe(index);
      const again = await get(path, { accept: 'text/html', 'accept-encoding': 'gzip, br', 'if-none-match': r.headers['etag'] as string });
      expect(again.status, path).toBe(304);
      expect(again.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const full = await get(SCRIPT, { 'accept-encoding': 'br' });
    const head = await get(SCRIPT, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-encoding', 'content-length', 'etag', 'vary', 'cache-control', 'content-type']) expect(head.headers[h], h).toBe(full.headers[h]);
  });

  it('serves byte ranges of the uncompressed file', async () => {
    const r = await get(SCRIPT, { 'accept-encoding': 'br', range: 'bytes=0-9' });
    expect(r.status).toBe(206);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-range']).toBe(`bytes 0-9/${Buffer.byteLength(script)}`);
    expect(r.text).toBe(script.slice(0, 10));
    const tail = await get(SCRIPT, { range: 'bytes=-5' });
    expect(tail.status).toBe(206);
    expect(tail.text).toBe(script.slice(-5));
    const outside = await get(SCRIPT, { range: `bytes=${Buffer.byteLength(script)}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${Buffer.byteLength(script)}`);
    // If-Range with a validator that no longer matches: the whole (current) file.
    const stale = await get(SCRIPT, { range: 'bytes=0-9', 'if-range': '"old"' });
    expect(stale.status).toBe(200);
    expect(stale.text).toBe(script);
  });

  it('sends a file too small to be worth it as is, without Vary', async () => {
    const r = await get('/assets/tiny-1.css', { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['vary']).toBeUndefined();
    expect(r.text).toBe('a{color:red}');
  });

  it('answers 404 for a missing hashed asset (never index.html as a script) and serves nothing outside the build', async () => {
    expect((await get('/assets/gone-123.js')).status).toBe(404);
    for (const path of ['/assets/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await get(path);
      expect(r.text, path).not.toContain('root:');
    }
  });
});

describe('API JSON', () => {
  beforeAll(async () => {
    for (let i = 0; i < 12; i++) await server.api.post('/api/orchestration/v2/workflows', { name: `compression-${i}`, stages: [{ noop: {} }] });
  });

  it.each([
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
  ])('compresses a large answer for Accept-Encoding %j with %s', async (accept, coding) => {
    const plain = await get('/api/orchestration/v2/workflows?pageSize=100');
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(COMPRESS_JSON_MIN_BYTES);
    const r = await get('/api/orchestration/v2/workflows?pageSize=100', { 'accept-encoding': accept });
    expect(r.headers['content-encoding']).toBe(coding);
    expect(r.headers['vary']).toMatch(/Accept-Encoding/);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(decoded(r))).toEqual(plain.json());
  });

  it('sends a large answer uncompressed to a client that does not accept a coding, with Vary', async () => {
    const r = await get('/api/orchestration/v2/workflows?pageSize=100', { 'accept-encoding': 'identity' });
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['vary']).toMatch(/Accept-Encoding/);
    expect(r.json().cursor.data.length).toBeGreaterThanOrEqual(12);
  });

  it('leaves a small answer (below the threshold) and errors of a few bytes uncompressed', async () => {
    const small = await get('/api/orchestration/v2/workflows?pageSize=1', { 'accept-encoding': 'br, gzip' });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(COMPRESS_JSON_MIN_BYTES);
    expect(small.headers['content-encoding']).toBeUndefined();
    const missing = await get('/api/orchestration/v2/workflows/nope', { 'accept-encoding': 'br, gzip' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();
    expect(missing.json().errorCode).toBe('NOT_FOUND');
  });
});
