import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

// The overview's aggregates (GET /api/console/overview/*) on seeded data, each figure checked
// against the instance list filtered as the console links it: same rows, same count. And bad
// query parameters: 400 naming the parameter.

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
const v2 = '/api/orchestration/v2';
const overview = '/api/console/overview';

/** Ids of every instance the list returns for `query`, following cursors. */
async function listAll(query: string): Promise<string[]> {
  const out: string[] = [];
  let r = await server.api.get(`${v2}/instances?pageSize=7&${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  for (;;) {
    out.push(...r.body.cursor.data.map((i: { id: string }) => i.id));
    if (!r.body.cursor.next) return out.sort();
    r = await server.api.get(`${v2}/instances?cursor=${r.body.cursor.next}`);
    expect(r.status).toBe(200);
  }
}

const qs = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]]))).toString();

async function workflow(name: string, stages: unknown[]): Promise<string> {
  const r = await server.api.post(`${v2}/workflows`, { name, stages });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.id;
}

async function run(workflowID: string, vars: Record<string, string> = {}): Promise<string> {
  const r = await server.api.post(`${v2}/workflows/${workflowID}/instances`, vars);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.id;
}

const get = async (path: string) => {
  const r = await server.api.get(path);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

const state = (id: string) => server.api.get(`${v2}/instances/${id}`).then((r) => r.body.data);
const ended = (id: string) => eventually(async () => ((await state(id)).terminated ? state(id) : undefined), 20_000);

const pay = (source: string, amount: string) => ({
  send: {
    source: { account: { id: source, ledger: 'ov' } },
    destination: { account: { id: 'shop:1', ledger: 'ov' } },
    amount: { asset: 'USD/2', amount },
  },
});

const ids = {
  ok: [] as string[],
  decimal: [] as string[],
  decimalOther: '',
  noBank: '',
  waiting: [] as string[],
  aborted: '',
  retrying: '',
  delayed: '',
  unresolved: '',
  deleted: '',
};
let wf: Record<'pay' | 'payOther' | 'payout' | 'approve' | 'renew' | 'retry' | 'gone', string>;

beforeAll(async () => {
  server = await startTestServer();
  // The tests fold the rollups themselves (the server's fold every 5 s could empty the deltas
  // before 'answers the same after the rollups are compacted' does, on a slow machine).
  await server.ctx.flows.overview.stop();
  const sb = server.ctx.sandbox;
  await sb.ledger.createTransaction('ov', { postings: [{ source: 'world', destination: 'treasury:eu', amount: 5_000n, asset: 'USD/2' }] });
  wf = {
    pay: await workflow('ov-pay', [pay('world', '${amount}')]),
    payOther: await workflow('ov-pay-other', [pay('world', '${amount}')]),
    payout: await workflow('ov-payout', [
      { send: { source: { account: { id: 'users:${user}', ledger: 'ov' } }, destination: { payment: { psp: 'stripe' } }, amount: { asset: 'USD/2', amount: 1 } } },
    ]),
    // waits for approval, then pays from the treasury (which holds 5,000)
    approve: await workflow('ov-approve', [{ wait_event: { event: 'approved' } }, pay('treasury:${from}', '${amount}')]),
    renew: await workflow('ov-renew', [{ delay: { duration: '720h' } }, pay('users:${user}', '42')]),
    retry: await workflow('ov-retry', [pay('broke:1', '10')]),
    gone: await workflow('ov-gone', [pay('world', '${amount}')]),
  };
  for (const amount of ['100', '250']) ids.ok.push(await run(wf.pay, { amount }));
  // decimal amounts fail at run time with the amount in the message: one reason, two workflows
  for (const amount of ['12.50', '9.99']) ids.decimal.push(await run(wf.pay, { amount }));
  ids.decimalOther = await run(wf.payOther, { amount: '7.5' });
  ids.noBank = await run(wf.payout, { user: '7' });
  ids.deleted = await run(wf.gone, { amount: '1.5' });
  for (const amount of ['3000', '4000']) ids.waiting.push(await run(wf.approve, { from: 'eu', amount }));
  ids.unresolved = await run(wf.approve, { from: 'eu', amount: 'lots' });
  ids.aborted = await run(wf.approve, { from: 'eu', amount: '1' });
  ids.delayed = await run(wf.renew, { user: '9' });
  ids.retrying = await run(wf.retry);
  for (const id of [...ids.ok, ...ids.decimal, ids.decimalOther, ids.noBank, ids.deleted]) await ended(id);
  await eventually(async () => ((await listAll('state=waiting')).length === 4 ? true : undefined));
  expect((await server.api.put(`${v2}/instances/${ids.aborted}/abort`)).status).toBe(204);
  // Deleting a workflow takes its instances out of the lists, and out of the overview.
  expect((await server.api.delete(`${v2}/workflows/${wf.gone}`)).status).toBe(204);
  // The retrying send: once its first failure is recorded, it has failed 7 times (as if for a
  // while), and its next try is an hour away (so the count holds during the test).
  await eventually(async () => ((await listAll('state=retrying')).includes(ids.retrying) ? true : undefined), 20_000);
  await server.ctx.db.transaction(async (tx) => {
    await tx.query(`update activities set attempt = 8, next_execution = now() + interval '1 hour' where instance_id = $1`, [ids.retrying]);
    await tx.query(`update tasks set run_at = now() + interval '1 hour' where instance_id = $1`, [ids.retrying]);
  });
  // One approval has been waited for two hours.
  await server.ctx.db.query(`update stages set started_at = now() - interval '2 hours' where instance_id = $1 and stage = 0`, [ids.waiting[0]]);
  await eventually(async () => ((await listAll('state=delayed')).includes(ids.delayed) ? true : undefined));
}, 90_000);

afterAll(async () => {
  await server?.close();
});

describe('overview: now', () => {
  it('counts what runs, waits, is delayed, retries, and what ended in the window; each count is its list', async () => {
    const now = await get(`${overview}/now?window=1h`);
    expect(now).toMatchObject({ running: 5, waiting: 3, delayed: 1, retrying: 1, succeeded: 2, failed: 4, aborted: 1, basis: { complete: true } });
    const window = { endedAfter: now.window.from, endedBefore: now.window.to };
    expect(await listAll('status=running')).toHaveLength(now.running);
    expect(await listAll('state=waiting')).toEqual([...ids.waiting, ids.unresolved].sort());
    expect(await listAll('state=delayed')).toEqual([ids.delayed]);
    expect(await listAll('state=retrying')).toEqual([ids.retrying]);
    expect(await listAll(qs({ status: 'succeeded', ...window }))).toEqual([...ids.ok].sort());
    expect(await listAll(qs({ status: 'failed', ...window }))).toEqual([...ids.decimal, ids.decimalOther, ids.noBank].sort());
    expect(await listAll(qs({ status: 'aborted', ...window }))).toEqual([ids.aborted]);
    expect(now.longestRetries).toEqual([
      expect.objectContaining({
        instanceID: ids.retrying,
        workflowID: wf.retry,
        workflowName: 'ov-retry',
        stage: 0,
        failedAttempts: 7,
        lastFailure: expect.stringMatching(/insufficient funds/),
      }),
    ]);
  });

  it('answers the same after the rollups are compacted', async () => {
    const before = await get(`${overview}/now?window=1h`);
    expect(await server.ctx.flows.overview.rollups.compact()).toBeGreaterThan(0);
    const after = await get(`${overview}/now?window=1h`);
    expect({ ...after, window: undefined }).toEqual({ ...before, window: undefined });
    const [{ n }] = await server.ctx.db.query(`select count(*)::int as n from overview_deltas`);
    expect(n).toBe(0);
  });
});

describe('overview: runs over time', () => {
  it('counts started runs per bucket and outcome, and each bucket is a started-between list', async () => {
    const runs = await get(`${overview}/runs?window=24h`);
    expect(runs.buckets).toHaveLength(24);
    const total = (k: 'running' | 'succeeded' | 'failed' | 'aborted') => runs.buckets.reduce((s: number, b: any) => s + b[k], 0);
    expect({ running: total('running'), succeeded: total('succeeded'), failed: total('failed'), aborted: total('aborted') }).toEqual({
      running: 5,
      succeeded: 2,
      failed: 4,
      aborted: 1,
    });
    for (const b of runs.buckets) {
      for (const status of ['succeeded', 'failed', 'running'] as const) {
        if (b[status] === 0) continue;
        expect(await listAll(qs({ status, startedAfter: b.start, startedBefore: b.end }))).toHaveLength(b[status]);
      }
    }
    expect(new Date(runs.buckets.at(-1).end).getTime()).toBe(new Date(runs.window.to).getTime());
  });

  it('gives median and p95 durations of succeeded runs per workflow, with their count', async () => {
    const runs = await get(`${overview}/runs?window=7d`);
    expect(runs.durations).toEqual([
      expect.objectContaining({ workflowID: wf.pay, workflowName: 'ov-pay', runs: 2, medianMs: expect.any(Number), p95Ms: expect.any(Number) }),
    ]);
    const d = runs.durations[0];
    expect(d.p95Ms).toBeGreaterThanOrEqual(d.medianMs);
    const real = await Promise.all(ids.ok.map(async (id) => state(id).then((i) => Date.parse(i.terminatedAt) - Date.parse(i.createdAt))));
    // 10 % bins: within 5 % of a real duration (or under 2 ms)
    expect(real.some((ms) => Math.abs(ms - d.medianMs) <= Math.max(2, ms * 0.06))).toBe(true);
    expect(await listAll(qs({ workflowID: wf.pay, status: 'succeeded', endedAfter: runs.window.from, endedBefore: runs.window.to }))).toHaveLength(2);
  });
});

describe('overview: failures by reason', () => {
  it('groups failures by normalized reason across workflows, and each group is a list', async () => {
    const f = await get(`${overview}/failures?window=30d`);
    expect(f.total).toBe(4);
    const decimal = f.reasons.find((r: any) => r.reason.includes('unable to parse'));
    expect(decimal).toMatchObject({
      reason: expect.stringContaining("'{n}.{n}'"),
      count: 3,
      workflows: [
        { workflowID: wf.pay, workflowName: 'ov-pay', count: 2 },
        { workflowID: wf.payOther, workflowName: 'ov-pay-other', count: 1 },
      ],
    });
    expect([...ids.decimal, ids.decimalOther]).toContain(decimal.exampleInstanceID);
    expect(Date.parse(decimal.firstSeen)).toBeLessThanOrEqual(Date.parse(decimal.lastSeen));
    const window = { endedAfter: f.window.from, endedBefore: f.window.to };
    expect(await listAll(qs({ reason: decimal.reason, ...window }))).toEqual([...ids.decimal, ids.decimalOther].sort());
    expect(await listAll(qs({ reason: decimal.reason, workflowID: wf.payOther, ...window }))).toEqual([ids.decimalOther]);
    const noBank = f.reasons.find((r: any) => r.reason.includes('formanceAccountID'));
    expect(noBank).toMatchObject({ count: 1, exampleInstanceID: ids.noBank });
    expect(await listAll(qs({ reason: noBank.reason }))).toEqual([ids.noBank]);
    // the deleted workflow's failure is gone from the overview as from the list
    expect(f.reasons.flatMap((r: any) => r.workflows.map((w: any) => w.workflowID))).not.toContain(wf.gone);
  });
});

describe('overview: needs attention', () => {
  it('finds long waits, long retry streaks and far delays; each count is its list', async () => {
    const a = await get(`${overview}/attention?waitingLongerThan=1h&minRetries=5&delayedBeyond=7d`);
    expect(a.waiting).toMatchObject({ count: 1, examples: [{ instanceID: ids.waiting[0], event: 'approved', workflowName: 'ov-approve' }] });
    expect(await listAll(qs({ state: 'waiting', stageStartedBefore: a.thresholds.waitingSince }))).toEqual([ids.waiting[0]]);
    expect(a.retrying).toMatchObject({ count: 1, examples: [{ instanceID: ids.retrying, failedAttempts: 7 }] });
    expect(await listAll(qs({ state: 'retrying', minRetries: 5 }))).toEqual([ids.retrying]);
    expect(await listAll(qs({ state: 'retrying', minRetries: 7 }))).toEqual([ids.retrying]);
    expect(await listAll(qs({ state: 'retrying', minRetries: 8 }))).toEqual([]);
    expect(a.delayed).toMatchObject({ count: 1, examples: [{ instanceID: ids.delayed }] });
    expect(await listAll(qs({ state: 'delayed', resumesAfter: a.thresholds.resumesAfter }))).toEqual([ids.delayed]);
    // a longer threshold finds none
    const strict = await get(`${overview}/attention?waitingLongerThan=3h&minRetries=9&delayedBeyond=60d`);
    expect([strict.waiting.count, strict.retrying.count, strict.delayed.count]).toEqual([0, 0, 0]);
  });

  it('lists triggers whose latest occurrences failed', async () => {
    const noop = await workflow('ov-noop', [{ noop: {} }]);
    const t = (await server.api.post(`${v2}/triggers`, { name: 'ov-broken', event: 'SAVED_METADATA', workflowID: noop, vars: { x: 'event.missing.field' } })).body.data;
    for (let i = 0; i < 2; i++) {
      await server.api.post('/api/console/events', { type: 'SAVED_METADATA', payload: { ledger: 'ov', targetType: 'ACCOUNT', targetId: `a${i}`, metadata: {} } });
    }
    const a = await eventually(async () => {
      const body = await get(`${overview}/attention`);
      return body.triggers.find((x: any) => x.triggerID === t.id && x.failedInARow === 2) ? body : undefined;
    });
    expect(a.triggers.find((x: any) => x.triggerID === t.id)).toMatchObject({
      name: 'ov-broken',
      event: 'SAVED_METADATA',
      workflowID: noop,
      lastError: expect.stringMatching(/^vars\.x: /),
    });
  });
});

describe('overview: money in flight', () => {
  it('sums the sends still to run per asset and source, resolved from each run’s variables, and flags a short source', async () => {
    const m = await get(`${overview}/money`);
    const usd = m.assets.find((a: any) => a.asset === 'USD/2');
    // 3,000 + 4,000 waiting for approval from treasury:eu (5,000 there), 42 delayed from users:9,
    // 10 retrying from broke:1 (nothing moved yet); "lots" cannot be resolved.
    expect(usd).toMatchObject({ pending: 7_052, instances: 4, sends: 4 });
    expect(usd.sources).toEqual([
      {
        key: 'account:ov:treasury:eu',
        kind: 'account',
        label: 'treasury:eu',
        ledger: 'ov',
        address: 'treasury:eu',
        pending: 7_000,
        instances: 2,
        balance: 5_000,
        unbounded: false,
        covered: false,
      },
      {
        key: 'account:ov:users:9',
        kind: 'account',
        label: 'users:9',
        ledger: 'ov',
        address: 'users:9',
        pending: 42,
        instances: 1,
        balance: 0,
        unbounded: false,
        covered: false,
      },
      {
        key: 'account:ov:broke:1',
        kind: 'account',
        label: 'broke:1',
        ledger: 'ov',
        address: 'broke:1',
        pending: 10,
        instances: 1,
        balance: 0,
        unbounded: false,
        covered: false,
      },
    ]);
    expect(m.unresolved).toEqual([{ reason: expect.stringMatching(/unable to parse 'lots'/), instances: 1, exampleInstanceID: ids.unresolved }]);
    expect(await listAll(qs({ pendingAsset: 'USD/2' }))).toEqual([...ids.waiting, ids.delayed, ids.retrying].sort());
    expect(await listAll(qs({ pendingAsset: 'USD/2', pendingSource: 'account:ov:treasury:eu' }))).toEqual([...ids.waiting].sort());
    expect(await listAll(qs({ pendingAsset: 'EUR/2' }))).toEqual([]);
  });

  it('drops a send once the approval lets it run', async () => {
    expect((await server.api.post(`${v2}/instances/${ids.waiting[1]}/events`, { name: 'approved' })).status).toBe(204);
    const done = await ended(ids.waiting[1]);
    expect(done.error).toBeUndefined();
    const m = await get(`${overview}/money`);
    const treasury = m.assets.find((a: any) => a.asset === 'USD/2').sources.find((s: any) => s.key === 'account:ov:treasury:eu');
    expect(treasury).toMatchObject({ pending: 3_000, instances: 1, balance: 1_000, covered: false });
  });
});

describe('overview: bad input', () => {
  it.each([
    [`${overview}/now?window=2h`, 'window'],
    // an empty value is not the default: the contract's enum and patterns refuse it
    [`${overview}/runs?window=`, 'window'],
    [`${overview}/attention?waitingLongerThan=`, 'waitingLongerThan'],
    [`${overview}/attention?minRetries=`, 'minRetries'],
    [`${overview}/failures?window=30`, 'window'],
    [`${overview}/attention?waitingLongerThan=soon`, 'waitingLongerThan'],
    [`${overview}/attention?waitingLongerThan=0m`, 'waitingLongerThan'],
    [`${overview}/attention?delayedBeyond=400d`, 'delayedBeyond'],
    [`${overview}/attention?minRetries=0`, 'minRetries'],
    [`${overview}/attention?minRetries=-3`, 'minRetries'],
    [`${v2}/instances?state=stuck`, 'state'],
    [`${v2}/instances?minRetries=many`, 'minRetries'],
    [`${v2}/instances?endedAfter=yesterday`, 'endedAfter'],
    [`${v2}/instances?stageStartedBefore=2024-13-01`, 'stageStartedBefore'],
    [`${v2}/instances?resumesAfter=1`, 'resumesAfter'],
    [`${v2}/instances?pendingSource=account:ov:x`, 'pendingSource'],
    [`${v2}/instances?reason=${'x'.repeat(401)}`, 'reason'],
  ])('%s → 400 naming %s', async (path, param) => {
    const r = await server.api.get(path);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body).toMatchObject({ errorCode: 'VALIDATION', errorMessage: expect.stringContaining(`'${param}'`) });
  });
});
