import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { json } from '../store/db.js';
import { Api, startTestServer } from '../test/harness.js';

// `/api/console/views`: saved views of the lists, in the console's own store — embedded mode
// (the service's database) and remote mode (the console's own, opened on first use). Bad input
// is a 400 naming the field and stores nothing; an unknown id is a 404.

type Server = Awaited<ReturnType<typeof startTestServer>>;
let embedded: Server;
let remote: Server;

beforeAll(async () => {
  embedded = await startTestServer();
  // The embedded server plays the stack: the remote console keeps its views in its own store.
  remote = await startTestServer({ FORMANCE_URL: embedded.url, DATA_DIR: 'memory' });
}, 120_000);

afterAll(async () => {
  await remote?.close();
  await embedded?.close();
});

const view = {
  list: 'instances',
  name: 'Big EUR payouts',
  filters: { status: 'running', vars: 'amount > 1000 and currency = EUR' },
  sort: 'createdAt:desc',
  columns: ['id', 'status', '$userID', '$amount'],
  timeRange: { since: '24h' },
};

for (const mode of ['embedded', 'remote'] as const) {
  describe(`saved views (${mode} mode)`, () => {
    const api = () => (mode === 'embedded' ? embedded.api : remote.api) as Api;
    const all = async (list = 'instances') => (await api().get(`/api/console/views?list=${list}`)).body.data as { id: string; name: string; isDefault: boolean }[];

    it('create, read, list, rename, update, make default, delete', async () => {
      const created = await api().post('/api/console/views', view);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const v = created.body.data;
      expect(v).toMatchObject({ ...view, isDefault: false, id: expect.any(String), createdAt: expect.any(String) });
      expect((await api().get(`/api/console/views/${v.id}`)).body.data).toEqual(v);
      expect((await all()).map((x) => x.name)).toContain('Big EUR payouts');

      const renamed = await api().request('PATCH', `/api/console/views/${v.id}`, { name: 'Large EUR payouts' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.data).toMatchObject({ name: 'Large EUR payouts', filters: view.filters, columns: view.columns });

      const updated = await api().request('PATCH', `/api/console/views/${v.id}`, {
        filters: { status: 'failed' },
        sort: null,
        columns: ['id', '$userID'],
        timeRange: { from: '2026-01-01T00:00:00+01:00' },
      });
      expect(updated.body.data).toMatchObject({ filters: { status: 'failed' }, columns: ['id', '$userID'], timeRange: { from: '2025-12-31T23:00:00.000Z' } });
      expect(updated.body.data.sort).toBeUndefined();

      // One default per list: making another the default takes it from the first.
      const other = (await api().post('/api/console/views', { list: 'instances', name: 'Failed today', filters: { status: 'failed' }, isDefault: true })).body.data;
      expect(other.isDefault).toBe(true);
      await api().request('PATCH', `/api/console/views/${v.id}`, { isDefault: true });
      expect((await all()).filter((x) => x.isDefault).map((x) => x.id)).toEqual([v.id]);
      // Other lists have their own defaults and names.
      const wf = await api().post('/api/console/views', { list: 'workflows', name: 'Failed today', filters: { q: 'payout' }, isDefault: true });
      expect(wf.status).toBe(201);
      expect((await all()).filter((x) => x.isDefault).map((x) => x.id)).toEqual([v.id]);

      expect((await api().delete(`/api/console/views/${v.id}`)).status).toBe(204);
      expect((await api().get(`/api/console/views/${v.id}`)).status).toBe(404);
      expect((await api().delete(`/api/console/views/${v.id}`)).status).toBe(404);
      await api().delete(`/api/console/views/${other.id}`);
      await api().delete(`/api/console/views/${wf.body.data.id}`);
    });

    it('a whole-number filter is stored and returned as a number; one stored as text still loads', async () => {
      const created = await api().post('/api/console/views', { list: 'instances', name: 'Retrying a lot', filters: { state: 'retrying', minRetries: 3 } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.data.filters).toEqual({ state: 'retrying', minRetries: 3 });
      expect((await api().get(`/api/console/views/${created.body.data.id}`)).body.data.filters).toEqual({ state: 'retrying', minRetries: 3 });
      const patched = await api().request('PATCH', `/api/console/views/${created.body.data.id}`, { filters: { minRetries: 5 } });
      expect(patched.body.data.filters).toEqual({ minRetries: 5 });

      // A view saved by an earlier console holds the number as text.
      const server = mode === 'embedded' ? embedded : remote;
      const db = await server.context.consoleStore.db();
      const id = randomUUID();
      const now = new Date();
      await db.query(
        `insert into console_views (id, list, name, state, is_default, created_at, updated_at) values ($1, 'instances', 'Old retries', $2::jsonb, false, $3, $3)`,
        [id, json({ filters: { minRetries: '2', status: 'running' } }), now],
      );
      expect((await api().get(`/api/console/views/${id}`)).body.data.filters).toEqual({ minRetries: 2, status: 'running' });
      expect((await all()).find((v) => v.id === id)).toMatchObject({ filters: { minRetries: 2, status: 'running' } });
      // Its next write stores the number.
      await api().request('PATCH', `/api/console/views/${id}`, { name: 'Older retries' });
      const [row] = await db.query<{ state: { filters: Record<string, unknown> } }>(`select state from console_views where id = $1`, [id]);
      expect(row!.state.filters).toEqual({ minRetries: 2, status: 'running' });
      await api().delete(`/api/console/views/${id}`);
      await api().delete(`/api/console/views/${created.body.data.id}`);
    });

    it('bad input is a 400 naming the field, and nothing is stored', async () => {
      const before = await all();
      for (const [body, field] of [
        [{ ...view, list: 'payments' }, 'list:'],
        [{ ...view, name: '  ' }, 'name:'],
        [{ ...view, name: 'x'.repeat(81) }, 'name:'],
        [{ ...view, filters: { vars: 'amount > lots' } }, "filters.vars: 'amount > lots'"],
        [{ ...view, filters: { status: 3 } }, 'filters.status:'],
        [{ ...view, filters: { minRetries: '3' } }, 'filters.minRetries: expected a whole number'],
        [{ ...view, filters: { minRetries: 0 } }, 'filters.minRetries: expected a whole number'],
        [{ ...view, filters: { minRetries: 2.5 } }, 'filters.minRetries: expected a whole number'],
        [{ ...view, filters: { 'bad key': 'x' } }, 'filters.bad key:'],
        [{ ...view, sort: 'createdAt' }, 'sort:'],
        [{ ...view, columns: ['id', 'id'] }, 'columns[1]:'],
        [{ ...view, columns: ['$a,b'] }, 'columns[0]:'],
        [{ ...view, timeRange: { since: 'yesterday' } }, 'timeRange.since:'],
        [{ ...view, timeRange: { from: 'monday' } }, 'timeRange.from:'],
        [{ ...view, timeRange: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, 'timeRange.to:'],
        [{ ...view, isDefault: 'yes' }, 'isDefault:'],
        [{ ...view, owner: 'me' }, 'owner: unknown field'],
        ['not an object', 'request body:'],
      ] as const) {
        const r = await api().post('/api/console/views', body);
        expect(r.status, `${field} ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.errorCode).toBe('VALIDATION');
        expect(r.body.errorMessage.startsWith(field), r.body.errorMessage).toBe(true);
      }
      const raw = await api().request('POST', '/api/console/views', '{"list":', { 'content-type': 'application/json' });
      expect(raw.status).toBe(400);
      // A name is unique per list (whatever the case).
      const first = (await api().post('/api/console/views', { list: 'triggers', name: 'Deposits' })).body.data;
      const dup = await api().post('/api/console/views', { list: 'triggers', name: 'DEPOSITS' });
      expect(dup.status).toBe(400);
      expect(dup.body.errorMessage).toMatch(/^name: the triggers list already has a view named 'DEPOSITS'/);
      // A refused update changes nothing.
      const bad = await api().request('PATCH', `/api/console/views/${first.id}`, { name: 'Renamed', columns: 'id' });
      expect(bad.status).toBe(400);
      expect(bad.body.errorMessage).toMatch(/^columns:/);
      expect((await api().get(`/api/console/views/${first.id}`)).body.data.name).toBe('Deposits');
      expect((await api().request('PATCH', `/api/console/views/${first.id}`, { list: 'workflows' })).body.errorMessage).toMatch(/^list: unknown field/);
      expect((await api().request('PATCH', '/api/console/views/nope', { name: 'x' })).status).toBe(404);
      expect((await api().get('/api/console/views?list=payments')).body.errorMessage).toMatch(/^invalid 'list' query param/);
      await api().delete(`/api/console/views/${first.id}`);
      expect(await all()).toEqual(before);
    });
  });
}

describe("saved views are the console server's own, shared by its users", () => {
  it('remote mode keeps them in the console store, not on the stack', async () => {
    const created = (await remote.api.post('/api/console/views', { list: 'workflows', name: 'Shared' })).body.data;
    // Another client of the same console server sees it; the stack (another server) does not.
    const other = new Api(remote.url);
    expect((await other.get('/api/console/views?list=workflows')).body.data.map((v: { id: string }) => v.id)).toContain(created.id);
    expect((await embedded.api.get(`/api/console/views/${created.id}`)).status).toBe(404);
  });
});
