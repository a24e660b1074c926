import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { Wallet } from '../../sandbox/wallets.js';
import { eventually, startTestServer } from '../../test/harness.js';

/**
 * `send` and `update` end to end: workflows run by the engine over the sandbox, through the
 * HTTP API; balances before/after and the stage history activities (docs/compatibility.md: send).
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let sb: Sandbox;
const W = 'wallets-002';
const p = '/api/orchestration/v2';

beforeAll(async () => {
  server = await startTestServer();
  sb = server.ctx.sandbox;
  await sb.ledger.createTransaction('main', { postings: [{ source: 'world', destination: 'users:1', amount: 100_000n, asset: 'USD/2' }] });
  await sb.ledger.createTransaction('eu', { postings: [{ source: 'world', destination: 'users:1', amount: 100_000n, asset: 'USD/2' }] });
});
afterAll(async () => {
  await server?.close();
});

async function start(stages: unknown[], vars: Record<string, string> = {}): Promise<string> {
  const wf = await server.api.post(`${p}/workflows`, { name: 'test', stages });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const run = await server.api.post(`${p}/workflows/${wf.body.data.id}/instances`, vars);
  expect(run.status, JSON.stringify(run.body)).toBe(201);
  return run.body.data.id;
}

async function finished(id: string) {
  return eventually(async () => {
    const r = await server.api.get(`${p}/instances/${id}`);
    return r.body.data.terminated ? r.body.data : undefined;
  }, 20_000);
}

async function history(id: string, stage = 0): Promise<any[]> {
  const r = await server.api.get(`${p}/instances/${id}/stages/${stage}/history`);
  expect(r.status).toBe(200);
  return r.body.data;
}

/** Runs one send stage to completion; returns the instance and its stage history. */
async function send(config: unknown, vars: Record<string, string> = {}) {
  const id = await start([{ send: config }], vars);
  const instance = await finished(id);
  return { id, instance, activities: await history(id) };
}

const bal = (ledger: string, address: string, asset = 'USD/2') => sb.ledger.balance(ledger, address, asset);
const names = (activities: any[]) => activities.map((a) => a.name);
const lastTx = async (ledger: string) => (await sb.ledger.listTransactions(ledger, { pageSize: 1 })).data[0];

async function walletWith(name: string, funds: bigint, asset = 'USD/2', metadata: Record<string, string> = {}): Promise<Wallet> {
  const w = await sb.wallets.createWallet({ name, metadata });
  if (funds > 0n) await sb.wallets.credit(w.id, { amount: { asset, amount: funds } });
  return w;
}
const walletBalance = async (id: string, asset = 'USD/2') => (await sb.wallets.getWallet(id))!.assets[asset] ?? 0n;

describe('send', () => {
  it('row 1: account → account, same ledger: one transaction, history as upstream', async () => {
    const before = await bal('main', 'users:1');
    const { instance, activities } = await send({
      source: { account: { id: 'users:1', ledger: 'main' } },
      destination: { account: { id: 'merchants:7', ledger: 'main' } },
      amount: { asset: 'USD/2', amount: 500 },
    });
    expect(instance.error).toBeUndefined();
    expect(await bal('main', 'users:1')).toBe(before - 500n);
    expect(await bal('main', 'merchants:7')).toBe(500n);
    expect(names(activities)).toEqual(['CreateTransaction']);
    const [a] = activities;
    expect(a).toMatchObject({ terminated: true, attempt: 1 });
    expect(a.input).toEqual({
      CreateTransaction: { ledger: 'main', data: { postings: [{ source: 'users:1', destination: 'merchants:7', amount: 500, asset: 'USD/2' }], metadata: {} } },
    });
    expect(a.output.CreateTransaction.data).toEqual([
      {
        txid: expect.any(Number),
        id: expect.any(Number),
        postings: [{ source: 'users:1', destination: 'merchants:7', amount: 500, asset: 'USD/2' }],
        metadata: {},
        timestamp: expect.any(String),
      },
    ]);
    // a COMMITTED_TRANSACTIONS event went out
    const ev = await server.api.get('/api/console/events?type=COMMITTED_TRANSACTIONS&limit=1');
    expect(ev.body.data[0].payload.transactions[0].postings[0]).toMatchObject({ source: 'users:1', destination: 'merchants:7', amount: 500 });
  });

  it('row 2: account → account across ledgers: bridge accounts, move metadata, overdraft program on the destination through account', async () => {
    const { instance, activities } = await send({
      source: { account: { id: 'users:1', ledger: 'eu', throughAccount: 'bridge:out' } },
      destination: { account: { id: 'treasury', ledger: 'us', throughAccount: 'bridge:in', allowOverdraft: true } },
      amount: { asset: 'USD/2', amount: 500 },
      metadata: { reason: 'settle' },
    });
    expect(instance.error).toBeUndefined();
    expect(await bal('eu', 'bridge:out')).toBe(500n);
    expect(await bal('us', 'bridge:in')).toBe(-500n);
    expect(await bal('us', 'treasury')).toBe(500n);
    expect(names(activities)).toEqual(['CreateTransaction', 'CreateTransaction']);
    expect(activities[0].input.CreateTransaction).toEqual({
      ledger: 'eu',
      data: {
        postings: [{ source: 'users:1', destination: 'bridge:out', amount: 500, asset: 'USD/2' }],
        metadata: { reason: 'settle', 'orchestration/move-to-ledger': 'us' },
      },
    });
    expect(activities[1].input.CreateTransaction).toEqual({
      ledger: 'us',
      data: {
        script: { plain: 'send [USD/2 500] (\n  source = @bridge:in allowing unbounded overdraft\n  destination = @treasury\n)' },
        metadata: { reason: 'settle', 'orchestration/move-from-ledger': 'eu' },
      },
    });
    expect((await lastTx('us')).metadata).toEqual({ reason: 'settle', 'orchestration/move-from-ledger': 'eu' });
  });

  it('row 3: account → wallet on the wallet ledger: GetWallet + CreditWallet from the account', async () => {
    await sb.ledger.createTransaction(W, { postings: [{ source: 'world', destination: 'users:1', amount: 1000n, asset: 'USD/2' }] });
    const w = await walletWith('row3', 0n);
    const { instance, activities } = await send(
      { source: { account: { id: 'users:1', ledger: W } }, destination: { wallet: { id: '${walletID}', balance: 'main' } }, amount: { asset: 'USD/2', amount: 500 } },
      { walletID: w.id },
    );
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetWallet', 'CreditWallet']);
    expect(activities[0].input).toEqual({ GetWallet: { id: w.id } });
    expect(activities[0].output.GetWallet.data).toMatchObject({ id: w.id, name: 'row3', ledger: W, metadata: {}, balances: { main: { assets: {} } } });
    expect(activities[1].input).toEqual({
      CreditWallet: { id: w.id, data: { amount: { asset: 'USD/2', amount: 500 }, metadata: {}, sources: [{ type: 'ACCOUNT', identifier: 'users:1' }], balance: 'main' } },
    });
    expect(activities[1]).not.toHaveProperty('output');
    expect(await walletBalance(w.id)).toBe(500n);
    expect(await bal(W, 'users:1')).toBe(500n);
    const t = await lastTx(W);
    expect(t.postings).toEqual([{ source: 'users:1', destination: sb.wallets.account(w.id), amount: 500n, asset: 'USD/2' }]);
    expect(t.metadata).toEqual({ 'wallets/transaction': 'true' });
  });

  it('row 4: account → wallet on another ledger: transaction to the through account, then a credit from it', async () => {
    const w = await walletWith('row4', 0n);
    const before = await bal('main', 'users:1');
    const { instance, activities } = await send({
      source: { account: { id: 'users:1', ledger: 'main' } },
      destination: { wallet: { id: w.id } },
      amount: { asset: 'USD/2', amount: 700 },
    });
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetWallet', 'CreateTransaction', 'CreditWallet']);
    expect(activities[1].input.CreateTransaction.data.metadata).toEqual({ 'orchestration/move-to-ledger': W });
    expect(activities[2].input.CreditWallet.data).toMatchObject({
      sources: [{ type: 'ACCOUNT', identifier: 'world' }],
      metadata: { 'orchestration/move-from-ledger': 'main' },
    });
    expect(await bal('main', 'users:1')).toBe(before - 700n);
    expect(await walletBalance(w.id)).toBe(700n);
    expect((await lastTx(W)).metadata).toEqual({ 'wallets/transaction': 'true', 'wallets/custom_data_orchestration/move-from-ledger': 'main' });
  });

  it('row 5: account → payment: GetAccount, ledger debit (overdraft program), transfer initiation', async () => {
    const stripe = await sb.payments.createConnector({ provider: 'stripe' });
    await sb.ledger.addAccountMetadata('main', 'users:5', { formanceAccountID: 'acct_1' });
    const { instance, activities } = await send(
      {
        source: { account: { id: 'users:5', ledger: 'main', throughAccount: 'liabilities:payouts', allowOverdraft: true } },
        destination: { payment: { psp: 'stripe', type: 'payout', sourceAccount: '${pspSourceAccount}' } },
        amount: { asset: 'USD/2', amount: 500 },
      },
      { pspSourceAccount: 'src_9' },
    );
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetAccount', 'CreateTransaction', 'CreateTransferInitiation']);
    expect(activities[0].input).toEqual({ GetAccount: { ledger: 'main', id: 'users:5' } });
    expect(activities[0].output.GetAccount.data).toMatchObject({ address: 'users:5', metadata: { formanceAccountID: 'acct_1' } });
    expect(activities[1].input.CreateTransaction.data).toEqual({
      script: { plain: 'send [USD/2 500] (\n  source = @users:5 allowing unbounded overdraft\n  destination = @liabilities:payouts\n)' },
      metadata: {},
    });
    expect(activities[2].input).toEqual({
      CreateTransferInitiation: {
        amount: 500,
        asset: 'USD/2',
        provider: 'STRIPE',
        type: 'PAYOUT',
        source: 'src_9',
        destination: 'acct_1',
        description: 'stripe PAYOUT',
        metadata: {},
        waitingValidation: false,
      },
    });
    expect(await bal('main', 'users:5')).toBe(-500n);
    expect(await bal('main', 'liabilities:payouts')).toBe(500n);
    const [ti] = (await sb.payments.listTransferInitiations({ pageSize: 1, offset: 0 })).data;
    expect(ti).toMatchObject({
      amount: 500n,
      asset: 'USD/2',
      provider: 'STRIPE',
      connectorID: stripe.id,
      type: 'PAYOUT',
      sourceAccountID: 'src_9',
      destinationAccountID: 'acct_1',
      description: 'stripe PAYOUT',
      status: 'PROCESSED',
    });
  });

  it('row 5: a source account without the PSP metadata fails before any transaction', async () => {
    const count = (await sb.ledger.listTransactions('main', { pageSize: 100 })).data.length;
    const { instance, activities } = await send({
      source: { account: { id: 'users:1', ledger: 'main' } },
      destination: { payment: { psp: 'stripe' } },
      amount: { asset: 'USD/2', amount: 5 },
    });
    expect(instance.error).toBe("expected 'formanceAccountID' metadata containing formance account ID");
    expect(names(activities)).toEqual(['GetAccount']);
    expect((await sb.ledger.listTransactions('main', { pageSize: 100 })).data.length).toBe(count);
  });

  it('row 6: wallet (by name) → account on the wallet ledger: ListWallets + DebitWallet to the account', async () => {
    const w = await walletWith('savings-6', 300n);
    const { instance, activities } = await send(
      { source: { wallet: { name: 'savings-${userID}' } }, destination: { account: { id: 'fees', ledger: W } }, amount: { asset: 'USD/2', amount: 100 } },
      { userID: '6' },
    );
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['ListWallets', 'DebitWallet']);
    expect(activities[0].input).toEqual({ ListWallets: { name: 'savings-6' } });
    expect(activities[0].output.ListWallets.cursor).toMatchObject({ pageSize: 15, hasMore: false, data: [{ id: w.id, name: 'savings-6', ledger: W }] });
    expect(activities[1].input).toEqual({
      DebitWallet: {
        id: w.id,
        data: { amount: { asset: 'USD/2', amount: 100 }, balances: ['main'], metadata: {}, destination: { type: 'ACCOUNT', identifier: 'fees' } },
      },
    });
    expect(await walletBalance(w.id)).toBe(200n);
    expect(await bal(W, 'fees')).toBe(100n);
    // the instance history shows the wallet id as '' (referenced by name)
    const h = await server.api.get(`${p}/instances/${instance.id}/history`);
    expect(h.body.data[0].input.source.wallet).toEqual({ id: '', name: 'savings-6', balance: 'main' });
  });

  it('row 7: wallet → account on another ledger: debit to world, then world → account', async () => {
    const w = await walletWith('savings-7', 300n);
    const { instance, activities } = await send({
      source: { wallet: { name: 'savings-7' } },
      destination: { account: { id: 'fees', ledger: 'main' } },
      amount: { asset: 'USD/2', amount: 100 },
    });
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['ListWallets', 'DebitWallet', 'CreateTransaction']);
    expect(activities[1].input.DebitWallet.data).toEqual({
      amount: { asset: 'USD/2', amount: 100 },
      balances: ['main'],
      metadata: { 'orchestration/move-to-ledger': 'main' },
    });
    expect(activities[2].input.CreateTransaction).toEqual({
      ledger: 'main',
      data: { postings: [{ source: 'world', destination: 'fees', amount: 100, asset: 'USD/2' }], metadata: { 'orchestration/move-from-ledger': W } },
    });
    expect(await walletBalance(w.id)).toBe(200n);
    expect(await bal('main', 'fees')).toBe(100n);
  });

  it('row 8: wallet → wallet (named destination balance): one credit from the source wallet', async () => {
    const from = await walletWith('from-8', 300n);
    const to = await walletWith('to-8', 0n);
    await sb.wallets.createBalance(to.id, { name: 'gifts' });
    const { instance, activities } = await send(
      { source: { wallet: { id: '${fromWallet}' } }, destination: { wallet: { id: '${toWallet}', balance: 'gifts' } }, amount: { asset: 'USD/2', amount: 100 } },
      { fromWallet: from.id, toWallet: to.id },
    );
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetWallet', 'GetWallet', 'CreditWallet']);
    expect(activities[2].input.CreditWallet).toEqual({
      id: to.id,
      data: { amount: { asset: 'USD/2', amount: 100 }, metadata: {}, sources: [{ type: 'WALLET', identifier: from.id, balance: 'main' }], balance: 'gifts' },
    });
    expect(await walletBalance(from.id)).toBe(200n);
    expect((await sb.wallets.getBalance(to.id, 'gifts'))!.assets).toEqual({ 'USD/2': 100n });
  });

  it('row 8: a destination balance that does not exist fails the stage, nothing moves', async () => {
    const from = await walletWith('from-8b', 300n);
    const to = await walletWith('to-8b', 0n);
    const { instance } = await send({
      source: { wallet: { id: from.id } },
      destination: { wallet: { id: to.id, balance: 'nope' } },
      amount: { asset: 'USD/2', amount: 100 },
    });
    expect(instance.error).toBe("balance 'nope' not exists");
    expect(await walletBalance(from.id)).toBe(300n);
  });

  it('row 10: wallet → payment: PSP id from wallet metadata, debit, waiting transfer initiation', async () => {
    await sb.payments.createConnector({ provider: 'wise' });
    const w = await walletWith('row10', 5000n, 'EUR/2', { pspAccount: 'rcpt_1' });
    const { instance, activities } = await send(
      {
        source: { wallet: { id: '${walletID}', balance: 'main' } },
        destination: { payment: { psp: 'wise', type: 'TRANSFER', metadata: 'pspAccount', waitingValidation: true } },
        amount: { asset: 'EUR/2', amount: 2000 },
      },
      { walletID: w.id },
    );
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetWallet', 'DebitWallet', 'CreateTransferInitiation']);
    expect(activities[2].input.CreateTransferInitiation).toMatchObject({
      provider: 'WISE',
      type: 'TRANSFER',
      destination: 'rcpt_1',
      description: 'wise TRANSFER',
      waitingValidation: true,
    });
    expect(await walletBalance(w.id, 'EUR/2')).toBe(3000n);
    expect(await bal(W, 'world', 'EUR/2')).toBe(-3000n);
    const [ti] = (await sb.payments.listTransferInitiations({ pageSize: 1, offset: 0 })).data;
    expect(ti).toMatchObject({ status: 'WAITING_FOR_VALIDATION', destinationAccountID: 'rcpt_1', amount: 2000n, provider: 'WISE' });
  });

  it('row 10: unknown wallet name → "reading account: : wallet not found"; ambiguous name fails too', async () => {
    const { instance } = await send({ source: { wallet: { name: 'ghost' } }, destination: { payment: { psp: 'wise' } }, amount: { asset: 'EUR/2', amount: 1 } });
    expect(instance.error).toBe('reading account: : wallet not found');
    await walletWith('twin', 10n);
    await walletWith('twin', 10n);
    const twin = await send({ source: { wallet: { name: 'twin' } }, destination: { account: { id: 'x', ledger: 'main' } }, amount: { asset: 'USD/2', amount: 1 } });
    expect(twin.instance.error).toBe('found multiple wallets with the same name');
    const unknownId = await send({
      source: { wallet: { id: '00000000-0000-4000-8000-000000000000' } },
      destination: { account: { id: 'x', ledger: 'main' } },
      amount: { asset: 'USD/2', amount: 1 },
    });
    expect(unknownId.instance.error).toBe('wallet not found');
    expect(unknownId.activities[0]).toMatchObject({ name: 'GetWallet', terminated: true, error: 'wallet not found' });
  });

  it('row 11: payment → account with the default ingestion: 3 transactions, amount from the payment; a re-run does not ingest twice', async () => {
    const stripe = (await sb.payments.listConnectors()).find((c) => c.provider === 'STRIPE')!;
    const payment = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_row11', asset: 'EUR/2', amount: 2000n });
    const X = payment.id.replaceAll('-', '_');
    const I = 'orchestration-000-internal';
    const config = { source: { payment: { id: '${paymentID}' } }, destination: { account: { id: 'users:11', ledger: 'main' } } };
    const { instance, activities } = await send(config, { paymentID: payment.id });
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetPayment', 'CreateTransaction', 'CreateTransaction', 'CreateTransaction']);
    expect(activities[0].output.GetPayment.data).toMatchObject({ id: payment.id, initialAmount: 2000, asset: 'EUR/2', type: 'PAY-IN', provider: 'STRIPE' });
    expect(activities[1].input.CreateTransaction).toEqual({
      ledger: I,
      data: { postings: [{ source: 'world', destination: `payment:${X}`, amount: 2000, asset: 'EUR/2' }], metadata: {}, reference: `payment:${X}` },
    });
    expect(activities[2].input.CreateTransaction).toEqual({
      ledger: I,
      data: { postings: [{ source: `payment:${X}`, destination: 'world', amount: 2000, asset: 'EUR/2' }], metadata: { 'orchestration/move-to-ledger': 'main' } },
    });
    expect(activities[3].input.CreateTransaction).toEqual({
      ledger: 'main',
      data: { postings: [{ source: 'world', destination: 'users:11', amount: 2000, asset: 'EUR/2' }], metadata: { 'orchestration/move-from-ledger': I } },
    });
    expect(await bal('main', 'users:11', 'EUR/2')).toBe(2000n);
    expect(await bal(I, `payment:${X}`, 'EUR/2')).toBe(0n);

    // Second run for the same payment: the ingestion finds it already done (reference taken) and
    // the holding account empty (the first run moved it on): the stage fails at once, saying so,
    // instead of retrying the move forever (docs/limits.md). Nothing moves.
    const again = await send(config, { paymentID: payment.id });
    expect(names(again.activities)).toEqual(['GetPayment', 'CreateTransaction']);
    const message = `payment ${payment.id} was already used: it was ingested by transaction #${activities[1].output.CreateTransaction.data[0].id} on ledger ${I}, and its holding account payment:${X} now holds 0 EUR/2, less than the 2000 EUR/2 to move (an earlier run moved it on)`;
    expect(again.activities[1]).toMatchObject({ terminated: true, error: message });
    expect(again.instance.error).toBe(message);
    expect(await bal(I, 'world', 'EUR/2')).toBe(-2000n + 2000n);
    expect(await bal('main', 'users:11', 'EUR/2')).toBe(2000n);
  });

  it('a payment ingested by a run that failed later is moved on by the next run', async () => {
    const stripe = (await sb.payments.listConnectors()).find((c) => c.provider === 'STRIPE')!;
    const payment = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_retry', asset: 'EUR/2', amount: 700n });
    const first = await send({ source: { payment: { id: payment.id } }, destination: { wallet: { name: 'nobody-has-this-name' } } });
    expect(first.instance.error).toBe('wallet not found');
    const w = await walletWith('retry', 0n);
    const second = await send({ source: { payment: { id: payment.id } }, destination: { wallet: { id: w.id } } });
    expect(second.instance.error).toBeUndefined();
    expect(await walletBalance(w.id, 'EUR/2')).toBe(700n);
  });

  it('row 12: payment → wallet with a custom ingestion on the wallet ledger (overdraft program, holding account credit)', async () => {
    const stripe = (await sb.payments.listConnectors()).find((c) => c.provider === 'STRIPE')!;
    const payment = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_row12', asset: 'EUR/2', amount: 2000n });
    const w = await walletWith('row12', 0n);
    const { instance, activities } = await send(
      {
        source: { payment: { id: '${paymentID}', ledger: W, holdingAccount: 'held:${ref}', throughAccount: 'psp:stripe:in', allowOverdraft: true } },
        destination: { wallet: { id: '${walletID}' } },
        amount: { asset: 'EUR/2', amount: 2000 },
      },
      { paymentID: payment.id, walletID: w.id, ref: 'r12' },
    );
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetPayment', 'CreateTransaction', 'GetWallet', 'CreditWallet']);
    expect(activities[1].input.CreateTransaction.data.script.plain).toBe(
      'send [EUR/2 2000] (\n  source = @psp:stripe:in allowing unbounded overdraft\n  destination = @held:r12\n)',
    );
    expect(activities[3].input.CreditWallet.data.sources).toEqual([{ type: 'ACCOUNT', identifier: 'held:r12' }]);
    expect(await bal(W, 'psp:stripe:in', 'EUR/2')).toBe(-2000n);
    expect(await bal(W, 'held:r12', 'EUR/2')).toBe(0n);
    expect(await walletBalance(w.id, 'EUR/2')).toBe(2000n);
  });

  it('row 12: payment → wallet with the default ingestion (internal ledger ≠ wallet ledger): 2 transactions + credit from world', async () => {
    const stripe = (await sb.payments.listConnectors()).find((c) => c.provider === 'STRIPE')!;
    const payment = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_row12b', asset: 'EUR/2', amount: 1500n });
    const w = await walletWith('row12b', 0n);
    const { instance, activities } = await send({ source: { payment: { id: payment.id } }, destination: { wallet: { id: w.id } } });
    expect(instance.error).toBeUndefined();
    expect(names(activities)).toEqual(['GetPayment', 'CreateTransaction', 'GetWallet', 'CreateTransaction', 'CreditWallet']);
    expect(activities[3].input.CreateTransaction.data.metadata).toEqual({ 'orchestration/move-to-ledger': W });
    expect(activities[4].input.CreditWallet.data).toMatchObject({
      sources: [{ type: 'ACCOUNT', identifier: 'world' }],
      metadata: { 'orchestration/move-from-ledger': 'orchestration-000-internal' },
    });
    expect(await walletBalance(w.id, 'EUR/2')).toBe(1500n);
  });

  it('row 13 and missing amounts: stage errors with upstream texts, no activity', async () => {
    const create = await server.api.post(`${p}/workflows`, { stages: [{ send: { source: { payment: { id: 'a' } }, destination: { payment: { psp: 'x' } } } }] });
    expect(create.status).toBe(400);
    expect(create.body.errorMessage).toContain('send from payment to payment is not supported');
    const { instance, activities } = await send(
      { source: { account: { id: 'users:1', ledger: 'main' } }, destination: { account: { id: 'x', ledger: 'main' } }, amount: { asset: 'USD/2', amount: '${amount}' } },
      {},
    );
    expect(instance.error).toBe('amount must be specified');
    expect(activities).toEqual([]);
  });

  it('unknown payment fails fast (documented choice for bug #21)', async () => {
    const { instance, activities } = await send({
      source: { payment: { id: Buffer.from('{"x":"nope"}').toString('base64url') } },
      destination: { account: { id: 'x', ledger: 'main' } },
    });
    expect(instance.error).toMatch(/payment .* not found/);
    expect(activities).toHaveLength(1);
  });

  it('insufficient funds: retried with back-off (attempt, lastFailure, nextExecution), succeeds once funded', async () => {
    const id = await start([
      {
        send: {
          source: { account: { id: 'empty:1', ledger: 'retry' } },
          destination: { account: { id: 'shop', ledger: 'retry' } },
          amount: { asset: 'USD/2', amount: 300 },
        },
      },
    ]);
    const failing = await eventually(async () => {
      const h = await history(id);
      return h[0]?.attempt >= 2 ? h[0] : undefined;
    });
    expect(failing).toMatchObject({
      name: 'CreateTransaction',
      terminated: false,
      lastFailure: 'running numscript: script execution failed: account(s) @empty:1 had/have insufficient funds',
      nextExecution: expect.any(String),
    });
    expect((await server.api.get(`${p}/instances/${id}`)).body.data.terminated).toBe(false);
    await sb.ledger.createTransaction('retry', { postings: [{ source: 'world', destination: 'empty:1', amount: 300n, asset: 'USD/2' }] });
    const done = await finished(id);
    expect(done.error).toBeUndefined();
    expect(await bal('retry', 'shop')).toBe(300n);
    const [a] = await history(id);
    expect(a.terminated).toBe(true);
    expect(a.attempt).toBeGreaterThanOrEqual(2);
  });

  it('abort during a retry wait: instance canceled, the send never happens even after funding', async () => {
    const id = await start([
      {
        send: {
          source: { account: { id: 'empty:2', ledger: 'retry' } },
          destination: { account: { id: 'shop2', ledger: 'retry' } },
          amount: { asset: 'USD/2', amount: 300 },
        },
      },
    ]);
    await eventually(async () => ((await history(id))[0]?.attempt >= 2 ? true : undefined));
    expect((await server.api.put(`${p}/instances/${id}/abort`)).status).toBe(204);
    const done = await finished(id);
    expect(done.error).toBe('canceled');
    await sb.ledger.createTransaction('retry', { postings: [{ source: 'world', destination: 'empty:2', amount: 300n, asset: 'USD/2' }] });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await bal('retry', 'shop2')).toBe(0n);
    expect(await bal('retry', 'empty:2')).toBe(300n);
  });

  it('timestamps and stage metadata are forwarded to every write', async () => {
    const w = await walletWith('ts', 0n);
    const { instance, activities } = await send(
      {
        source: { account: { id: 'users:1', ledger: 'main' } },
        destination: { wallet: { id: w.id } },
        amount: { asset: 'USD/2', amount: 5 },
        metadata: { orderID: '${order}' },
        timestamp: '2024-07-01T00:00:00Z',
      },
      { order: 'o-1' },
    );
    expect(instance.error).toBeUndefined();
    expect(activities[1].input.CreateTransaction.data).toMatchObject({
      timestamp: '2024-07-01T00:00:00.000Z',
      metadata: { orderID: 'o-1', 'orchestration/move-to-ledger': W },
    });
    expect(activities[2].input.CreditWallet.data.timestamp).toBe('2024-07-01T00:00:00.000Z');
    expect((await lastTx(W)).timestamp.toISOString()).toBe('2024-07-01T00:00:00.000Z');
    expect((await lastTx(W)).metadata).toMatchObject({ 'wallets/custom_data_orderID': 'o-1' });
  });

  it('amounts beyond 2^53 move exactly', async () => {
    const big = 2n ** 60n + 1n;
    await sb.ledger.createTransaction('bigs', { postings: [{ source: 'world', destination: 'rich', amount: big, asset: 'COIN' }] });
    const { instance } = await send(
      { source: { account: { id: 'rich', ledger: 'bigs' } }, destination: { account: { id: 'poor', ledger: 'bigs' } }, amount: { asset: 'COIN', amount: '${amt}' } },
      { amt: big.toString() },
    );
    expect(instance.error).toBeUndefined();
    expect(await bal('bigs', 'poor', 'COIN')).toBe(big);
    expect(await bal('bigs', 'rich', 'COIN')).toBe(0n);
  });
});

describe('update', () => {
  it('adds account metadata: one AddAccountMetadata {id, ledger, metadata}', async () => {
    const id = await start([{ update: { account: { id: 'users:${userID}', metadata: { kyc: '${kyc}', source: 'flows' } } } }], { userID: '42', kyc: '2' });
    const instance = await finished(id);
    expect(instance.error).toBeUndefined();
    const activities = await history(id);
    expect(activities).toEqual([
      expect.objectContaining({
        name: 'AddAccountMetadata',
        terminated: true,
        attempt: 1,
        input: { AddAccountMetadata: { id: 'users:42', ledger: 'main', metadata: { kyc: '2', source: 'flows' } } },
      }),
    ]);
    expect(activities[0]).not.toHaveProperty('output');
    expect((await sb.ledger.getAccount('main', 'users:42')).metadata).toEqual({ kyc: '2', source: 'flows' });
    const ev = await server.api.get('/api/console/events?type=SAVED_METADATA&limit=1');
    expect(ev.body.data[0].payload).toEqual({ ledger: 'main', targetType: 'ACCOUNT', targetId: 'users:42', metadata: { kyc: '2', source: 'flows' } });
  });

  it('a malformed address fails the stage with the ledger message', async () => {
    const id = await start([{ update: { account: { id: 'not an address', ledger: 'main', metadata: {} } } }]);
    expect((await finished(id)).error).toBe("invalid account address 'not an address'");
  });
});
