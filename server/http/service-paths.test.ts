import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/harness.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('the API without the gateway prefix (as the upstream service mounts it)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('serves v2, v1 and _info under the service paths, with bodies and the same store', async () => {
    const created = await server.api.post('/v2/workflows', { name: 'direct', stages: [{ noop: {} }] });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const v2 = await server.api.get(`/api/orchestration/v2/workflows/${id}`);
    expect(v2.body.data.config.name).toBe('direct');
    const v1 = await server.api.get(`/workflows/${id}`);
    expect(v1.status).toBe(200);
    expect(v1.body.data.id).toBe(id);
    const list = await server.api.get('/v2/workflows?pageSize=100');
    expect(list.body.cursor.data.map((w: { id: string }) => w.id)).toContain(id);
    const run = await server.api.post(`/workflows/${id}/instances?wait=true`, {});
    expect(run.status).toBe(201);
    expect((await server.api.get(`/instances/${run.body.data.id}`)).body.data.terminated).toBe(true);
    const info = await server.api.get('/_info');
    expect(info.status).toBe(200);
    expect(typeof info.body.version).toBe('string');
    // Validation errors read the same as under the prefix.
    const bad = await server.api.post('/v2/workflows', { stages: [{ nope: {} }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe('VALIDATION');
  });

  it('leaves browser navigations to /workflows, /instances and /triggers to the console', async () => {
    for (const path of ['/workflows', '/instances/abc', '/triggers']) {
      const page = await server.api.request('GET', path, undefined, { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' });
      expect(page.contentType ?? '').not.toContain('application/json');
      const api = await server.api.request('GET', path, undefined, { accept: 'application/json' });
      expect(api.contentType ?? '').toContain('application/json');
    }
  });

  it('says the answer varies with Accept and Sec-Fetch-Mode, page and API alike (a cache must not mix them)', async () => {
    const asked: Record<string, string>[] = [{ accept: 'text/html', 'sec-fetch-mode': 'navigate' }, { accept: 'application/json' }];
    for (const headers of asked) {
      for (const path of ['/workflows', '/v2/instances', '/triggers']) {
        const res = await fetch(`${server.url}${path}`, { headers });
        await res.arrayBuffer();
        const vary = (res.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());
        expect(vary, `${path} ${headers.accept}`).toEqual(expect.arrayContaining(['accept', 'sec-fetch-mode']));
      }
    }
  });

  it('answers a wrong method on a known path with 405 and Allow, an unknown path with 404', async () => {
    const res = await fetch(`${server.url}/api/orchestration/v2/workflows`, { method: 'PATCH' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await res.json()).toMatchObject({ errorCode: 'VALIDATION', errorMessage: expect.stringContaining('PATCH') });
    const one = await fetch(`${server.url}/v2/workflows/some-id/`, { method: 'PUT' });
    expect(one.status).toBe(405);
    expect(one.headers.get('allow')).toBe('DELETE, GET, HEAD');
    const unknown = await fetch(`${server.url}/api/orchestration/v2/nothing-here`, { method: 'PATCH' });
    expect(unknown.status).toBe(404);
  });
});

describe('service paths with AUTH_CLIENTS', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ AUTH_CLIENTS: 'direct:direct-secret' });
  });
  afterAll(() => server?.close());

  it('require a token like the prefixed paths; _info stays open', async () => {
    expect((await server.api.get('/v2/workflows')).status).toBe(401);
    expect((await server.api.post('/workflows', { stages: [] })).status).toBe(401);
    expect((await server.api.get('/_info')).status).toBe(200);
    const token = await server.api.request('POST', '/api/auth/oauth/token', 'grant_type=client_credentials&client_id=direct&client_secret=direct-secret', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    const auth = { authorization: `Bearer ${token.body.access_token}` };
    expect((await server.api.request('GET', '/v2/workflows', undefined, auth)).status).toBe(200);
  });
});
