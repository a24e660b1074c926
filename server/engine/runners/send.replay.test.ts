import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { openTestSandbox } from '../../sandbox/test-helpers.js';
import { json, parseJsonColumn, type Db } from '../../store/db.js';
import { ActivityError, StageError, type StageContext } from '../types.js';
import { runSendStage, type SendInput } from './send.js';

/**
 * The send runner against a fake stage context (no engine): replays that lost every record
 * (the worst crash: effects done, nothing written down) reuse the same idempotency keys and move
 * nothing twice; row 9, which the one-ledger wallets sandbox cannot produce, is checked with a
 * wallet that claims another ledger.
 */
let db: Db;
let sb: Sandbox;
beforeAll(async () => {
  ({ db, sandbox: sb } = await openTestSandbox());
  await sb.ledger.createTransaction('main', { postings: [{ source: 'world', destination: 'users:1', amount: 10_000n, asset: 'USD/2' }] });
  await sb.ledger.addAccountMetadata('main', 'users:1', { formanceAccountID: 'acct_1' });
  await sb.payments.createConnector({ provider: 'stripe' });
});
afterAll(() => db.close());

interface Recorded {
  name: string;
  input: any;
  output?: any;
  error?: string;
}

function fakeContext(input: SendInput, instanceId: string, sandbox: Sandbox = sb): StageContext<SendInput> & { recorded: Recorded[] } {
  let seq = 0;
  const recorded: Recorded[] = [];
  return {
    instanceId,
    workflowId: 'wf',
    stage: 0,
    startedAt: new Date(),
    variables: {},
    input,
    deps: { db, sandbox },
    recorded,
    async activity<T>(name: string, activityInput: unknown, run: (key: string) => Promise<T>): Promise<T> {
      const key = `${instanceId}-0-${seq++}`;
      try {
        const out = await run(key);
        recorded.push({ name, input: parseJsonColumn(json(activityInput)), output: out });
        // what the engine stores and replays is JSON, with exact integers (store/db.ts)
        return (out === undefined ? undefined : parseJsonColumn(json(out))) as T;
      } catch (err) {
        recorded.push({ name, input: activityInput, error: (err as Error).message });
        throw err;
      }
    },
    async sleepUntil() {},
    async waitEvent() {},
  };
}

const account = (id: string, ledger: string, extra: Partial<{ throughAccount: string; allowOverdraft: boolean }> = {}) => ({
  id,
  ledger,
  throughAccount: extra.throughAccount ?? 'world',
  allowOverdraft: extra.allowOverdraft ?? false,
});
const usd = (amount: bigint) => ({ asset: 'USD/2', amount });

describe('send replay after losing every record', () => {
  it('moves money once for ledger, wallet and payment effects', async () => {
    const w = await sb.wallets.createWallet({ name: 'replay' });
    const stripe = (await sb.payments.listConnectors())[0];
    const payment = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_replay', asset: 'USD/2', amount: 900n });
    const H = `payment:${payment.id.replaceAll('-', '_')}`;
    const inputs: SendInput[] = [
      // row 4: tx + credit
      { source: { account: account('users:1', 'main') }, destination: { wallet: { id: w.id, balance: 'main' } }, amount: usd(100n) },
      // row 7: debit + tx
      { source: { wallet: { id: w.id, balance: 'main' } }, destination: { account: account('shop', 'main') }, amount: usd(40n) },
      // row 5: tx + transfer initiation
      {
        source: { account: account('users:1', 'main') },
        destination: { payment: { psp: 'stripe', type: 'PAYOUT', metadata: 'formanceAccountID', waitingValidation: false } },
        amount: usd(7n),
      },
      // row 11: ingestion + 2 moves
      {
        source: { payment: { id: payment.id, ledger: 'orchestration-000-internal', holdingAccount: H, throughAccount: 'world', allowOverdraft: false } },
        destination: { account: account('users:2', 'main') },
      },
    ];
    for (const [i, input] of inputs.entries()) {
      const first = fakeContext(input, `inst-${i}`);
      await runSendStage(first);
      // crash: nothing was recorded; the engine runs the stage again with the same keys
      const replay = fakeContext(input, `inst-${i}`);
      await runSendStage(replay);
      expect(replay.recorded.map((r) => r.name)).toEqual(first.recorded.map((r) => r.name));
      expect(replay.recorded.every((r) => r.error === undefined)).toBe(true);
    }
    expect(await sb.ledger.balance('main', 'users:1', 'USD/2')).toBe(10_000n - 100n - 7n);
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 60n });
    expect(await sb.ledger.balance('main', 'shop', 'USD/2')).toBe(40n);
    expect(await sb.ledger.balance('main', 'users:2', 'USD/2')).toBe(900n);
    expect(await sb.ledger.balance('orchestration-000-internal', 'world', 'USD/2')).toBe(0n);
    expect((await sb.payments.listTransferInitiations({ pageSize: 10, offset: 0 })).data).toHaveLength(1);
    // a new run of the same stage (new instance) moves again: keys are per execution
    await runSendStage(fakeContext(inputs[1], 'inst-new'));
    expect(await sb.ledger.balance('main', 'shop', 'USD/2')).toBe(80n);
  });
});

describe('send runner logic', () => {
  it('row 9: wallets on different ledgers → debit to world, credit from world, move metadata', async () => {
    const from = await sb.wallets.createWallet({ name: 'r9-from' });
    const to = await sb.wallets.createWallet({ name: 'r9-to' });
    await sb.wallets.credit(from.id, { amount: usd(50n) });
    // a wallets service that puts `to` on another ledger (the sandbox keeps every wallet on one)
    const wallets = Object.create(sb.wallets, {
      getWallet: {
        value: async (id: string) => {
          const x = await sb.wallets.getWallet(id);
          return x && id === to.id ? { ...x, ledger: 'wallets-eu' } : x;
        },
      },
    });
    const sandbox = { ...sb, ledger: sb.ledger, payments: sb.payments, wallets } as Sandbox;
    const ctx = fakeContext(
      { source: { wallet: { id: from.id, balance: 'main' } }, destination: { wallet: { id: to.id, balance: 'main' } }, amount: usd(20n) },
      'r9',
      sandbox,
    );
    await runSendStage(ctx);
    expect(ctx.recorded.map((r) => r.name)).toEqual(['GetWallet', 'GetWallet', 'DebitWallet', 'CreditWallet']);
    expect(ctx.recorded[2].input).toEqual({
      id: from.id,
      data: { amount: { asset: 'USD/2', amount: 20 }, balances: ['main'], metadata: { 'orchestration/move-to-ledger': 'wallets-eu' } },
    });
    expect(ctx.recorded[3].input).toEqual({
      id: to.id,
      data: { amount: { asset: 'USD/2', amount: 20 }, metadata: { 'orchestration/move-from-ledger': 'wallets-002' }, sources: [], balance: 'main' },
    });
    expect((await sb.wallets.getWallet(from.id))!.assets).toEqual({ 'USD/2': 30n });
    expect((await sb.wallets.getWallet(to.id))!.assets).toEqual({ 'USD/2': 20n });
  });

  it('row 13 and missing amounts are stage errors before any call', async () => {
    const p2p = fakeContext(
      {
        source: { payment: { id: 'x', ledger: 'l', holdingAccount: 'h', throughAccount: 'world', allowOverdraft: false } },
        destination: { payment: { type: 'PAYOUT', metadata: 'k', waitingValidation: false } },
      },
      'r13',
    );
    await expect(runSendStage(p2p)).rejects.toThrow(new StageError('send from payment to payment is not supported'));
    expect(p2p.recorded).toEqual([]);
    const noAmount = fakeContext({ source: { account: account('users:1', 'main') }, destination: { account: account('x', 'main') }, amount: { asset: 'USD/2' } }, 'na');
    await expect(runSendStage(noAmount)).rejects.toThrow('amount must be specified');
    expect(noAmount.recorded).toEqual([]);
  });

  it('insufficient funds is a retryable activity error; bad input is not', async () => {
    const poor = fakeContext({ source: { account: account('nobody', 'main') }, destination: { account: account('x', 'main') }, amount: usd(1n) }, 'poor');
    const err = await runSendStage(poor).catch((e) => e);
    expect(err).toBeInstanceOf(ActivityError);
    expect(err.retryable).toBe(true);
    expect(err.code).toBe('INSUFFICIENT_FUND');
    const bad = fakeContext(
      { source: { account: account('users:1', 'main') }, destination: { account: account('x', 'main') }, amount: { asset: 'usd', amount: 1n } },
      'bad',
    );
    const e2 = await runSendStage(bad).catch((e) => e);
    expect(e2).toBeInstanceOf(ActivityError);
    expect(e2.retryable).toBe(false);
    expect(e2.message).toBe("postings[0].asset: invalid asset 'usd'");
  });

  it('row 5: a failed account lookup carries the "reading account: <address>: " prefix', async () => {
    const ctx = fakeContext(
      {
        source: { account: account('bad address', 'main') },
        destination: { payment: { type: 'PAYOUT', metadata: 'formanceAccountID', waitingValidation: false } },
        amount: usd(1n),
      },
      'r5',
    );
    await expect(runSendStage(ctx)).rejects.toThrow("reading account: bad address: invalid account address 'bad address'");
  });
});
