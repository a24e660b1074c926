import { Readable } from 'node:stream';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/harness.js';
import { API_BODY_LIMIT } from './security.js';

/**
 * A client that keeps connections alive (Node's fetch, the SDKs, browsers) sends its next request
 * on the connection that just carried a rejected one. Whatever layer refuses a request before
 * reading its body (Host/Origin check, authentication, the input guard, an unknown route), the
 * connection must stay usable: the next request on it is answered, no new connection is needed.
 * The bodies are large (most of the 1 MiB limit), so they are still arriving when the refusal is
 * sent. A body over the limit is refused with `Connection: close`, announced, so the client
 * opens a new connection for the next request.
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
/** a bearer token of the server's AUTH_CLIENTS: every refusal but authentication's is reached with it */
let auth: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({ AUTH_CLIENTS: 'ka:keep-alive-secret' });
  const token = await server.api.post('/api/auth/oauth/token', 'grant_type=client_credentials&client_id=ka&client_secret=keep-alive-secret', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  auth = { authorization: `Bearer ${token.body.access_token as string}` };
});
afterAll(async () => {
  await server?.close();
});

/** JSON padded with trailing spaces (still the same JSON) to `size` bytes. */
const bigJson = (size: number) => Buffer.from(`{"name":"keep-alive"}${' '.repeat(size - 21)}`);
const BIG = API_BODY_LIMIT - 64 * 1024;

interface Rejected {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** sent without the bearer token */
  anonymous?: boolean;
  status: number;
}

/** Sends `first` with a large body, then a GET on the same client; both answers and the connection count. */
async function thenNext(url: string, first: Rejected, opts: { chunked?: boolean; size?: number } = {}) {
  const client = new Client(url, { pipelining: 1 });
  let connections = 0;
  client.on('connect', () => connections++);
  try {
    const body = bigJson(opts.size ?? BIG);
    const a = await client.request({
      method: first.method as 'POST',
      path: first.path,
      headers: { 'content-type': 'application/json', ...(first.anonymous ? {} : auth), ...first.headers },
      // a stream has no length: undici sends it chunked
      body: opts.chunked ? Readable.from([body.subarray(0, body.length / 2), body.subarray(body.length / 2)]) : body,
    });
    const aText = await a.body.text();
    const b = await client.request({ method: 'GET', path: '/_healthcheck', headers: auth });
    return { a: { status: a.statusCode, headers: a.headers, text: aText }, b: { status: b.statusCode, json: await b.body.json() }, connections };
  } finally {
    await client.close();
  }
}

describe('a kept-alive connection after a request refused before its body was read', () => {
  it.each<[string, Rejected]>([
    ['the input guard (NUL in the path)', { method: 'POST', path: '/api/orchestration/v2/workflows/a%00b/instances', status: 400 }],
    ['the input guard (NUL in the query)', { method: 'POST', path: '/api/orchestration/v2/workflows?name=a%00b', status: 400 }],
    ['the Origin check', { method: 'POST', path: '/api/orchestration/v2/workflows', headers: { origin: 'http://attacker.example' }, status: 403 }],
    ['an unknown API path', { method: 'POST', path: '/api/no-such-thing', status: 404 }],
    ['a path outside the API', { method: 'POST', path: '/no-such-page', status: 404 }],
  ])('stays usable after a refusal by %s', async (_what, first) => {
    for (const chunked of [false, true]) {
      const r = await thenNext(server.url, first, { chunked });
      expect(r.a.status, `chunked=${chunked}`).toBe(first.status);
      expect(r.b, `chunked=${chunked}`).toEqual({ status: 200, json: { status: 'ok' } });
      expect(r.connections, `chunked=${chunked}`).toBe(1);
    }
  });

  it('stays usable after a refusal by authentication (AUTH_CLIENTS)', async () => {
    for (const chunked of [false, true]) {
      const r = await thenNext(server.url, { method: 'POST', path: '/api/orchestration/v2/workflows', anonymous: true, status: 401 }, { chunked });
      expect(r.a.status).toBe(401);
      expect(r.b).toEqual({ status: 200, json: { status: 'ok' } });
      expect(r.connections).toBe(1);
    }
  });

  it('announces the close when the body is over the limit, and the next request gets a new connection', async () => {
    const r = await thenNext(server.url, { method: 'POST', path: '/api/orchestration/v2/workflows', status: 413 }, { size: API_BODY_LIMIT + 1 });
    expect(r.a.status).toBe(413);
    expect(r.a.headers.connection).toBe('close');
    expect(r.b).toEqual({ status: 200, json: { status: 'ok' } });
    expect(r.connections).toBe(2);
  });

  it("keeps an idle connection open past Node's 5 s default, so a pooled client can reuse it", async () => {
    const client = new Client(server.url, { keepAliveTimeout: 120_000, keepAliveMaxTimeout: 120_000 });
    let connections = 0;
    client.on('connect', () => connections++);
    try {
      const get = async () => {
        const r = await client.request({ method: 'GET', path: '/_healthcheck' });
        await r.body.text();
        return r.statusCode;
      };
      expect(await get()).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      expect(await get()).toBe(200);
      expect(connections).toBe(1);
    } finally {
      await client.close();
    }
  }, 20_000);
});
