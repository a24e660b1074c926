import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../store/db.js';
import { SandboxError } from './errors.js';
import type { Sandbox } from './sandbox.js';
import { eventsOf, openTestSandbox } from './test-helpers.js';

let db: Db;
let sb: Sandbox;

beforeAll(async () => {
  const t = await openTestSandbox();
  db = t.db;
  sb = t.sandbox;
});
afterAll(() => db.close());

const usd = (amount: bigint) => ({ asset: 'USD/2', amount });

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SandboxError) return err.code;
    throw err;
  }
  return 'OK';
}

describe('wallets', () => {
  it('creates a wallet as metadata on wallets:<id>:main and publishes SAVED_METADATA', async () => {
    const w = await sb.wallets.createWallet({ name: 'alice', metadata: { tier: 'gold' } });
    expect(w.ledger).toBe('wallets-002');
    const address = `wallets:${w.id.replaceAll('-', '')}:main`;
    const account = await sb.ledger.getAccount('wallets-002', address);
    expect(account.metadata).toMatchObject({
      'wallets/spec/type': 'wallets.primary',
      'wallets/id': w.id,
      'wallets/name': 'alice',
      'wallets/balances': 'true',
      'wallets/balances/name': 'main',
      'wallets/custom_data_tier': 'gold',
    });
    const ev = (await eventsOf(db, 'SAVED_METADATA')).find((e) => e.payload.targetId === address);
    expect(ev.payload).toMatchObject({ ledger: 'wallets-002', targetType: 'ACCOUNT' });
    const got = await sb.wallets.getWallet(w.id);
    expect(got).toMatchObject({ id: w.id, name: 'alice', metadata: { tier: 'gold' }, assets: {} });
    expect(await sb.wallets.getWallet('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('credits from world or ordered sources, debits with and without hold, never negative', async () => {
    const w = await sb.wallets.createWallet({ name: 'bob' });
    const main = sb.wallets.account(w.id);
    const t = await sb.wallets.credit(w.id, { amount: usd(1000n), balance: 'main', metadata: { why: 'gift' } });
    expect(t.postings).toEqual([{ source: 'world', destination: main, amount: 1000n, asset: 'USD/2' }]);
    expect(t.metadata).toEqual({ 'wallets/transaction': 'true', 'wallets/custom_data_why': 'gift' });
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 1000n });

    // ordered sources: drained in order
    await sb.ledger.createTransaction('wallets-002', { postings: [{ source: 'world', destination: 'src:a', amount: 30n, asset: 'USD/2' }] });
    const t2 = await sb.wallets.credit(w.id, {
      amount: usd(50n),
      sources: [
        { type: 'ACCOUNT', identifier: 'src:a' },
        { type: 'ACCOUNT', identifier: 'world' },
      ],
    });
    expect(t2.postings.map((p) => [p.source, p.amount])).toEqual([
      ['src:a', 30n],
      ['world', 20n],
    ]);
    expect(await code(sb.wallets.credit(w.id, { amount: usd(1n), sources: [{ type: 'ACCOUNT', identifier: 'src:a' }] }))).toBe('INSUFFICIENT_FUND');

    await sb.wallets.debit(w.id, { amount: usd(50n), destination: { type: 'ACCOUNT', identifier: 'shop' } });
    expect(await sb.ledger.balance('wallets-002', 'shop', 'USD/2')).toBe(50n);
    expect(await code(sb.wallets.debit(w.id, { amount: usd(5000n) }))).toBe('INSUFFICIENT_FUND');
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 1000n });

    const hold = await sb.wallets.debit(w.id, { amount: usd(300n), pending: true, description: 'ride', destination: { type: 'ACCOUNT', identifier: 'drivers:1' } });
    expect(hold).toMatchObject({
      walletID: w.id,
      asset: 'USD/2',
      description: 'ride',
      originalAmount: 300n,
      remaining: 300n,
      destination: { type: 'ACCOUNT', identifier: 'drivers:1' },
    });
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 700n });
    await sb.wallets.confirmHold(hold!.id, { amount: 100n });
    expect(await sb.ledger.balance('wallets-002', 'drivers:1', 'USD/2')).toBe(100n);
    expect(await code(sb.wallets.confirmHold(hold!.id, { amount: 500n }))).toBe('INSUFFICIENT_FUND');
    await sb.wallets.voidHold(hold!.id);
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 900n });
    expect(await code(sb.wallets.voidHold(hold!.id))).toBe('HOLD_CLOSED');
    expect((await sb.wallets.listHolds({ walletID: w.id })).data).toHaveLength(1);

    const txs = await sb.wallets.transactions({ walletID: w.id });
    expect(txs.data.length).toBe(5);
    expect(txs.data.every((tx) => tx.metadata['wallets/transaction'] === 'true')).toBe(true);
  });

  it('named balances: create, credit, debit all (*), main reserved, unknown balance refused', async () => {
    const w = await sb.wallets.createWallet({ name: 'carol' });
    await sb.wallets.createBalance(w.id, { name: 'gifts', priority: 1 });
    expect(await code(sb.wallets.createBalance(w.id, { name: 'gifts' }))).toBe('VALIDATION');
    expect(await code(sb.wallets.createBalance(w.id, { name: 'main' }))).toBe('VALIDATION');
    await sb.wallets.credit(w.id, { amount: usd(40n), balance: 'gifts' });
    await sb.wallets.credit(w.id, { amount: usd(100n) });
    expect(await code(sb.wallets.credit(w.id, { amount: usd(1n), balance: 'nope' }))).toBe('VALIDATION');
    const balances = await sb.wallets.listBalances(w.id);
    expect(balances.map((b) => [b.name, b.assets['USD/2']])).toEqual([
      ['main', 100n],
      ['gifts', 40n],
    ]);
    // wallet balance = main only
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 100n });
    await sb.wallets.debit(w.id, { amount: usd(60n), balances: ['*'] });
    expect((await sb.wallets.getBalance(w.id, 'gifts'))!.assets).toEqual({ 'USD/2': 0n });
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 80n });
  });

  it('wallet→wallet credit with a WALLET subject', async () => {
    const a = await sb.wallets.createWallet({ name: 'from' });
    const b = await sb.wallets.createWallet({ name: 'to' });
    await sb.wallets.credit(a.id, { amount: usd(10n) });
    await sb.wallets.credit(b.id, { amount: usd(10n), balance: 'main', sources: [{ type: 'WALLET', identifier: a.id, balance: 'main' }] });
    expect((await sb.wallets.getWallet(a.id))!.assets).toEqual({ 'USD/2': 0n });
    expect((await sb.wallets.getWallet(b.id))!.assets).toEqual({ 'USD/2': 10n });
  });

  it('lists by name and metadata; idempotent create', async () => {
    const one = await sb.wallets.createWallet({ name: 'dup', metadata: { team: 'x' } }, { idempotencyKey: 'w-1' });
    const again = await sb.wallets.createWallet({ name: 'dup', metadata: { team: 'x' } }, { idempotencyKey: 'w-1' });
    expect(again.id).toBe(one.id);
    expect(await code(sb.wallets.createWallet({ name: 'other' }, { idempotencyKey: 'w-1' }))).toBe('CONFLICT');
    await sb.wallets.createWallet({ name: 'dup' });
    expect((await sb.wallets.listWallets({ name: 'dup' })).data).toHaveLength(2);
    expect((await sb.wallets.listWallets({ metadata: { team: 'x' } })).data.map((w) => w.id)).toEqual([one.id]);
  });

  it('idempotent credit/debit: a replay moves nothing', async () => {
    const w = await sb.wallets.createWallet({ name: 'idem' });
    await sb.wallets.credit(w.id, { amount: usd(5n), balance: 'main' }, { idempotencyKey: 'c-1' });
    await sb.wallets.credit(w.id, { amount: usd(5n), balance: 'main' }, { idempotencyKey: 'c-1' });
    await sb.wallets.debit(w.id, { amount: usd(2n) }, { idempotencyKey: 'd-1' });
    await sb.wallets.debit(w.id, { amount: usd(2n) }, { idempotencyKey: 'd-1' });
    expect((await sb.wallets.getWallet(w.id))!.assets).toEqual({ 'USD/2': 3n });
  });
});
