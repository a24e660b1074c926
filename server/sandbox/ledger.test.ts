import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../store/db.js';
import type { Ledger } from './ledger.js';
import { SandboxError } from './errors.js';
import { eventsOf, openTestSandbox } from './test-helpers.js';

let db: Db;
let ledger: Ledger;

beforeAll(async () => {
  const t = await openTestSandbox();
  db = t.db;
  ledger = t.sandbox.ledger;
});
afterAll(() => db.close());

const post = (source: string, destination: string, amount: bigint, asset = 'USD/2') => ({ source, destination, amount, asset });

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SandboxError) return err.code;
    throw err;
  }
  return 'OK';
}

describe('ledger', () => {
  it('creates ledgers on first write, ids start at 1, world goes negative', async () => {
    const { transaction } = await ledger.createTransaction('l1', { postings: [post('world', 'users:1', 1250n)], metadata: { orderID: '42' } });
    expect(transaction.id).toBe(1);
    expect(transaction.metadata).toEqual({ orderID: '42' });
    expect(await ledger.balance('l1', 'world', 'USD/2')).toBe(-1250n);
    expect(await ledger.balance('l1', 'users:1', 'USD/2')).toBe(1250n);
    expect(transaction.preCommitVolumes['users:1']['USD/2']).toEqual({ input: 0n, output: 0n });
    expect(transaction.postCommitVolumes['users:1']['USD/2']).toEqual({ input: 1250n, output: 0n });
    const info = await ledger.getLedger('l1');
    expect(info.name).toBe('l1');
    const second = await ledger.createTransaction('l1', { postings: [post('users:1', 'users:2', 50n)] });
    expect(second.transaction.id).toBe(2);
  });

  it('keeps amounts beyond 2^53 exact', async () => {
    const big = 2n ** 70n + 7n;
    await ledger.createTransaction('big', { postings: [post('world', 'whale', big, 'COIN')] });
    await ledger.createTransaction('big', { postings: [post('whale', 'minnow', big - 1n, 'COIN')] });
    expect(await ledger.balance('big', 'whale', 'COIN')).toBe(1n);
    expect(await ledger.balance('big', 'minnow', 'COIN')).toBe(big - 1n);
    expect(await ledger.balance('big', 'world', 'COIN')).toBe(-big);
    const t = await ledger.getTransaction('big', 2);
    expect(t.postings[0].amount).toBe(big - 1n);
  });

  it('refuses to overdraw any account but world, all or nothing', async () => {
    await ledger.createTransaction('l2', { postings: [post('world', 'a', 100n)] });
    const err = await ledger.createTransaction('l2', { postings: [post('a', 'b', 60n), post('a', 'c', 60n)] }).catch((e) => e);
    expect(err).toBeInstanceOf(SandboxError);
    expect(err.code).toBe('INSUFFICIENT_FUND');
    expect(err.message).toBe('running numscript: script execution failed: account(s) @a had/have insufficient funds');
    expect(await ledger.balance('l2', 'a', 'USD/2')).toBe(100n);
    expect(await ledger.balance('l2', 'b', 'USD/2')).toBe(0n);
    // force lifts the check
    await ledger.createTransaction('l2', { postings: [post('a', 'b', 160n)], force: true });
    expect(await ledger.balance('l2', 'a', 'USD/2')).toBe(-60n);
    // the tx id sequence has no hole from the failed write
    expect((await ledger.listTransactions('l2')).data.map((t) => t.id)).toEqual([2, 1]);
  });

  it('runs the overdraft program Flows sends', async () => {
    const plain = `send [EUR/2 1500] (\n  source = @bridge:in allowing unbounded overdraft\n  destination = @treasury\n)`;
    const { transaction } = await ledger.createTransaction('l3', { script: { plain }, metadata: { 'orchestration/move-from-ledger': 'eu' } });
    expect(transaction.postings).toEqual([post('bridge:in', 'treasury', 1500n, 'EUR/2')]);
    expect(await ledger.balance('l3', 'bridge:in', 'EUR/2')).toBe(-1500n);
  });

  it('runs the numscript subset: vars, in-order sources, max, allotments, metadata', async () => {
    await ledger.createTransaction('ns', { postings: [post('world', 'a', 30n, 'COIN'), post('world', 'b', 100n, 'COIN')] });
    const plain = `vars { account $dst  monetary $m }
      send $m (
        source = { @a max [COIN 50] from @b @world }
        destination = { 10% to @fees  remaining to $dst }
      )
      set_tx_meta("kind", "split")
      set_account_meta($dst, "touched", "yes")`;
    const { transaction } = await ledger.createTransaction('ns', { script: { plain, vars: { dst: 'users:9', m: 'COIN 100' } } });
    expect(transaction.postings).toEqual([
      post('a', 'fees', 10n, 'COIN'),
      post('a', 'users:9', 20n, 'COIN'),
      post('b', 'users:9', 50n, 'COIN'),
      post('world', 'users:9', 20n, 'COIN'),
    ]);
    expect(transaction.metadata).toEqual({ kind: 'split' });
    expect((await ledger.getAccount('ns', 'users:9')).metadata).toEqual({ touched: 'yes' });
    const all = await ledger.createTransaction('ns', { script: { plain: 'send [COIN *] ( source = @b destination = @c )' } });
    expect(all.transaction.postings).toEqual([post('b', 'c', 50n, 'COIN')]);
    expect(await code(ledger.createTransaction('ns', { script: { plain: 'send [COIN 1] ( source = @b allowing overdraft up to [COIN 1] destination = @c )' } }))).toBe(
      'OK',
    );
    expect(await code(ledger.createTransaction('ns', { script: { plain: 'send [COIN 1] ( source = @b allowing overdraft up to [COIN 1] destination = @c )' } }))).toBe(
      'INSUFFICIENT_FUND',
    );
    expect(await code(ledger.createTransaction('ns', { script: { plain: 'send [COIN 1 ( source = @b destination = @c )' } }))).toBe('COMPILATION_FAILED');
    expect(await code(ledger.createTransaction('ns', { script: { plain: 'vars { account $x } send [COIN 1] ( source = $x destination = @c )' } }))).toBe(
      'COMPILATION_FAILED',
    );
    expect(
      await code(ledger.createTransaction('ns', { script: { plain: 'set_tx_meta("k", "a") send [COIN 1] ( source = @world destination = @c )' }, metadata: { k: 'b' } })),
    ).toBe('METADATA_OVERRIDE');
  });

  it('validates input: both or neither of postings/script, bad address/asset, negative amounts', async () => {
    expect(await code(ledger.createTransaction('l4', {}))).toBe('NO_POSTINGS');
    expect(await code(ledger.createTransaction('l4', { postings: [post('world', 'a', 1n)], script: { plain: 'send [COIN 1] (source=@world destination=@a)' } }))).toBe(
      'VALIDATION',
    );
    expect(await code(ledger.createTransaction('l4', { postings: [post('world', 'a b', 1n)] }))).toBe('VALIDATION');
    expect(await code(ledger.createTransaction('l4', { postings: [post('world', 'a', 1n, 'usd')] }))).toBe('VALIDATION');
    expect(await code(ledger.createTransaction('l4', { postings: [post('world', 'a', -1n)] }))).toBe('VALIDATION');
    expect(await code(ledger.createTransaction('bad name!', { postings: [post('world', 'a', 1n)] }))).toBe('VALIDATION');
    expect(await code(ledger.getLedger('never-made'))).toBe('LEDGER_NOT_FOUND');
  });

  it('idempotency keys: same input → same transaction, no second effect, no second event; other input → VALIDATION', async () => {
    const before = (await eventsOf(db, 'COMMITTED_TRANSACTIONS')).length;
    const input = { postings: [post('world', 'idem', 10n)], metadata: { a: '1' } };
    const first = await ledger.createTransaction('l5', input, { idempotencyKey: 'k1' });
    const again = await ledger.createTransaction('l5', { postings: [post('world', 'idem', 10n)], metadata: { a: '1' } }, { idempotencyKey: 'k1' });
    expect(first.idempotencyHit).toBe(false);
    expect(again.idempotencyHit).toBe(true);
    expect(again.transaction.id).toBe(first.transaction.id);
    expect(again.transaction.postCommitVolumes).toEqual(first.transaction.postCommitVolumes);
    expect(await ledger.balance('l5', 'idem', 'USD/2')).toBe(10n);
    expect((await eventsOf(db, 'COMMITTED_TRANSACTIONS')).length).toBe(before + 1);
    expect(await code(ledger.createTransaction('l5', { postings: [post('world', 'idem', 11n)] }, { idempotencyKey: 'k1' }))).toBe('VALIDATION');
    // same key on another ledger is another scope
    expect((await ledger.createTransaction('l5b', input, { idempotencyKey: 'k1' })).idempotencyHit).toBe(false);
  });

  it('references are unique per ledger (CONFLICT), replays by idempotency key still answer', async () => {
    await ledger.createTransaction('l6', { postings: [post('world', 'x', 1n)], reference: 'ref-1' }, { idempotencyKey: 'r' });
    expect(await code(ledger.createTransaction('l6', { postings: [post('world', 'x', 1n)], reference: 'ref-1' }))).toBe('CONFLICT');
    expect(await code(ledger.createTransaction('l6', { postings: [post('world', 'x', 1n)], reference: 'ref-1' }, { idempotencyKey: 'r' }))).toBe('OK');
    expect(await code(ledger.createTransaction('l6b', { postings: [post('world', 'x', 1n)], reference: 'ref-1' }))).toBe('OK');
    expect(await ledger.balance('l6', 'x', 'USD/2')).toBe(1n);
  });

  it('account and transaction metadata merge and publish SAVED_METADATA / DELETED_METADATA', async () => {
    await ledger.addAccountMetadata('l7', 'users:1', { a: '1', b: '2' });
    await ledger.addAccountMetadata('l7', 'users:1', { b: '3' });
    expect((await ledger.getAccount('l7', 'users:1')).metadata).toEqual({ a: '1', b: '3' });
    await ledger.deleteAccountMetadata('l7', 'users:1', 'a');
    expect((await ledger.getAccount('l7', 'users:1')).metadata).toEqual({ b: '3' });
    const { transaction } = await ledger.createTransaction('l7', { postings: [post('world', 'users:1', 5n)] });
    await ledger.addTransactionMetadata('l7', transaction.id, { note: 'hi' });
    expect((await ledger.getTransaction('l7', transaction.id)).metadata).toEqual({ note: 'hi' });
    expect(await code(ledger.addTransactionMetadata('l7', 999, { note: 'x' }))).toBe('NOT_FOUND');
    const saved = (await eventsOf(db, 'SAVED_METADATA')).map((e) => e.payload).filter((p) => p.ledger === 'l7');
    expect(saved).toEqual([
      { ledger: 'l7', targetType: 'ACCOUNT', targetId: 'users:1', metadata: { a: '1', b: '2' } },
      { ledger: 'l7', targetType: 'ACCOUNT', targetId: 'users:1', metadata: { b: '3' } },
      { ledger: 'l7', targetType: 'TRANSACTION', targetId: String(transaction.id), metadata: { note: 'hi' } },
    ]);
    const deleted = (await eventsOf(db, 'DELETED_METADATA')).map((e) => e.payload).filter((p) => p.ledger === 'l7');
    expect(deleted).toEqual([{ ledger: 'l7', targetType: 'ACCOUNT', targetId: 'users:1', key: 'a' }]);
  });

  it('publishes COMMITTED_TRANSACTIONS with the transaction as the ledger writes it', async () => {
    const { transaction } = await ledger.createTransaction('l8', { postings: [post('world', 'users:1', 1250n)], metadata: { orderID: '42' }, reference: 'o42' });
    const [event] = (await eventsOf(db, 'COMMITTED_TRANSACTIONS')).filter((e) => e.payload.ledger === 'l8');
    expect(event.app).toBe('ledger');
    expect(event.version).toBe('v2');
    expect(event.payload.accountMetadata).toEqual({});
    expect(event.payload.transactions).toHaveLength(1);
    expect(event.payload.transactions[0]).toMatchObject({
      id: transaction.id,
      postings: [{ source: 'world', destination: 'users:1', amount: 1250, asset: 'USD/2' }],
      metadata: { orderID: '42' },
      reference: 'o42',
      reverted: false,
      postCommitVolumes: { 'users:1': { 'USD/2': { input: 1250, output: 0, balance: 1250 } } },
    });
  });

  it('reverts, lists with filters, aggregates balances', async () => {
    await ledger.createTransaction('l9', { postings: [post('world', 'users:1', 100n), post('world', 'users:2', 50n)] });
    const { transaction } = await ledger.createTransaction('l9', { postings: [post('users:1', 'shop', 30n)] });
    const revert = await ledger.revertTransaction('l9', transaction.id);
    expect(revert.postings).toEqual([post('shop', 'users:1', 30n)]);
    expect(revert.metadata['com.formance.spec/state/reverts']).toBe(String(transaction.id));
    expect(await code(ledger.revertTransaction('l9', transaction.id))).toBe('ALREADY_REVERT');
    expect((await ledger.getTransaction('l9', transaction.id)).reverted).toBe(true);
    const users = await ledger.listAccounts('l9', { query: { $match: { address: 'users:' } } });
    expect(users.data.map((a) => a.address)).toEqual(['users:1', 'users:2']);
    expect(await ledger.aggregateBalances('l9', { $match: { address: 'users:' } })).toEqual({ 'USD/2': 150n });
    expect(await ledger.aggregateBalances('l9')).toEqual({ 'USD/2': 0n });
    const shopTx = await ledger.listTransactions('l9', { query: { $match: { account: 'shop' } } });
    expect(shopTx.data.map((t) => t.id)).toEqual([3, 2]);
    const page1 = await ledger.listTransactions('l9', { pageSize: 2 });
    expect(page1.hasMore).toBe(true);
    const page2 = await ledger.listTransactions('l9', { cursor: page1.next });
    expect(page2.data.map((t) => t.id)).toEqual([1]);
    expect(page2.previous).toBeDefined();
  });

  it('v1 get account: ledger created on the fly, unused address is empty', async () => {
    const a = await ledger.getAccountV1('fresh-v1', 'nobody');
    expect(a).toEqual({ address: 'nobody', metadata: {}, volumes: {} });
    expect((await ledger.getLedger('fresh-v1')).bucket).toBe('fresh-v1');
  });

  it('dry runs persist and publish nothing', async () => {
    const before = (await eventsOf(db, 'COMMITTED_TRANSACTIONS')).length;
    const { transaction } = await ledger.createTransaction('l10', { postings: [post('world', 'dry', 5n)] }, { dryRun: true });
    expect(transaction.postings[0].amount).toBe(5n);
    expect(await ledger.balance('l10', 'dry', 'USD/2')).toBe(0n);
    expect((await eventsOf(db, 'COMMITTED_TRANSACTIONS')).length).toBe(before);
  });

  it('concurrent writers: one transaction per idempotency key, never below zero', async () => {
    await ledger.createTransaction('race', { postings: [post('world', 'pot', 10n)] });
    const sameKey = await Promise.all(
      Array.from({ length: 10 }, () => ledger.createTransaction('race', { postings: [post('world', 'keyed', 1n)] }, { idempotencyKey: 'race-key' })),
    );
    expect(new Set(sameKey.map((r) => r.transaction.id)).size).toBe(1);
    expect(await ledger.balance('race', 'keyed', 'USD/2')).toBe(1n);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => ledger.createTransaction('race', { postings: [post('pot', `out:${i}`, 1n)] })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'INSUFFICIENT_FUND')).toBe(true);
    expect(await ledger.balance('race', 'pot', 'USD/2')).toBe(0n);
    const ids = (await ledger.listTransactions('race', { pageSize: 100 })).data.map((t) => t.id);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids.length - i));
  });
});
