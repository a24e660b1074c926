import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

// The console's optional filters on v2 `GET /instances` (status, time range, id search,
// provenance, newest-first order): additive, keyset paging intact.

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
const v2 = '/api/orchestration/v2';

const ids = { succeeded: '', failed: '', aborted: '', running: '', trigger: '' };
let workflowID = '';
let waitWorkflowID = '';
let t0 = '';
let tMiddle = '';

async function run(workflow: string): Promise<string> {
  const r = await server.api.post(`${v2}/workflows/${workflow}/instances`, {});
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.id;
}

async function terminated(id: string) {
  return eventually(async () => {
    const r = (await server.api.get(`${v2}/instances/${id}`)).body.data;
    return r.terminated ? r : undefined;
  });
}

/** Ids of every instance matching the query, following `next` cursors. */
async function listAll(query: string, pageSize = 2): Promise<string[]> {
  const out: string[] = [];
  let r = await server.api.get(`${v2}/instances?pageSize=${pageSize}&${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  for (;;) {
    out.push(...r.body.cursor.data.map((i: { id: string }) => i.id));
    if (!r.body.cursor.next) return out;
    r = await server.api.get(`${v2}/instances?cursor=${r.body.cursor.next}`);
    expect(r.status).toBe(200);
  }
}

beforeAll(async () => {
  server = await startTestServer();
  t0 = new Date(Date.now() - 1000).toISOString();
  workflowID = (await server.api.post(`${v2}/workflows`, { name: 'filters-noop', stages: [{ noop: {} }] })).body.data.id;
  waitWorkflowID = (await server.api.post(`${v2}/workflows`, { name: 'filters-wait', stages: [{ wait_event: { event: 'never' } }] })).body.data.id;
  const failWorkflowID = (
    await server.api.post(`${v2}/workflows`, {
      name: 'filters-fail',
      // An event name that interpolates to empty fails run-time validation.
      stages: [{ wait_event: { event: '${missing}' } }],
    })
  ).body.data.id;

  ids.succeeded = await run(workflowID);
  await terminated(ids.succeeded);
  ids.failed = await run(failWorkflowID);
  expect((await terminated(ids.failed)).error).toMatch(/WaitEvent\.Event/);
  await new Promise((r) => setTimeout(r, 20));
  tMiddle = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  ids.aborted = await run(waitWorkflowID);
  await eventually(async () => (await server.api.get(`${v2}/instances/${ids.aborted}`)).body.data.status?.length);
  expect((await server.api.put(`${v2}/instances/${ids.aborted}/abort`)).status).toBe(204);
  await terminated(ids.aborted);
  ids.running = await run(waitWorkflowID);
  const started = await server.ctx.flows.instances.run(workflowID, {}, { triggerID: 'trigger-filters', occurrenceID: 'occurrence-filters' });
  ids.trigger = started.id;
  await terminated(ids.trigger);
});

afterAll(async () => {
  await server?.close();
});

describe('v2 GET /instances console filters', () => {
  it('filters by derived status, alone or combined, and with workflowID / running', async () => {
    const mine = (list: string[]) => list.filter((id) => Object.values(ids).includes(id));
    expect(mine(await listAll('status=succeeded'))).toEqual([ids.succeeded, ids.trigger]);
    expect(mine(await listAll('status=failed'))).toEqual([ids.failed]);
    expect(mine(await listAll('status=aborted'))).toEqual([ids.aborted]);
    expect(mine(await listAll('status=running'))).toEqual([ids.running]);
    expect(mine(await listAll('status=failed,aborted'))).toEqual([ids.failed, ids.aborted]);
    expect(await listAll(`status=succeeded&workflowID=${workflowID}`)).toEqual([ids.succeeded, ids.trigger]);
    expect(await listAll(`status=aborted&workflowID=${waitWorkflowID}`)).toEqual([ids.aborted]);
    // running=true and a terminal status: nothing can match both.
    expect(await listAll(`status=succeeded&running=true&workflowID=${workflowID}`)).toEqual([]);
  });

  it('filters by start time range (after inclusive, before exclusive)', async () => {
    const after = await listAll(`startedAfter=${encodeURIComponent(tMiddle)}`);
    expect(after).toEqual([ids.aborted, ids.running, ids.trigger]);
    const between = await listAll(`startedAfter=${encodeURIComponent(t0)}&startedBefore=${encodeURIComponent(tMiddle)}`);
    expect(between).toEqual([ids.succeeded, ids.failed]);
    // Offsets other than Z are understood.
    const plus2 = new Date(Date.parse(tMiddle)).toISOString().replace('Z', '+00:00');
    expect(await listAll(`startedBefore=${encodeURIComponent(plus2)}`)).toEqual([ids.succeeded, ids.failed]);
  });

  it('searches by a case-insensitive piece of the id, wildcards taken literally', async () => {
    const piece = ids.running.slice(9, 18).toUpperCase();
    expect(await listAll(`id=${piece}`)).toEqual([ids.running]);
    expect(await listAll(`id=${ids.failed}`)).toEqual([ids.failed]);
    expect(await listAll('id=%25')).toEqual([]);
    expect(await listAll('id=_')).toEqual([]);
  });

  it('filters by provenance', async () => {
    expect(await listAll('origin=trigger')).toEqual([ids.trigger]);
    expect(await listAll('triggerID=trigger-filters')).toEqual([ids.trigger]);
    expect(await listAll('triggerID=other')).toEqual([]);
    const manual = await listAll('origin=manual');
    expect(manual).toEqual([ids.succeeded, ids.failed, ids.aborted, ids.running]);
    const inst = (await server.api.get(`${v2}/instances?origin=trigger`)).body.cursor.data[0];
    expect(inst).toMatchObject({ triggerID: 'trigger-filters', occurrenceID: 'occurrence-filters' });
  });

  it('pages newest first with next and previous cursors that keep the filters', async () => {
    const all = [ids.succeeded, ids.failed, ids.aborted, ids.running, ids.trigger];
    expect(await listAll('order=desc', 2)).toEqual([...all].reverse());
    expect(await listAll('order=asc', 2)).toEqual(all);

    const first = (await server.api.get(`${v2}/instances?order=desc&pageSize=2&origin=manual`)).body.cursor;
    expect(first.data.map((i: { id: string }) => i.id)).toEqual([ids.running, ids.aborted]);
    expect(first.hasMore).toBe(true);
    expect(first.previous).toBeUndefined();
    const second = (await server.api.get(`${v2}/instances?cursor=${first.next}`)).body.cursor;
    expect(second.data.map((i: { id: string }) => i.id)).toEqual([ids.failed, ids.succeeded]);
    expect(second.hasMore).toBe(false);
    expect(second.next).toBeUndefined();
    const back = (await server.api.get(`${v2}/instances?cursor=${second.previous}`)).body.cursor;
    expect(back.data.map((i: { id: string }) => i.id)).toEqual([ids.running, ids.aborted]);
    expect(back.previous).toBeUndefined();
  });

  it('sorts by a column on the server; keyset pages forward and back neither skip nor repeat rows', async () => {
    type Row = { id: string; createdAt: string; terminatedAt?: string; workflow?: { config: { name: string } }; triggerID?: string };
    const durationOf = (i: Row) => (i.terminatedAt ? Date.parse(i.terminatedAt) - Date.parse(i.createdAt) : undefined);
    for (const field of ['duration', 'createdAt', 'workflow', 'id', 'origin']) {
      for (const dir of ['asc', 'desc']) {
        const query = `sort=${field}:${dir}`;
        const whole = (await server.api.get(`${v2}/instances?${query}&pageSize=100`)).body.cursor.data as Row[];
        expect(whole.map((i) => i.id).sort()).toEqual(Object.values(ids).sort());
        // Pages of 2, forward, then back from the last page.
        const pages: Row[][] = [];
        let r = (await server.api.get(`${v2}/instances?${query}&pageSize=2`)).body.cursor;
        for (;;) {
          pages.push(r.data);
          if (!r.next) break;
          r = (await server.api.get(`${v2}/instances?cursor=${r.next}`)).body.cursor;
        }
        expect(
          pages.flat().map((i) => i.id),
          query,
        ).toEqual(whole.map((i) => i.id));
        const back: Row[][] = [r.data];
        while (r.previous) {
          r = (await server.api.get(`${v2}/instances?cursor=${r.previous}`)).body.cursor;
          back.unshift(r.data);
        }
        expect(
          back.flat().map((i) => i.id),
          `${query} backwards`,
        ).toEqual(whole.map((i) => i.id));
        if (field === 'duration') {
          // Blanks (still running) last in both directions; the others in order.
          expect(whole[whole.length - 1]!.id).toBe(ids.running);
          const ms = whole.slice(0, -1).map((i) => durationOf(i)!);
          expect(ms).toEqual([...ms].sort((a, b) => (dir === 'asc' ? a - b : b - a)));
        }
        if (field === 'workflow') {
          const names = whole.map((i) => i.workflow!.config.name);
          expect(names).toEqual([...names].sort().map((_, k, sorted) => (dir === 'asc' ? sorted[k] : sorted[sorted.length - 1 - k])));
        }
      }
    }
  });

  it('a cursor wins over the other params, as for workflowID and running', async () => {
    const first = (await server.api.get(`${v2}/instances?status=succeeded&pageSize=1`)).body.cursor;
    expect(first.data.map((i: { id: string }) => i.id)).toEqual([ids.succeeded]);
    // status=bogus beside a cursor is ignored, not a 400.
    const next = await server.api.get(`${v2}/instances?cursor=${first.next}&status=bogus&pageSize=50`);
    expect(next.status).toBe(200);
    expect(next.body.cursor.pageSize).toBe(1);
    expect(next.body.cursor.data.map((i: { id: string }) => i.id)).toEqual([ids.trigger]);
  });

  it('rejects invalid values with 400 VALIDATION naming the parameter', async () => {
    for (const [query, param] of [
      ['status=done', 'status'],
      ['status=running,nope', 'status'],
      ['startedAfter=yesterday', 'startedAfter'],
      ['startedBefore=2024-01-01', 'startedBefore'],
      ['origin=robot', 'origin'],
      ['order=up', 'order'],
      ['sort=colour:asc', 'sort'],
      ['sort=duration:sideways', 'sort'],
    ]) {
      const r = await server.api.get(`${v2}/instances?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.errorCode).toBe('VALIDATION');
      expect(r.body.errorMessage).toContain(`'${param}'`);
    }
  });

  it('v1 lists keep ignoring the console filters', async () => {
    const r = await server.api.get(`/api/orchestration/instances?status=failed&order=desc&origin=trigger`);
    expect(r.status).toBe(200);
    expect(r.body.data.map((i: { id: string }) => i.id)).toEqual([ids.succeeded, ids.failed, ids.aborted, ids.running, ids.trigger]);
  });
});
