import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configFromEnv } from '../config.js';
import { parseJson } from '../sandbox/json.js';
import { startServer, type RunningServer } from '../server.js';
import { startTestServer } from '../test/harness.js';

/**
 * Remote mode: dry-runs and backtests computed by the console from a stack's data, with GET
 * calls only (the stack here is an embedded server with AUTH_CLIENTS). The answers match the
 * stack's own dry-run, and say they were computed, not executed.
 */
const SECRET = 'remote-sim-secret';
let stack: Awaited<ReturnType<typeof startTestServer>>;
let remote: RunningServer;
const calls: { method: string; path: string }[] = [];
let walletId = '';

beforeAll(async () => {
  stack = await startTestServer({ AUTH_CLIENTS: `console:${SECRET}` });
  // The remote-mode server's calls to the stack recorded (the server keeps the fetch it finds at start).
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.origin === new URL(stack.url).origin && url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/auth')) {
      calls.push({ method: init?.method ?? 'GET', path: url.pathname + url.search });
    }
    return realFetch(input, init);
  });
  remote = await startServer(
    configFromEnv({ PORT: '0', QUIET: 'true', DATA_DIR: 'memory', FORMANCE_URL: stack.url, FORMANCE_CLIENT_ID: 'console', FORMANCE_CLIENT_SECRET: SECRET }),
  );
  // the stack's data, written directly (as its own users would)
  const sb = stack.ctx.sandbox;
  await sb.ledger.createTransaction('rs', { postings: [{ source: 'world', destination: 'users:1', amount: 1_000n, asset: 'USD/2' }] });
  walletId = (await sb.wallets.createWallet({ name: 'remote-alice' })).id;
  await sb.wallets.credit(walletId, { amount: { asset: 'USD/2', amount: 300n } });
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await remote?.close();
  await stack?.close();
});

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: parseJson(await res.text()) as any };
}

const stages = [
  {
    send: {
      source: { account: { id: 'users:1', ledger: 'rs' } },
      destination: { account: { id: 'users:${to}', ledger: 'rs' } },
      amount: { asset: 'USD/2', amount: '${amount}' },
    },
  },
  {
    send: {
      source: { wallet: { name: 'remote-alice' } },
      destination: { account: { id: 'users:${to}', ledger: 'wallets-002' } },
      amount: { asset: 'USD/2', amount: 100 },
    },
  },
  { update: { account: { id: 'users:${to}', ledger: 'rs', metadata: { via: 'remote' } } } },
];

describe('remote mode simulations', () => {
  it('a dry-run reads the stack with GET only and gives the answer the stack itself would', async () => {
    calls.length = 0;
    const body = { stages, variables: { to: '2', amount: '400' } };
    const r = await post(remote.url, '/api/console/simulations/workflow', body);
    expect(r.status).toBe(200);
    expect(r.body.data.basis).toMatchObject({ mode: 'remote', note: expect.stringMatching(/^computed from balances at .+; the stack did not execute this$/) });
    expect(r.body.data.outcome).toEqual({ status: 'succeeded' });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);

    const own = await stack.ctx.flows.simulations.dryRunWorkflow({ stages, variables: { to: '2', amount: '400' } });
    const strip = (s: any) =>
      s.stages.map((x: any) => ({
        status: x.status,
        postings: x.postings.map((p: any) => [p.ledger, p.source, p.destination, BigInt(p.amount), p.asset]),
        metadata: x.metadata,
      }));
    expect(strip(r.body.data)).toEqual(strip(own));

    // nothing happened on the stack
    const sb = stack.ctx.sandbox;
    expect(await sb.ledger.balance('rs', 'users:1', 'USD/2')).toBe(1_000n);
    expect(await sb.ledger.findAccount('rs', 'users:2')).toBeNull();
  });

  it('stops where upstream Flows would: insufficient funds retry with the shortfall; an unknown ledger is retried too', async () => {
    const short = await post(remote.url, '/api/console/simulations/workflow', { stages, variables: { to: '2', amount: '5000' } });
    expect(short.body.data.outcome).toMatchObject({ status: 'retrying', stage: 0, shortfall: { ledger: 'rs', accounts: ['users:1'], missing: 4000 } });
    const noLedger = await post(remote.url, '/api/console/simulations/workflow', {
      stages: [
        {
          send: {
            source: { account: { id: 'world', ledger: 'nowhere' } },
            destination: { account: { id: 'x', ledger: 'nowhere' } },
            amount: { asset: 'USD/2', amount: 1 },
          },
        },
      ],
    });
    expect(noLedger.body.data.outcome).toMatchObject({ status: 'retrying', stage: 0, error: 'ledger nowhere not found' });
  });

  it('a saved workflow is read from the stack; unknown ones are 404; bad input is 400', async () => {
    const wf = (await stack.ctx.flows.workflows.create({ name: 'remote-sim', stages })).id;
    const r = await post(remote.url, '/api/console/simulations/workflow', { workflowID: wf, variables: { to: '3', amount: '10' } });
    expect(r.body.data).toMatchObject({ workflowID: wf, outcome: { status: 'succeeded' } });
    expect((await post(remote.url, '/api/console/simulations/workflow', { workflowID: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const bad = await post(remote.url, '/api/console/simulations/workflow', { workflowID: wf, variables: [] });
    expect(bad).toMatchObject({ status: 400, body: { errorCode: 'VALIDATION', errorMessage: expect.stringMatching(/^variables: /) } });
  });

  it('a backtest rebuilds COMMITTED_TRANSACTIONS from the ledgers and says what it could not cover', async () => {
    const sb = stack.ctx.sandbox;
    for (const amount of [5n, 6n]) await sb.ledger.createTransaction('rs-events', { postings: [{ source: 'world', destination: 'users:ev', amount, asset: 'USD/2' }] });
    const wf = (
      await stack.ctx.flows.workflows.create({
        stages: [
          {
            send: {
              source: { account: { id: 'world', ledger: 'rs' } },
              destination: { account: { id: 'fees', ledger: 'rs' } },
              amount: { asset: 'USD/2', amount: '${n}' },
            },
          },
        ],
      })
    ).id;
    const from = new Date(Date.now() - 600_000).toISOString();
    calls.length = 0;
    const r = await post(remote.url, '/api/console/simulations/trigger', {
      trigger: {
        event: 'COMMITTED_TRANSACTIONS',
        workflowID: wf,
        filter: 'event.ledger == "rs-events"',
        vars: { n: 'string(event.transactions[0].postings[0].amount)' },
      },
      from,
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ matched: 2, outcomes: { succeeded: 2 }, basis: { mode: 'remote' } });
    expect(r.body.data.matches.map((m: any) => m.variables)).toEqual([{ n: '5' }, { n: '6' }]);
    expect(r.body.data.totals).toEqual(expect.arrayContaining([{ ledger: 'rs', account: 'fees', asset: 'USD/2', in: 11, out: 0 }]));
    expect(r.body.data.uncovered.join(' ')).toContain('accountMetadata');
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);

    const other = await post(remote.url, '/api/console/simulations/trigger', { trigger: { event: 'SAVED_METADATA', workflowID: wf }, from });
    expect(other.body.data).toMatchObject({ scanned: 0, matched: 0 });
    expect(other.body.data.uncovered[0]).toContain('no history of SAVED_METADATA');
  });
});
