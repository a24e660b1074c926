import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const base = { v1: '/api/orchestration', v2: '/api/orchestration/v2' } as const;

async function createWorkflow(prefix: string, config: unknown) {
  const res = await server.api.post(`${prefix}/workflows`, config);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string };
}

async function waitTerminated(prefix: string, id: string) {
  return eventually(async () => {
    const r = await server.api.get(`${prefix}/instances/${id}`);
    return r.body.data.terminated ? r.body.data : undefined;
  });
}

describe.each(['v1', 'v2'] as const)('Flows API %s', (version) => {
  const p = base[version];

  it('serves /_info raw', async () => {
    const r = await server.api.get(`${p}/_info`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ version: expect.any(String) });
  });

  it('creates, reads and soft-deletes a workflow', async () => {
    const r = await server.api.post(`${p}/workflows`, { name: 'demo', stages: [{ noop: {} }] });
    expect(r.status).toBe(201);
    expect(r.contentType).toMatch(/application\/json/);
    const wf = r.body.data;
    expect(wf).toMatchObject({ id: expect.any(String), config: { name: 'demo', stages: [{ noop: {} }] } });
    expect(wf.createdAt).toMatch(RFC3339);
    expect(wf).not.toHaveProperty('deletedAt');

    expect((await server.api.get(`${p}/workflows/${wf.id}`)).body.data.id).toBe(wf.id);
    const del = await server.api.delete(`${p}/workflows/${wf.id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    const after = await server.api.get(`${p}/workflows/${wf.id}`);
    expect(after.status).toBe(200);
    expect(after.body.data.deletedAt).toMatch(RFC3339);
    // Deleting twice keeps the first deletedAt.
    expect((await server.api.delete(`${p}/workflows/${wf.id}`)).status).toBe(204);
    expect((await server.api.get(`${p}/workflows/${wf.id}`)).body.data.deletedAt).toBe(after.body.data.deletedAt);
    // Gone from lists, and cannot be run.
    const list = await server.api.get(`${p}/workflows?pageSize=100`);
    const items = version === 'v1' ? list.body.data : list.body.cursor.data;
    expect(items.map((w: any) => w.id)).not.toContain(wf.id);
    expect((await server.api.post(`${p}/workflows/${wf.id}/instances`, {})).status).toBe(404);
  });

  it('defaults name to "" and accepts YAML', async () => {
    const r = await server.api.post(`${p}/workflows`, 'stages:\n- noop: {}\n- delay: { duration: 1ms }\n', { 'content-type': 'text/vnd.yaml' });
    expect(r.status).toBe(201);
    expect(r.body.data.config).toEqual({ name: '', stages: [{ noop: {} }, { delay: { duration: '1ms' } }] });
  });

  it.each([
    ['malformed JSON', '{"stages": [', /invalid JSON/],
    ['no stages', { name: 'x' }, /stages: required/],
    ['stages not an array', { stages: {} }, /stages: expected an array/],
    ['empty stage', { stages: [{}] }, /stages\[0\]: empty specification/],
    ['two kinds in one stage', { stages: [{ noop: {}, delay: { duration: '1s' } }] }, /only one name/],
    ['unknown kind', { stages: [{ transfer: {} }] }, /unable to resolve schema transfer/],
    ['invalid duration', { stages: [{ delay: { duration: '5 days' } }] }, /stages\[0\]\.delay\.duration: invalid duration/],
    ['duration as number', { stages: [{ delay: { duration: 5 } }] }, /delay\.duration: expected a string/],
    ['both duration and until', { stages: [{ delay: { duration: '1s', until: '2030-01-01T00:00:00Z' } }] }, /only one of/],
    ['bad until date', { stages: [{ delay: { until: 'tomorrow' } }] }, /rfc3339/],
    ['wait_event without event', { stages: [{ wait_event: {} }] }, /wait_event\.event: required/],
    ['update without account', { stages: [{ update: {} }] }, /update\.account: required/],
    ['send without source', { stages: [{ send: { destination: { account: { id: 'a' } }, amount: { asset: 'USD/2', amount: 1 } } }] }, /send\.source: required/],
    [
      'fractional amount',
      { stages: [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'a' } }, amount: { asset: 'USD/2', amount: '12.5' } } }] },
      /unable to parse '12.5' as big int/,
    ],
    [
      'two destinations',
      { stages: [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'a' }, wallet: { id: 'w' } }, amount: { asset: 'USD/2', amount: 1 } } }] },
      /destination: only one of/,
    ],
    ['metadata not strings', { stages: [{ update: { account: { id: 'a', metadata: { k: 1 } } } }] }, /metadata\.k: expected a string/],
    [
      'bad boolean',
      { stages: [{ send: { source: { account: { id: 'a', allowOverdraft: 'yes' } }, destination: { account: { id: 'b' } }, amount: { asset: 'USD/2', amount: 1 } } }] },
      /allowOverdraft/,
    ],
    ['name not a string', { name: 5, stages: [] }, /name: expected a string/],
  ])('rejects %s with 400 VALIDATION and stores nothing', async (_label, body, message) => {
    const before = (await server.api.get(`${base.v1}/workflows`)).body.data.length;
    const r = await server.api.post(`${p}/workflows`, body);
    expect(r.status).toBe(400);
    expect(r.body.errorCode).toBe('VALIDATION');
    expect(r.body.errorMessage).toMatch(message);
    expect((await server.api.get(`${base.v1}/workflows`)).body.data.length).toBe(before);
  });

  it('accepts ${var} placeholders wherever a value may be templated', async () => {
    const r = await server.api.post(`${p}/workflows`, {
      stages: [
        { delay: { duration: '${d}' } },
        {
          send: {
            source: { account: { id: 'users:${u}', allowOverdraft: '${flag}' } },
            destination: { wallet: { name: '${w}' } },
            amount: { asset: 'USD/2', amount: '${amount}' },
          },
        },
      ],
    });
    expect(r.status).toBe(201);
  });

  it('runs a workflow: 201 bare instance, then history and stage statuses', async () => {
    const wf = await createWorkflow(p, { stages: [{ noop: {} }, { delay: { duration: '${d}' } }, { wait_event: { event: 'go' } }] });
    const run = await server.api.post(`${p}/workflows/${wf.id}/instances`, { d: '50ms' });
    expect(run.status).toBe(201);
    const inst = run.body.data;
    expect(inst).toMatchObject({ id: expect.any(String), workflowID: wf.id, terminated: false });
    expect(inst).not.toHaveProperty('status');
    expect(inst).not.toHaveProperty('error');
    expect(inst).not.toHaveProperty('terminatedAt');

    await eventually(async () => (await server.api.get(`${p}/instances/${inst.id}`)).body.data.status?.length === 3);
    const got = (await server.api.get(`${p}/instances/${inst.id}`)).body.data;
    expect(got.workflow.id).toBe(wf.id);
    expect(got.status.map((s: any) => s.stage)).toEqual([0, 1, 2]);
    expect(got.status[2]).not.toHaveProperty('terminatedAt');

    // A non-matching event is dropped (204) and the stage keeps waiting.
    expect((await server.api.post(`${p}/instances/${inst.id}/events`, { name: 'other' })).status).toBe(204);
    expect((await server.api.get(`${p}/instances/${inst.id}`)).body.data.terminated).toBe(false);
    const ev = await server.api.post(`${p}/instances/${inst.id}/events`, { name: 'go' });
    expect(ev.status).toBe(204);
    const done = await waitTerminated(p, inst.id);
    expect(done).not.toHaveProperty('error');
    expect(done.terminatedAt).toMatch(RFC3339);

    const history = (await server.api.get(`${p}/instances/${inst.id}/history`)).body.data;
    expect(history.map((h: any) => h.name)).toEqual(['RunNoop', 'RunDelay', 'RunWaitEvent']);
    expect(history[1].input).toEqual({ duration: '50ms' });
    expect(history.every((h: any) => h.terminated && h.terminatedAt)).toBe(true);
    const stage1 = await server.api.get(`${p}/instances/${inst.id}/stages/1/history`);
    expect(stage1.status).toBe(200);
    expect(stage1.body.data).toEqual([]);
  });

  it('run with wait=true returns the finished instance with status and workflow', async () => {
    const wf = await createWorkflow(p, { stages: [{ noop: {} }, { delay: { duration: '20ms' } }] });
    const r = await server.api.post(`${p}/workflows/${wf.id}/instances?wait=true`, {});
    expect(r.status).toBe(201);
    expect(r.body.data.terminated).toBe(true);
    expect(r.body.data.status).toHaveLength(2);
    expect(r.body.data.workflow.id).toBe(wf.id);
  });

  it('fails a stage whose variables resolve badly, with the validator text, and stops', async () => {
    const wf = await createWorkflow(p, { stages: [{ wait_event: { event: '${e}' } }, { noop: {} }] });
    const r = await server.api.post(`${p}/workflows/${wf.id}/instances?wait=1`, {});
    expect(r.body.data.terminated).toBe(true);
    expect(r.body.data.error).toBe(`Key: 'WaitEvent.Event' Error:Field validation for 'Event' failed on the 'required' tag`);
    expect(r.body.data.status).toHaveLength(1);
    expect(r.body.data.status[0].error).toBe(r.body.data.error);
    // Stages that failed validation have no history entry.
    expect((await server.api.get(`${p}/instances/${r.body.data.id}/history`)).body.data).toEqual([]);
  });

  it('aborts a delayed instance at once with error "canceled"', async () => {
    const wf = await createWorkflow(p, { stages: [{ delay: { duration: '1h' } }, { noop: {} }] });
    const run = await server.api.post(`${p}/workflows/${wf.id}/instances`, {});
    const id = run.body.data.id;
    await eventually(async () => (await server.api.get(`${p}/instances/${id}`)).body.data.status?.length === 1);
    const ab = await server.api.put(`${p}/instances/${id}/abort`);
    expect(ab.status).toBe(204);
    const got = (await server.api.get(`${p}/instances/${id}`)).body.data;
    expect(got).toMatchObject({ terminated: true, error: 'canceled' });
    expect(got.status).toEqual([expect.objectContaining({ stage: 0, error: 'canceled', terminatedAt: expect.any(String) })]);
    // Aborting again, or sending an event, is a client error.
    expect((await server.api.put(`${p}/instances/${id}/abort`)).body.errorCode).toBe('VALIDATION');
    expect((await server.api.post(`${p}/instances/${id}/events`, { name: 'x' })).status).toBe(400);
  });

  it('aborts an instance waiting for an event', async () => {
    const wf = await createWorkflow(p, { stages: [{ wait_event: { event: 'never' } }] });
    const id = (await server.api.post(`${p}/workflows/${wf.id}/instances`, {})).body.data.id;
    await eventually(async () => (await server.api.get(`${p}/instances/${id}`)).body.data.status?.length === 1);
    expect((await server.api.put(`${p}/instances/${id}/abort`)).status).toBe(204);
    expect((await waitTerminated(p, id)).error).toBe('canceled');
  });

  it('answers 404 NOT_FOUND for unknown ids', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['GET', `/workflows/${unknown}`],
      ['DELETE', `/workflows/${unknown}`],
      ['POST', `/workflows/${unknown}/instances`],
      ['GET', `/instances/nope`],
      ['GET', `/instances/nope/history`],
      ['GET', `/instances/nope/stages/0/history`],
      ['PUT', `/instances/nope/abort`],
    ] as const) {
      const r = await server.api.request(method, `${p}${path}`, method === 'POST' ? {} : undefined);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body).toEqual({ errorCode: 'NOT_FOUND', errorMessage: expect.any(String) });
    }
    expect((await server.api.post(`${p}/instances/nope/events`, { name: 'x' })).status).toBe(404);
  });

  it('rejects bad parameters with 400 VALIDATION', async () => {
    expect((await server.api.delete(`${p}/workflows/not-a-uuid`)).body.errorCode).toBe('VALIDATION');
    const wf = await createWorkflow(p, { stages: [{ noop: {} }] });
    const run = await server.api.post(`${p}/workflows/${wf.id}/instances`, { a: 1 });
    expect(run.status).toBe(400);
    expect(run.body.errorMessage).toMatch(/variables\.a: expected a string/);
    const id = (await server.api.post(`${p}/workflows/${wf.id}/instances?wait=true`, {})).body.data.id;
    expect((await server.api.get(`${p}/instances/${id}/stages/abc/history`)).status).toBe(400);
    expect((await server.api.get(`${p}/instances/${id}/stages/7/history`)).status).toBe(404);
    expect((await server.api.post(`${p}/instances/${id}/events`, {})).status).toBe(400);
    expect((await server.api.post(`${p}/instances/${id}/events`, '{oops')).status).toBe(400);
  });

  it('filters instances by workflowID and running', async () => {
    const a = await createWorkflow(p, { stages: [{ wait_event: { event: 'x' } }] });
    const b = await createWorkflow(p, { stages: [] });
    const ia = (await server.api.post(`${p}/workflows/${a.id}/instances`, {})).body.data.id;
    const ib = (await server.api.post(`${p}/workflows/${b.id}/instances?wait=true`, {})).body.data.id;
    const q = async (qs: string) => {
      const r = await server.api.get(`${p}/instances?pageSize=100&${qs}`);
      return (version === 'v1' ? r.body.data : r.body.cursor.data).map((i: any) => i.id) as string[];
    };
    expect(await q(`workflowID=${a.id}`)).toEqual([ia]);
    expect(await q(`workflowID=${b.id}`)).toEqual([ib]);
    const running = await q('running=TRUE');
    expect(running).toContain(ia);
    expect(running).not.toContain(ib);
    expect(await q('running=maybe')).toContain(ib);
  });
});

describe('v2 pagination', () => {
  const p = base.v2;
  it('pages with an opaque cursor, default 15, clamps to 100', async () => {
    const wf = await createWorkflow(p, { stages: [] });
    for (let i = 0; i < 20; i++) await server.api.post(`${p}/workflows/${wf.id}/instances`, {});
    const first = (await server.api.get(`${p}/instances?workflowID=${wf.id}`)).body.cursor;
    expect(first.pageSize).toBe(15);
    expect(first.hasMore).toBe(true);
    expect(first.data).toHaveLength(15);
    expect(first).not.toHaveProperty('previous');
    // With a cursor, the other params are ignored (filters live in the token).
    const second = (await server.api.get(`${p}/instances?cursor=${first.next}&workflowID=other&pageSize=2`)).body.cursor;
    expect(second.data).toHaveLength(5);
    expect(second.hasMore).toBe(false);
    expect(second).not.toHaveProperty('next');
    const ids = [...first.data, ...second.data].map((i: any) => i.id);
    expect(new Set(ids).size).toBe(20);
    const back = (await server.api.get(`${p}/instances?cursor=${second.previous}`)).body.cursor;
    expect(back.data.map((i: any) => i.id)).toEqual(first.data.map((i: any) => i.id));
    expect((await server.api.get(`${p}/workflows?pageSize=1000`)).body.cursor.pageSize).toBe(100);
    expect((await server.api.get(`${p}/workflows?pageSize=0`)).body.cursor.pageSize).toBe(15);
  });

  it.each(['-1', '1.5', 'abc'])('rejects pageSize=%s', async (v) => {
    const r = await server.api.get(`${p}/workflows?pageSize=${v}`);
    expect(r.status).toBe(400);
    expect(r.body.errorMessage).toMatch(/invalid 'pageSize' query param/);
  });

  it.each(['garbage!', 'eyJ4IjoxfQ', '../../etc/passwd'])('rejects cursor=%s', async (v) => {
    const r = await server.api.get(`${p}/instances?cursor=${encodeURIComponent(v)}`);
    expect(r.status).toBe(400);
    expect(r.body.errorMessage).toMatch(/invalid 'cursor' query param/);
  });

  it.each([
    ['/triggers', { name: [] }],
    ['/triggers', { name: 'ok', extra: 1 }],
    ['/workflows', { workflowID: 'x' }],
    ['/instances', { status: ['running; drop table instances'] }],
    ['/instances', { idContains: 5 }],
    ['/instances', { startedAfter: 'yesterday' }],
    ['/instances', { running: 'yes' }],
  ])('rejects a forged cursor on %s with filters %j', async (path, f) => {
    const cursor = Buffer.from(JSON.stringify({ a: 1, s: 15, f })).toString('base64url');
    const r = await server.api.get(`${p}${path}?cursor=${cursor}`);
    expect(r.status).toBe(400);
    expect(r.body.errorMessage).toMatch(/invalid 'cursor' query param/);
  });

  it('returns empty pages as [] and tolerates a trailing slash', async () => {
    const r = await server.api.get(`${p}/instances/?workflowID=none`);
    expect(r.status).toBe(200);
    expect(r.body.cursor).toEqual({ pageSize: 15, hasMore: false, data: [] });
  });
});

describe('flows events', () => {
  it('publishes workflow and stage events in order', async () => {
    const wf = await createWorkflow(base.v2, { stages: [{ noop: {} }, { wait_event: { event: '${e}' } }] });
    const id = (await server.api.post(`${base.v2}/workflows/${wf.id}/instances?wait=true`, {})).body.data.id;
    const rows = await server.ctx.db.query<{ type: string; payload: any }>(`select type, payload from events where payload->>'instanceID' = $1 order by seq`, [id]);
    expect(rows.map((r) => r.type)).toEqual([
      'STARTED_WORKFLOW',
      'STARTED_WORKFLOW_STAGE',
      'SUCCEEDED_WORKFLOW_STAGE',
      'STARTED_WORKFLOW_STAGE',
      'FAILED_WORKFLOW_STAGE',
      'FAILED_WORKFLOW',
    ]);
    expect(rows[0].payload).toEqual({ id: wf.id, instanceID: id });
    expect(rows[4].payload).toMatchObject({ number: 1, error: expect.stringContaining('WaitEvent.Event') });
  });
});

describe('rows stored before today’s rules', () => {
  it('a suspended delay longer than Go allows fails clearly when it wakes; its history still reads', async () => {
    const p = base.v2;
    const wf = await createWorkflow(p, { stages: [{ delay: { duration: '1h' } }, { noop: {} }] });
    const run = await server.api.post(`${p}/workflows/${wf.id}/instances`, {});
    const id = run.body.data.id as string;
    await eventually(async () => (await server.api.get(`${p}/instances/${id}/history`)).body.data.length === 1);
    // As an older version stored it: the definition and the history input of the running stage.
    const { db } = server.ctx;
    await db.query(`update workflows set config = $2::jsonb where id = $1`, [
      wf.id,
      JSON.stringify({ name: '', stages: [{ delay: { duration: '9999999999999999999h' } }, { noop: {} }] }),
    ]);
    await db.query(`update stages set input = $2::jsonb where instance_id = $1 and stage = 0`, [id, JSON.stringify({ duration: '10000000000000000000h0m0s' })]);
    const history = await server.api.get(`${p}/instances/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.data[0].input).toEqual({ duration: '10000000000000000000h0m0s' });

    await db.query(`update tasks set run_at = now() where instance_id = $1`, [id]);
    server.ctx.engine.wake();
    const ended = await waitTerminated(p, id);
    expect(ended.error).toContain("invalid duration '9999999999999999999h': longer than the longest duration Go accepts");
    expect(ended.status).toHaveLength(1);
    // And the lists keep listing it.
    const list = await server.api.get(`${p}/instances?workflowID=${wf.id}`);
    expect(list.body.cursor.data.map((i: { id: string }) => i.id)).toEqual([id]);
  });
});

describe('amounts beyond 2^53', () => {
  const text = async (method: string, path: string, body?: string) => {
    const res = await fetch(server.url + path, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
    return { status: res.status, text: await res.text() };
  };
  const p = base.v2;
  const big = '123456789012345678901234567890123456789';
  const stage = (amount: string) =>
    `{"send":{"source":{"account":{"id":"world","ledger":"main"}},"destination":{"account":{"id":"users:exact","ledger":"main"}},"amount":{"asset":"USD/2","amount":${amount}}}}`;

  it('stay exact in the definition, the stage history and the activities', async () => {
    const created = await text('POST', `${p}/workflows`, `{"stages":[${stage(big)}]}`);
    expect(created.status).toBe(201);
    expect(created.text).toContain(`"amount":${big}`);
    const id = JSON.parse(created.text).data.id;
    expect((await text('GET', `${p}/workflows/${id}`)).text).toContain(`"amount":${big}`);
    const run = await server.api.post(`${p}/workflows/${id}/instances?wait=true`, {});
    expect(run.body.data.error).toBeUndefined();
    const instance = run.body.data.id;
    expect((await text('GET', `${p}/instances/${instance}/history`)).text).toContain(`"amount":${big}`);
    const activities = (await text('GET', `${p}/instances/${instance}/stages/0/history`)).text;
    expect(activities.match(new RegExp(`"amount":${big}`, 'g'))).toHaveLength(2); // input and output postings
    expect((await text('GET', `${base.v1}/instances/${instance}/stages/0/history`)).text).toContain(`"amount":${big}`);
  });

  it('are refused past 2^256 − 1: at create (a literal) and at run (a variable), naming the field, nothing stored', async () => {
    const before = (await server.api.get(`${base.v1}/workflows`)).body.data.length;
    const literal = await text('POST', `${p}/workflows`, `{"stages":[${stage(String(2n ** 256n))}]}`);
    expect(literal.status).toBe(400);
    expect(JSON.parse(literal.text).errorMessage).toBe('stages[0].send.amount.amount: amount too large: 78 digits, at most 2^256 − 1 (78 digits)');
    expect((await server.api.get(`${base.v1}/workflows`)).body.data.length).toBe(before);

    const wf = await createWorkflow(p, { stages: [JSON.parse(stage('"${amount}"'))] });
    const instancesBefore = (await server.api.get(`${base.v1}/instances?workflowID=${wf.id}`)).body.data.length;
    const run = await server.api.post(`${p}/workflows/${wf.id}/instances`, { amount: '5'.repeat(5000) });
    expect(run.status).toBe(400);
    expect(run.body).toEqual({
      errorCode: 'VALIDATION',
      errorMessage: 'variables: stages[0].send.amount.amount: amount too large: 5,000 digits, at most 2^256 − 1 (78 digits)',
    });
    expect((await server.api.get(`${base.v1}/instances?workflowID=${wf.id}`)).body.data.length).toBe(instancesBefore);
    expect((await server.api.post(`${p}/workflows/${wf.id}/instances?wait=true`, { amount: String(2n ** 256n - 1n) })).status).toBe(201);
  });
});
