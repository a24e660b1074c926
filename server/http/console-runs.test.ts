import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

// The console's work on many runs (docs/instance-search.md): exports of a whole filter as CSV
// or JSON, streamed; one instance's complete record; bulk jobs on a whole filter with a preview,
// progress and a row-by-row report — in embedded mode and against a stack (remote mode).

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let remote: Server;
const v2 = '/api/orchestration/v2';
let noopID = '';
let waitID = '';
const finished: string[] = [];
const waiting: string[] = [];

async function raw(base: string, path: string) {
  const res = await fetch(base + path);
  // Keep a byte order mark: the CSV starts with one.
  return { status: res.status, headers: res.headers, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()) };
}

/** Minimal RFC 4180 reader (quoted fields with commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

beforeAll(async () => {
  server = await startTestServer();
  remote = await startTestServer({ FORMANCE_URL: server.url, DATA_DIR: 'memory' });
  noopID = (await server.api.post(`${v2}/workflows`, { name: 'runs-noop', stages: [{ noop: {} }] })).body.data.id;
  waitID = (await server.api.post(`${v2}/workflows`, { name: 'runs-wait', stages: [{ wait_event: { event: 'never' } }] })).body.data.id;
  const values = ['=HYPERLINK("http://x")', 'plain', 'a,b', 'say "hi"', 'two\nlines', '-5', '@me'];
  for (const [n, note] of values.entries()) {
    finished.push((await server.api.post(`${v2}/workflows/${noopID}/instances`, { n: String(n), note })).body.data.id);
  }
  for (let n = 0; n < 5; n++) waiting.push((await server.api.post(`${v2}/workflows/${waitID}/instances`, { n: String(n), team: n < 3 ? 'red' : 'blue' })).body.data.id);
  await eventually(async () => {
    const r = await server.api.get(`${v2}/instances?workflowID=${noopID}&status=succeeded&pageSize=100`);
    return r.body.cursor.data.length === finished.length;
  });
}, 120_000);

afterAll(async () => {
  await remote?.close();
  await server?.close();
});

describe('export', () => {
  it('CSV: every matching row with the chosen columns, safe for spreadsheets, the total in a header', async () => {
    const r = await raw(server.url, `/api/console/instances/export?workflowID=${noopID}&columns=id,status,$note,$n,trigger,stage,duration&order=asc`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="instances-.*\.csv"$/);
    expect(r.headers.get('x-total-count')).toBe(String(finished.length));
    expect(r.text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(r.text.slice(1));
    expect(rows[0]).toEqual(['Instance', 'Status', '${note}', '${n}', 'Started by', 'Stage', 'Duration']);
    expect(rows.slice(1).map((x) => x[0])).toEqual(finished);
    expect(rows.slice(1).map((x) => x[2])).toEqual([`'=HYPERLINK("http://x")`, 'plain', 'a,b', 'say "hi"', 'two\nlines', "'-5", "'@me"]);
    expect(rows[1]!.slice(1, 2)).toEqual(['succeeded']);
    expect(rows[1]![4]).toBe('by hand');
    expect(rows[1]![5]).toBe('noop (1/1)');
    expect(Number(rows[1]![6])).toBeGreaterThanOrEqual(0);
  });

  it('JSON: the instances as the API returns them; filters and variables search apply', async () => {
    const r = await raw(server.url, `/api/console/instances/export?format=json&vars=${encodeURIComponent('team = red')}&order=desc`);
    expect(r.headers.get('x-total-count')).toBe('3');
    const rows = JSON.parse(r.text) as { id: string; variables: Record<string, string>; workflow: { config: { name: string } } }[];
    expect(rows.map((x) => x.id)).toEqual(waiting.slice(0, 3).reverse());
    expect(rows[0]!.variables).toEqual({ n: '2', team: 'red' });
    expect(rows[0]!.workflow.config.name).toBe('runs-wait');
    const none = await raw(server.url, `/api/console/instances/export?format=json&vars=${encodeURIComponent('team = green')}`);
    expect(JSON.parse(none.text)).toEqual([]);
  });

  it('bad parameters are a 400 naming them', async () => {
    for (const [query, message] of [
      ['format=xml', "invalid 'format' query param"],
      ['columns=id,colour', "invalid 'columns' query param: 'colour' is not a column"],
      ['columns=id,id', "'id' is listed twice"],
      ['vars=a%20%3E%20b', "invalid 'vars' query param: 'a > b'"],
      ['status=lost', "invalid 'status' query param"],
    ]) {
      const r = await server.api.get(`/api/console/instances/export?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.errorMessage).toContain(message);
    }
  });

  it('remote mode: pages through the stack on the server; filters the stack cannot apply are refused', async () => {
    const r = await raw(remote.url, `/api/console/instances/export?workflowID=${noopID}&columns=id,workflow,trigger`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-total-count')).toBeNull();
    const rows = parseCsv(r.text.slice(1));
    expect(
      rows
        .slice(1)
        .map((x) => x[0])
        .sort(),
    ).toEqual([...finished].sort());
    expect(rows[1]![1]).toBe('runs-noop');
    expect(rows[1]![2]).toBe(''); // the stack does not say what started a run
    const refused = await remote.api.get(`/api/console/instances/export?vars=${encodeURIComponent('n = 1')}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errorMessage).toMatch(/^invalid 'vars' query param: the stack filters instances by workflowID and running only/);
  });
});

describe('instance counts by workflow', () => {
  it('running and failed counts of several workflows in one request; bad input is a 400 naming the field', async () => {
    const q = (ids: string[]) => ids.map((id) => `workflowID=${encodeURIComponent(id)}`).join('&');
    const r = await server.api.get(`/api/console/instances/counts?${q([waitID, noopID, 'no-such-workflow'])}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([
      { workflowID: waitID, running: { count: waiting.length, exact: true }, failed: { count: 0, exact: true } },
      { workflowID: noopID, running: { count: 0, exact: true }, failed: { count: 0, exact: true } },
      { workflowID: 'no-such-workflow', running: { count: 0, exact: true }, failed: { count: 0, exact: true } },
    ]);
    expect((await server.api.get('/api/console/instances/counts')).body).toMatchObject({
      errorCode: 'VALIDATION',
      errorMessage: expect.stringContaining("'workflowID'"),
    });
    const many = Array.from({ length: 101 }, (_, i) => `w${i}`);
    const tooMany = await server.api.get(`/api/console/instances/counts?${q(many)}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errorMessage).toContain("'workflowID'");
    // repeats count too: the limit is on the params given, as the contract's maxItems says
    const repeated = await server.api.get(`/api/console/instances/counts?${q(Array.from({ length: 101 }, () => 'w'))}`);
    expect(repeated.status).toBe(400);
  });

  it('remote mode: the running count only, read from the stack', async () => {
    const r = await remote.api.get(`/api/console/instances/counts?workflowID=${waitID}&workflowID=${noopID}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([
      { workflowID: waitID, running: { count: waiting.length, exact: true } },
      { workflowID: noopID, running: { count: 0, exact: true } },
    ]);
  });
});

describe('instance record', () => {
  it('the instance, every stage history, variables and provenance as one JSON file', async () => {
    const started = await server.ctx.flows.instances.run(noopID, { why: 'record' }, { triggerID: 'no-such-trigger', occurrenceID: 'no-such-occurrence', wait: true });
    const r = await raw(server.url, `/api/console/instances/${started.id}/record`);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="instance-${started.id}.json"`);
    const record = JSON.parse(r.text);
    expect(record.instance).toMatchObject({ id: started.id, variables: { why: 'record' }, terminated: true });
    expect(record.history.map((h: { name: string }) => h.name)).toEqual(['RunNoop']);
    expect(record.stages).toEqual([{ stage: 0, activities: [] }]);
    expect(record.provenance).toEqual({ startedBy: 'trigger' });
    expect((await server.api.get('/api/console/instances/nope/record')).status).toBe(404);

    const fromStack = JSON.parse((await raw(remote.url, `/api/console/instances/${finished[0]}/record`)).text);
    expect(fromStack.source).toEqual({ mode: 'remote', stackUrl: server.url });
    expect(fromStack.instance.id).toBe(finished[0]);
    expect(fromStack.provenance.startedBy).toBe('unknown');
    expect((await remote.api.get('/api/console/instances/nope/record')).status).toBe(404);
  });
});

describe('bulk jobs on a whole filter', () => {
  it('preview (count and sample), then abort every running instance of the filter, with a report row by row', async () => {
    const filters = { workflowID: waitID, vars: 'team = red' };
    const preview = await server.api.post('/api/console/bulk-jobs/preview', { action: 'abort', filters });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.data).toMatchObject({ action: 'abort', count: 3, exact: true, matching: 3 });
    expect(preview.body.data.sample.map((i: { id: string }) => i.id).sort()).toEqual(waiting.slice(0, 3).sort());

    // One of them ends between the preview and the start: it is skipped, not failed.
    await server.api.put(`${v2}/instances/${waiting[1]}/abort`);
    // A run started after the preview is left alone.
    const late = (await server.api.post(`${v2}/workflows/${waitID}/instances`, { team: 'red' })).body.data.id;
    const created = await server.api.post('/api/console/bulk-jobs', { action: 'abort', filters, upTo: preview.body.data.upTo });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = await eventually(async () => {
      const j = (await server.api.get(`/api/console/bulk-jobs/${created.body.data.id}`)).body.data;
      return j.state === 'finished' ? j : undefined;
    });
    expect(job).toMatchObject({ total: 3, done: 2, skipped: 1, failed: 0, pending: 0 });
    const items = (await server.api.get(`/api/console/bulk-jobs/${job.id}/items`)).body.cursor.data;
    const done = items.filter((i: { outcome: string; at: string }) => i.outcome === 'done' && i.at);
    expect(done.map((i: { instanceID: string }) => i.instanceID).sort()).toEqual([waiting[0], waiting[2]].sort());
    expect(items.filter((i: { outcome: string }) => i.outcome === 'skipped')).toEqual([
      expect.objectContaining({ instanceID: waiting[1], message: expect.stringMatching(/^already finished/) }),
    ]);
    expect((await server.api.get(`${v2}/instances/${late}`)).body.data.terminated).toBe(false);
    expect((await server.api.get(`${v2}/instances/${waiting[3]}`)).body.data.terminated).toBe(false);
    expect((await server.api.get('/api/console/bulk-jobs')).body.data[0].id).toBe(job.id);
    await server.api.put(`${v2}/instances/${late}/abort`);
  });

  it('paged report, outcome filter; bad input is a 400 naming the field; unknown job 404', async () => {
    for (const [body, message] of [
      [{ action: 'delete', filters: {} }, 'action:'],
      [{ action: 'abort' }, 'filters:'],
      [{ action: 'abort', filters: { vars: 'x >' } }, "filters.vars: 'x >'"],
      [{ action: 'abort', filters: { status: 3 } }, 'filters.status:'],
      [{ action: 'abort', filters: {}, upTo: 'soon' }, 'upTo:'],
      [{ action: 'abort', filters: {}, extra: 1 }, 'extra: unknown field'],
    ] as const) {
      for (const path of ['/api/console/bulk-jobs/preview', '/api/console/bulk-jobs']) {
        const r = await server.api.post(path, body);
        expect(r.status, `${path} ${message}`).toBe(400);
        expect(r.body.errorMessage.startsWith(message), r.body.errorMessage).toBe(true);
      }
    }
    expect((await server.api.get('/api/console/bulk-jobs/nope')).status).toBe(404);
    expect((await server.api.get('/api/console/bulk-jobs/nope/items')).status).toBe(404);
    expect((await server.api.post('/api/console/bulk-jobs/nope/stop')).status).toBe(404);
    const jobs = (await server.api.get('/api/console/bulk-jobs')).body.data;
    const id = jobs[0].id;
    const page = await server.api.get(`/api/console/bulk-jobs/${id}/items?pageSize=1`);
    expect(page.body.cursor).toMatchObject({ pageSize: 1, hasMore: true });
    const next = await server.api.get(`/api/console/bulk-jobs/${id}/items?cursor=${page.body.cursor.next}`);
    expect(next.body.cursor.data).toHaveLength(1);
    expect(next.body.cursor.data[0].position).toBe(1);
    expect((await server.api.get(`/api/console/bulk-jobs/${id}/items?outcome=failed`)).body.cursor.data).toEqual([]);
    expect((await server.api.get(`/api/console/bulk-jobs/${id}/items?outcome=lost`)).status).toBe(400);
    expect((await server.api.get(`/api/console/bulk-jobs/${id}/items?cursor=garbage`)).status).toBe(400);
  });

  it('remote mode: the stack is asked for each instance and its answer is the outcome', async () => {
    const preview = await remote.api.post('/api/console/bulk-jobs/preview', { action: 'abort', filters: { workflowID: waitID } });
    expect(preview.body.data).toMatchObject({ count: 2, exact: true });
    expect(preview.body.data.matching).toBeUndefined();
    const refused = await remote.api.post('/api/console/bulk-jobs/preview', { action: 'abort', filters: { status: 'running' } });
    expect(refused.body.errorMessage).toMatch(/^filters.status: the stack filters instances by workflowID and running only/);
    const created = await remote.api.post('/api/console/bulk-jobs', { action: 'abort', filters: { workflowID: waitID }, upTo: preview.body.data.upTo });
    const job = await eventually(async () => {
      const j = (await remote.api.get(`/api/console/bulk-jobs/${created.body.data.id}`)).body.data;
      return j.state === 'finished' ? j : undefined;
    });
    expect(job).toMatchObject({ total: 2, done: 2 });
    expect((await server.api.get(`${v2}/instances/${waiting[4]}`)).body.data.terminated).toBe(true);
  });
});
