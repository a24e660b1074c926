import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { openTestSandbox } from '../../sandbox/test-helpers.js';
import type { Db } from '../../store/db.js';
import { dryRunOnSandbox } from './index.js';

/** The dry-run driver on a sandbox without an engine: stage results, stops and shortfalls. */
let db: Db;
let sb: Sandbox;
let walletId: string;
beforeAll(async () => {
  ({ db, sandbox: sb } = await openTestSandbox());
  await sb.ledger.createTransaction('main', { postings: [{ source: 'world', destination: 'users:1', amount: 10_000n, asset: 'USD/2' }] });
  walletId = (await sb.wallets.createWallet({ name: 'alice' })).id;
});
afterAll(() => db.close());

const dryRun = (stages: unknown[], variables: Record<string, string> = {}, assumeEvents = false) =>
  dryRunOnSandbox(db, sb.wallets.ledgerName, { stages, variables, assumeEvents });

describe('dry-run', () => {
  it('sends, metadata, delays and events, stage by stage, with balances and net changes', async () => {
    const r = await dryRun(
      [
        {
          send: {
            source: { account: { id: 'users:1', ledger: 'main' } },
            destination: { account: { id: 'users:${to}', ledger: 'main' } },
            amount: { asset: 'USD/2', amount: '${amount}' },
          },
        },
        { send: { source: { account: { id: 'users:1', ledger: 'main' } }, destination: { wallet: { name: 'alice' } }, amount: { asset: 'USD/2', amount: 250 } } },
        { update: { account: { id: 'users:${to}', ledger: 'main', metadata: { checked: 'yes' } } } },
        { delay: { duration: '1h' } },
        { wait_event: { event: 'approved' } },
        { noop: {} },
      ],
      { to: '2', amount: '1200' },
    );
    expect(r.outcome).toMatchObject({ status: 'waiting', stage: 4 });
    expect(r.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'waiting']);
    expect(r.stages[0].postings).toMatchObject([
      { ledger: 'main', source: 'users:1', destination: 'users:2', asset: 'USD/2', amount: 1200n, activity: 'CreateTransaction' },
    ]);
    expect(r.stages[0].balances).toEqual(
      expect.arrayContaining([
        { ledger: 'main', account: 'users:1', asset: 'USD/2', before: 10_000n, after: 8_800n },
        { ledger: 'main', account: 'users:2', asset: 'USD/2', before: 0n, after: 1_200n },
      ]),
    );
    // another ledger than the wallets': out through `world` on main, in from `world` on the wallets' ledger
    expect(r.stages[1].postings).toMatchObject([
      { ledger: 'main', source: 'users:1', destination: 'world', amount: 250n, activity: 'CreateTransaction' },
      {
        ledger: sb.wallets.ledgerName,
        source: 'world',
        amount: 250n,
        activity: 'CreditWallet',
        via: { wallet: walletId },
        destinationWallet: { id: walletId, name: 'alice', balance: 'main' },
      },
    ]);
    expect(r.stages[2].metadata).toEqual([{ ledger: 'main', account: 'users:2', metadata: { checked: 'yes' } }]);
    expect(r.stages[3].pause?.until.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(r.stages[4].waitEvent).toEqual({ event: 'approved', assumed: false });

    const assumed = await dryRun([{ wait_event: { event: 'approved' } }, { noop: {} }], {}, true);
    expect(assumed.outcome.status).toBe('succeeded');
    expect(assumed.stages[0].waitEvent).toEqual({ event: 'approved', assumed: true });

    // nothing was written
    expect(await sb.ledger.balance('main', 'users:1', 'USD/2')).toBe(10_000n);
    expect(await sb.ledger.findAccount('main', 'users:2')).toBeNull();
  });

  it('an insufficient fund stops the run in retry, naming the account and what is missing', async () => {
    const r = await dryRun([
      {
        send: {
          source: { account: { id: 'users:1', ledger: 'main' } },
          destination: { account: { id: 'users:3', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: 9_000 },
        },
      },
      {
        send: {
          source: { account: { id: 'users:1', ledger: 'main' } },
          destination: { account: { id: 'users:3', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: 1_500 },
        },
      },
      { noop: {} },
    ]);
    expect(r.outcome).toMatchObject({ status: 'retrying', stage: 1 });
    expect(r.outcome.shortfall).toEqual({ ledger: 'main', accounts: ['users:1'], asset: 'USD/2', needed: 1_500n, available: 1_000n, missing: 500n });
    expect(r.stages).toHaveLength(2);
    expect(r.netChanges).toEqual(
      expect.arrayContaining([
        { ledger: 'main', account: 'users:1', asset: 'USD/2', before: 10_000n, after: 1_000n },
        { ledger: 'main', account: 'users:3', asset: 'USD/2', before: 0n, after: 9_000n },
      ]),
    );
  });

  it('a wallet debit short of funds names the wallet; a stage error fails the run', async () => {
    const short = await dryRun([
      {
        send: { source: { wallet: { id: walletId } }, destination: { account: { id: 'users:9', ledger: sb.wallets.ledgerName } }, amount: { asset: 'USD/2', amount: 5 } },
      },
    ]);
    expect(short.outcome.status).toBe('retrying');
    expect(short.outcome.shortfall).toMatchObject({ ledger: sb.wallets.ledgerName, wallet: { id: walletId, name: 'alice', balance: 'main' }, missing: 5n });

    const failed = await dryRun([
      { send: { source: { wallet: { name: 'nobody' } }, destination: { account: { id: 'x', ledger: 'main' } }, amount: { asset: 'USD/2', amount: 5 } } },
    ]);
    expect(failed.outcome).toEqual({ status: 'failed', stage: 0, error: 'wallet not found' });

    const unresolved = await dryRun([{ send: { source: { account: { id: '${who}' } }, destination: { account: { id: 'x' } }, amount: { asset: 'USD/2', amount: 5 } } }]);
    expect(unresolved.outcome.status).toBe('failed');
    expect(unresolved.outcome.error).toContain("Key: 'Send.Source.Account.ID'");
  });
});
