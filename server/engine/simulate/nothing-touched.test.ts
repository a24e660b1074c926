import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../../test/harness.js';

/**
 * Nothing is touched: dry-runs and backtests — succeeding, failing, stopping on insufficient
 * funds, waiting, refused as bad input, canceled — leave every table's rows and every sequence
 * exactly as they were; and with real runs in flight at the same time, those runs finish with
 * exact balances while nothing a dry-run alone would have created exists anywhere.
 */
let server: Awaited<ReturnType<typeof startTestServer>>;
const v2 = '/api/orchestration/v2';
let walletId = '';
let paymentId = '';
let workflowID = '';
let triggerID = '';

beforeAll(async () => {
  server = await startTestServer();
  const { api } = server;
  await api.post('/api/ledger/v2/nt/transactions', { postings: [{ source: 'world', destination: 'users:rich', amount: 100_000, asset: 'USD/2' }], metadata: {} });
  await api.post('/api/ledger/v2/nt/accounts/users:rich/metadata', { formanceAccountID: 'psp_rich' });
  walletId = (await api.post('/api/wallets/wallets', { name: 'nt-wallet', metadata: { formanceAccountID: 'psp_w' } })).body.data.id;
  await api.post(`/api/wallets/wallets/${walletId}/credit`, { amount: { asset: 'USD/2', amount: 500 }, metadata: {} });
  const connector = await server.ctx.sandbox.payments.createConnector({ provider: 'dummy-pay' });
  paymentId = (await api.post('/api/console/payments', { asset: 'USD/2', amount: 700, connectorID: connector.id })).body.data.id;
  workflowID = (await api.post(`${v2}/workflows`, { name: 'nt', stages: everyKind('${to}', '${amount}') })).body.data.id;
  const noop = (await api.post(`${v2}/workflows`, { name: 'nt-noop', stages: [{ noop: {} }] })).body.data.id;
  triggerID = (
    await api.post(`${v2}/triggers`, {
      event: 'COMMITTED_TRANSACTIONS',
      workflowID: noop,
      filter: 'event.ledger == "ntev"',
      vars: { n: 'string(event.transactions[0].id)' },
    })
  ).body.data.id;
  // a few events for the backtests (these real transactions fire the trigger: let them settle)
  for (const amount of [1, 2, 3])
    await api.post('/api/ledger/v2/ntev/transactions', { postings: [{ source: 'world', destination: 'users:e', amount, asset: 'USD/2' }], metadata: {} });
  await settled();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/** Every stage kind, every kind of send the sandbox can do, some of it to dry-run-only accounts. */
function everyKind(to: string, amount: string) {
  return [
    { send: { source: { account: { id: 'users:rich', ledger: 'nt' } }, destination: { account: { id: to, ledger: 'nt' } }, amount: { asset: 'USD/2', amount } } },
    {
      send: { source: { account: { id: 'users:rich', ledger: 'nt' } }, destination: { account: { id: to, ledger: 'dryonly' } }, amount: { asset: 'USD/2', amount: 10 } },
    },
    { send: { source: { account: { id: 'users:rich', ledger: 'nt' } }, destination: { wallet: { name: 'nt-wallet' } }, amount: { asset: 'USD/2', amount: 20 } } },
    { send: { source: { wallet: { id: walletId } }, destination: { account: { id: to, ledger: 'nt' } }, amount: { asset: 'USD/2', amount: 5 } } },
    { send: { source: { payment: { id: paymentId } }, destination: { account: { id: to, ledger: 'nt' } } } },
    { send: { source: { account: { id: 'users:rich', ledger: 'nt' } }, destination: { payment: { psp: 'dummy-pay' } }, amount: { asset: 'USD/2', amount: 30 } } },
    { update: { account: { id: to, ledger: 'nt', metadata: { dry: 'yes' } } } },
    { delay: { duration: '1ms' } },
    { wait_event: { event: 'go' } },
    { noop: {} },
  ];
}

/** No instance running, no task left: the database is at rest. */
async function settled() {
  await eventually(async () => {
    const [r] = await server.ctx.db.query<{ n: number | string }>(`select (select count(*) from tasks) + (select count(*) from instances where not terminated) as n`);
    return Number(r.n) === 0;
  }, 30_000);
  // the trigger dispatcher has read everything
  await eventually(async () => {
    const [r] = await server.ctx.db.query<{ behind: boolean }>(
      `select (select max(seq) from events) > (select seq from consumer_offsets where name = 'triggers') as behind`,
    );
    return r.behind === false;
  }, 30_000);
}

/** Every row of every table, and every sequence's position. */
async function everything(): Promise<Record<string, string[]>> {
  const db = server.ctx.db;
  const out: Record<string, string[]> = {};
  const tables = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  expect(tables.length).toBeGreaterThan(15);
  for (const { table_name } of tables) {
    const rows = await db.query(`select * from "${table_name}"`);
    out[table_name] = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).sort();
  }
  out['(sequences)'] = (await db.query(`select sequencename, last_value from pg_sequences where schemaname = current_schema() order by sequencename`)).map(
    (r) => `${r.sequencename}=${r.last_value}`,
  );
  expect(out['(sequences)'].length).toBeGreaterThan(5);
  return out;
}

const dryRun = (body: unknown) => server.api.post('/api/console/simulations/workflow', body);
const backtest = (body: unknown) => server.api.post('/api/console/simulations/trigger', body);
const from = () => new Date(Date.now() - 3_600_000).toISOString();

describe('dry-runs and backtests touch nothing', () => {
  it('every row of every table and every sequence is unchanged, on success and on failure', async () => {
    const before = await everything();

    const outcomes: string[] = [];
    const ok = await dryRun({ workflowID, variables: { to: 'dry:a', amount: '100' }, assumeEvents: true });
    outcomes.push(ok.body.data.outcome.status);
    expect(ok.body.data.stages.flatMap((s: any) => s.postings).length).toBeGreaterThan(6);
    outcomes.push((await dryRun({ workflowID, variables: { to: 'dry:a', amount: '100' } })).body.data.outcome.status);
    outcomes.push((await dryRun({ workflowID, variables: { to: 'dry:b', amount: '99999999' } })).body.data.outcome.status);
    outcomes.push((await dryRun({ stages: everyKind('${to}', '${amount}'), variables: { to: 'dry:c', amount: '12.5' } })).body.data.outcome.status);
    outcomes.push(
      (await dryRun({ stages: [{ send: { source: { wallet: { name: 'nobody' } }, destination: { account: { id: 'dry:d' } }, amount: { asset: 'USD/2', amount: 1 } } }] }))
        .body.data.outcome.status,
    );
    expect(outcomes).toEqual(['succeeded', 'waiting', 'retrying', 'failed', 'failed']);
    expect((await dryRun({ stages: [{ bogus: {} }] })).status).toBe(400);
    expect((await dryRun({ workflowID: 'nope' })).status).toBe(404);

    const saved = await backtest({ triggerID, from: from() });
    expect(saved.body.data).toMatchObject({ matched: 3, outcomes: { succeeded: 3 } });
    const unsaved = await backtest({
      trigger: {
        event: 'COMMITTED_TRANSACTIONS',
        workflowID,
        filter: 'event.ledger == "ntev"',
        vars: { to: '"dry:t"', amount: 'string(event.transactions[0].postings[0].amount)' },
      },
      from: from(),
      assumeEvents: true,
    });
    expect(unsaved.body.data.matched).toBeGreaterThanOrEqual(3);
    expect(unsaved.body.data.totals.length).toBeGreaterThan(0);
    expect(
      (await backtest({ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID, vars: { x: 'event.nope.deeper' } }, from: from() })).body.data.errors,
    ).toBeGreaterThan(0);
    expect((await backtest({ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID }, from: 'x' })).status).toBe(400);
    const stop = new AbortController();
    const streamed = await fetch(`${server.url}/api/console/simulations/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID, vars: { to: '"dry:s"', amount: '"1"' } }, from: from() }),
      signal: stop.signal,
    });
    stop.abort();
    await streamed.text().catch(() => undefined);

    expect(await everything()).toEqual(before);
  }, 120_000);

  it('with real runs in flight: they finish exactly, and nothing a dry-run alone would create exists', async () => {
    const N = 12;
    const real = (
      await server.api.post(`${v2}/workflows`, {
        name: 'in-flight',
        stages: [
          {
            send: {
              source: { account: { id: 'world', ledger: 'nt' } },
              destination: { account: { id: 'run:${i}', ledger: 'nt' } },
              amount: { asset: 'USD/2', amount: 100 },
            },
          },
          { delay: { duration: '${d}' } },
          {
            send: {
              source: { account: { id: 'run:${i}', ledger: 'nt' } },
              destination: { account: { id: 'run:sink', ledger: 'nt' } },
              amount: { asset: 'USD/2', amount: 60 },
            },
          },
          { send: { source: { account: { id: 'users:rich', ledger: 'nt' } }, destination: { wallet: { id: walletId } }, amount: { asset: 'USD/2', amount: 1 } } },
        ],
      })
    ).body.data.id;
    const [{ n: instancesBefore }] = await server.ctx.db.query(`select count(*)::int as n from instances`);
    const richBefore = await balance('nt', 'users:rich');

    const ids: string[] = [];
    let dryRuns = 0;
    const runs = (async () => {
      for (let i = 0; i < N; i++) {
        ids.push((await server.api.post(`${v2}/workflows/${real}/instances`, { i: String(i), d: `${50 + (i % 4) * 100}ms` })).body.data.id);
      }
    })();
    // dry-runs on the same accounts as the real runs, and on accounts only dry-runs name
    const dry = (async () => {
      while (ids.length < N || !(await allDone(ids))) {
        const r = await dryRun({ workflowID: real, variables: { i: 'sink', d: '1ms' } });
        expect(r.status).toBe(200);
        await dryRun({ workflowID, variables: { to: `dry:${dryRuns}`, amount: '7' }, assumeEvents: true });
        await backtest({ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID, vars: { to: '"dry:bt"', amount: '"3"' } }, from: from(), limit: 50 });
        dryRuns++;
      }
    })();
    await Promise.all([runs, dry]);
    expect(dryRuns).toBeGreaterThan(0);
    await settled();

    for (const id of ids) expect((await server.api.get(`${v2}/instances/${id}`)).body.data).toMatchObject({ terminated: true });
    for (const id of ids) expect((await server.api.get(`${v2}/instances/${id}`)).body.data.error).toBeUndefined();
    expect(await balance('nt', 'run:sink')).toBe(60 * N);
    for (let i = 0; i < N; i++) expect(await balance('nt', `run:${i}`)).toBe(40);
    expect(await balance('nt', 'users:rich')).toBe(richBefore - N);

    const db = server.ctx.db;
    const [{ n: instancesAfter }] = await db.query(`select count(*)::int as n from instances`);
    expect(instancesAfter).toBe(instancesBefore + N);
    expect(await db.query(`select name from sb_ledgers where name = 'dryonly'`)).toEqual([]);
    expect(await db.query(`select address from sb_accounts where address like 'dry:%'`)).toEqual([]);
    expect(await db.query(`select seq from events where payload::text like '%dry:%' or payload::text like '%dry-run%'`)).toEqual([]);
    expect(await db.query(`select key from sb_idempotency where key like 'dry-run%'`)).toEqual([]);
    expect(await db.query(`select id from sb_transfer_initiations where reference like 'dry-run%'`)).toEqual([]);
    // no transaction id was consumed by a dry-run: each ledger's counter is its last transaction
    for (const l of await db.query(
      `select l.name, l.last_tx_id::text as last, (select coalesce(max(id), 0) from sb_transactions t where t.ledger = l.name)::text as max from sb_ledgers l`,
    )) {
      expect(l.last, l.name).toBe(l.max);
    }
  }, 180_000);
});

async function balance(ledger: string, address: string): Promise<number> {
  const r = await server.api.get(`/api/ledger/v2/${ledger}/accounts/${address}?expand=volumes`);
  return r.status === 200 ? (r.body.data.volumes['USD/2']?.balance ?? 0) : 0;
}

async function allDone(ids: string[]): Promise<boolean> {
  const rows = await server.ctx.db.query(`select count(*)::int as n from instances where id = any($1::text[]) and not terminated`, [ids]);
  return rows[0].n === 0;
}
