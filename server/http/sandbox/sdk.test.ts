import { SDK } from '@formance/formance-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/harness.js';
import type { Sandbox } from '../../sandbox/sandbox.js';

/**
 * The sandbox HTTP subset driven by the official SDK (7.0.1), which zod-validates every
 * response: any response it rejects fails the test (the server is wrong then).
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let sdk: SDK;
let sb: Sandbox;

beforeAll(async () => {
  server = await startTestServer();
  sdk = new SDK({ serverURL: server.url });
  sb = server.ctx.sandbox;
});
afterAll(async () => {
  await server?.close();
});

describe('SDK ledger.v2', () => {
  it('ledgers, transactions, accounts, metadata, aggregates, revert', async () => {
    expect((await sdk.ledger.v2.createLedger({ ledger: 'sdk', v2CreateLedgerRequest: {} })).statusCode).toBe(204);
    const dup = await sdk.ledger.v2.createLedger({ ledger: 'sdk', v2CreateLedgerRequest: {} }).catch((e) => e);
    expect(dup.constructor.name).toBe('ErrorsV2ErrorResponse');
    expect(dup.data$.errorCode).toBe('LEDGER_ALREADY_EXISTS');

    const ledgers = await sdk.ledger.v2.listLedgers({});
    expect(ledgers.v2LedgerListResponse!.cursor.data.map((l) => l.name)).toContain('sdk');
    const ledger = await sdk.ledger.v2.getLedger({ ledger: 'sdk' });
    expect(ledger.v2GetLedgerResponse!.data).toMatchObject({ name: 'sdk', bucket: '_default' });

    const created = await sdk.ledger.v2.createTransaction({
      ledger: 'sdk',
      idempotencyKey: 'sdk-1',
      v2PostTransaction: {
        postings: [{ source: 'world', destination: 'users:1', amount: 1250n, asset: 'USD/2' }],
        metadata: { orderID: '42' },
        reference: 'order-42',
      },
    });
    expect(created.statusCode).toBe(200);
    const tx = created.v2CreateTransactionResponse!.data;
    expect(tx.id).toBe(1n);
    expect(tx.postings[0].amount).toBe(1250n);
    expect(tx.postCommitVolumes!['users:1']['USD/2']).toEqual({ input: 1250n, output: 0n, balance: 1250n });
    expect(tx.timestamp).toBeInstanceOf(Date);

    const replay = await sdk.ledger.v2.createTransaction({
      ledger: 'sdk',
      idempotencyKey: 'sdk-1',
      v2PostTransaction: { postings: [{ source: 'world', destination: 'users:1', amount: 1250n, asset: 'USD/2' }], metadata: { orderID: '42' }, reference: 'order-42' },
    });
    expect(replay.v2CreateTransactionResponse!.data.id).toBe(1n);
    expect(replay.headers['idempotency-hit']).toEqual(['true']);

    const script = await sdk.ledger.v2.createTransaction({
      ledger: 'sdk',
      v2PostTransaction: { script: { plain: 'send [USD/2 100] (\n source = @users:1\n destination = @shop\n)', vars: {} }, metadata: {} },
    });
    expect(script.v2CreateTransactionResponse!.data.postings).toEqual([{ source: 'users:1', destination: 'shop', amount: 100n, asset: 'USD/2' }]);

    const poor = await sdk.ledger.v2
      .createTransaction({ ledger: 'sdk', v2PostTransaction: { postings: [{ source: 'shop', destination: 'x', amount: 1000n, asset: 'USD/2' }], metadata: {} } })
      .catch((e) => e);
    expect(poor.data$).toMatchObject({
      errorCode: 'INSUFFICIENT_FUND',
      errorMessage: 'running numscript: script execution failed: account(s) @shop had/have insufficient funds',
    });
    const conflict = await sdk.ledger.v2
      .createTransaction({
        ledger: 'sdk',
        v2PostTransaction: { postings: [{ source: 'world', destination: 'x', amount: 1n, asset: 'USD/2' }], metadata: {}, reference: 'order-42' },
      })
      .catch((e) => e);
    expect(conflict.data$.errorCode).toBe('CONFLICT');

    expect((await sdk.ledger.v2.addMetadataToAccount({ ledger: 'sdk', address: 'users:1', requestBody: { tier: 'gold' } })).statusCode).toBe(204);
    const account = await sdk.ledger.v2.getAccount({ ledger: 'sdk', address: 'users:1', expand: 'volumes' });
    expect(account.v2AccountResponse!.data).toMatchObject({
      address: 'users:1',
      metadata: { tier: 'gold' },
      volumes: { 'USD/2': { input: 1250n, output: 100n, balance: 1150n } },
    });
    const missing = await sdk.ledger.v2.getAccount({ ledger: 'sdk', address: 'nobody' }).catch((e) => e);
    expect(missing.data$.errorCode).toBe('NOT_FOUND');

    const accounts = await sdk.ledger.v2.listAccounts({ ledger: 'sdk', pageSize: 2, expand: 'volumes' });
    const cursor = accounts.v2AccountsCursorResponse!.cursor;
    expect(cursor.data.map((a) => a.address)).toEqual(['shop', 'users:1']);
    expect(cursor.hasMore).toBe(true);
    const next = await sdk.ledger.v2.listAccounts({ ledger: 'sdk', cursor: cursor.next });
    expect(next.v2AccountsCursorResponse!.cursor.data.map((a) => a.address)).toEqual(['world']);
    const filtered = await sdk.ledger.v2.listAccounts({ ledger: 'sdk', query: { $match: { address: 'users:' } } });
    expect(filtered.v2AccountsCursorResponse!.cursor.data.map((a) => a.address)).toEqual(['users:1']);

    const txs = await sdk.ledger.v2.listTransactions({ ledger: 'sdk', expand: 'volumes' });
    expect(txs.v2TransactionsCursorResponse!.cursor.data.map((t) => t.id)).toEqual([2n, 1n]);
    const got = await sdk.ledger.v2.getTransaction({ ledger: 'sdk', id: 1n });
    expect(got.v2GetTransactionResponse!.data.reference).toBe('order-42');
    expect((await sdk.ledger.v2.addMetadataOnTransaction({ ledger: 'sdk', id: 1n, requestBody: { checked: 'yes' } })).statusCode).toBe(204);
    expect((await sdk.ledger.v2.deleteTransactionMetadata({ ledger: 'sdk', id: 1n, key: 'checked' })).statusCode).toBe(204);
    expect((await sdk.ledger.v2.deleteAccountMetadata({ ledger: 'sdk', address: 'users:1', key: 'tier' })).statusCode).toBe(204);

    const agg = await sdk.ledger.v2.getBalancesAggregated({ ledger: 'sdk', query: { $match: { address: 'users:' } } });
    expect(agg.v2AggregateBalancesResponse!.data).toEqual({ 'USD/2': 1150n });

    const reverted = await sdk.ledger.v2.revertTransaction({ ledger: 'sdk', id: 2n });
    expect(reverted.statusCode).toBe(201);
    expect(reverted.v2CreateTransactionResponse!.data.postings).toEqual([{ source: 'shop', destination: 'users:1', amount: 100n, asset: 'USD/2' }]);

    const unknown = await sdk.ledger.v2.listTransactions({ ledger: 'nope' }).catch((e) => e);
    expect(unknown.data$.errorCode).toBe('LEDGER_NOT_FOUND');
  });

  it('v1 get account (what Flows reads)', async () => {
    const res = await sdk.ledger.v1.getAccountLedger({ ledger: 'sdk', address: 'users:1' });
    expect(res.accountResponse!.data).toMatchObject({ address: 'users:1', balances: { 'USD/2': 1250n } });
    const fresh = await sdk.ledger.v1.getAccountLedger({ ledger: 'brand-new', address: 'users:1' });
    expect(fresh.accountResponse!.data).toMatchObject({ address: 'users:1', metadata: {}, balances: {} });
  });
});

describe('SDK wallets.v1', () => {
  it('wallets, balances, credit, debit, holds, transactions, summary', async () => {
    const created = await sdk.wallets.v1.createWallet({ createWalletRequest: { name: 'alice', metadata: { tier: 'gold' } } });
    expect(created.statusCode).toBe(201);
    const w = created.createWalletResponse!.data;
    expect(w).toMatchObject({ name: 'alice', metadata: { tier: 'gold' }, ledger: 'wallets-002' });

    expect(
      (await sdk.wallets.v1.creditWallet({ id: w.id, creditWalletRequest: { amount: { asset: 'USD/2', amount: 1000n }, metadata: {}, sources: [] } })).statusCode,
    ).toBe(204);
    const got = await sdk.wallets.v1.getWallet({ id: w.id });
    expect(got.getWalletResponse!.data.balances.main.assets).toEqual({ 'USD/2': 1000n });
    const missing = await sdk.wallets.v1.getWallet({ id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);

    const listed = await sdk.wallets.v1.listWallets({ name: 'alice', expand: 'balances' });
    expect(listed.listWalletsResponse!.cursor.data).toHaveLength(1);
    expect(listed.listWalletsResponse!.cursor.data[0].balances?.main.assets).toEqual({ 'USD/2': 1000n });
    const byMeta = await sdk.wallets.v1.listWallets({ metadata: { tier: 'gold' } });
    expect(byMeta.listWalletsResponse!.cursor.data.map((x) => x.id)).toEqual([w.id]);
    expect((await sdk.wallets.v1.updateWallet({ id: w.id, requestBody: { metadata: { tier: 'platinum' } } })).statusCode).toBe(204);

    const balance = await sdk.wallets.v1.createBalance({ id: w.id, balance: { name: 'gifts', priority: 1n } });
    expect(balance.statusCode).toBe(201);
    const balances = await sdk.wallets.v1.listBalances({ id: w.id });
    expect(balances.listBalancesResponse!.cursor.data.map((b) => b.name)).toEqual(['main', 'gifts']);
    const gifts = await sdk.wallets.v1.getBalance({ id: w.id, balanceName: 'gifts' });
    expect(gifts.getBalanceResponse!.data).toMatchObject({ name: 'gifts', assets: {} });

    const poor = await sdk.wallets.v1.debitWallet({ id: w.id, debitWalletRequest: { amount: { asset: 'USD/2', amount: 99999n }, metadata: {} } }).catch((e) => e);
    expect(poor.data$).toMatchObject({ errorCode: 'INSUFFICIENT_FUND' });
    expect((await sdk.wallets.v1.debitWallet({ id: w.id, debitWalletRequest: { amount: { asset: 'USD/2', amount: 100n }, metadata: {} } })).statusCode).toBe(204);
    const pending = await sdk.wallets.v1.debitWallet({
      id: w.id,
      debitWalletRequest: {
        amount: { asset: 'USD/2', amount: 200n },
        metadata: { ride: '1' },
        pending: true,
        description: 'ride',
        destination: { type: 'ACCOUNT', identifier: 'drivers:1' },
      },
    });
    expect(pending.statusCode).toBe(201);
    const hold = pending.debitWalletResponse!.data;
    expect(hold).toMatchObject({ walletID: w.id, asset: 'USD/2', description: 'ride', metadata: { ride: '1' } });
    const expanded = await sdk.wallets.v1.getHold({ holdID: hold.id });
    expect(expanded.getHoldResponse!.data).toMatchObject({ originalAmount: 200n, remaining: 200n });
    const holds = await sdk.wallets.v1.getHolds({ walletID: w.id });
    expect(holds.getHoldsResponse!.cursor.data.map((h) => h.id)).toEqual([hold.id]);
    expect((await sdk.wallets.v1.confirmHold({ holdId: hold.id, confirmHoldRequest: { amount: 50n } })).statusCode).toBe(204);
    expect((await sdk.wallets.v1.voidHold({ holdId: hold.id })).statusCode).toBe(204);
    const closed = await sdk.wallets.v1.voidHold({ holdId: hold.id }).catch((e) => e);
    expect(closed.data$.errorCode).toBe('HOLD_CLOSED');

    const summary = await sdk.wallets.v1.getWalletSummary({ id: w.id });
    expect(summary.getWalletSummaryResponse!.data.availableFunds).toEqual({ 'USD/2': 850n });

    const txs = await sdk.wallets.v1.getTransactions({ walletID: w.id });
    const data = txs.getTransactionsResponse!.cursor.data;
    expect(data.length).toBe(4);
    expect(data[0].ledger).toBe('wallets-002');
    expect(data.every((t) => t.metadata['wallets/transaction'] === 'true')).toBe(true);

    const bad = await sdk.wallets.v1.creditWallet({ id: w.id, creditWalletRequest: { amount: { asset: 'usd', amount: 1n }, metadata: {}, sources: [] } }).catch((e) => e);
    expect(bad.data$).toMatchObject({ errorCode: 'VALIDATION', errorMessage: "invalid asset 'usd'" });
  });
});

describe('SDK payments.v1', () => {
  it('connectors, payments, transfer initiations', async () => {
    const stripe = await sb.payments.createConnector({ provider: 'stripe' });
    const payin = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_sdk', asset: 'EUR/2', amount: 1999n, metadata: { walletID: 'w1' } });

    const connectors = await sdk.payments.v1.listAllConnectors();
    expect(connectors.connectorsResponse!.data).toEqual([{ provider: 'STRIPE', connectorID: stripe.id, name: 'stripe', enabled: true }]);

    const list = await sdk.payments.v1.listPayments({});
    expect(list.paymentsCursor!.cursor.data.map((x) => x.id)).toEqual([payin.id]);
    const got = await sdk.payments.v1.getPayment({ paymentId: payin.id });
    expect(got.paymentResponse!.data).toMatchObject({
      id: payin.id,
      type: 'PAY-IN',
      status: 'SUCCEEDED',
      initialAmount: 1999n,
      provider: 'STRIPE',
      scheme: 'visa',
      metadata: { walletID: 'w1' },
    });
    const invalid = await sdk.payments.v1.getPayment({ paymentId: 'nope' }).catch((e) => e);
    expect(invalid.data$.errorCode).toBe('INVALID_ID');

    const ti = await sdk.payments.v1.createTransferInitiation({
      reference: 'sdk-ti-1',
      scheduledAt: new Date(),
      description: 'stripe PAYOUT',
      sourceAccountID: '',
      destinationAccountID: 'acct_1',
      connectorID: stripe.id,
      type: 'PAYOUT',
      amount: 500n,
      asset: 'USD/2',
      validated: true,
    });
    expect(ti.statusCode).toBe(200);
    expect(ti.transferInitiationResponse!.data).toMatchObject({ status: 'PROCESSED', provider: 'STRIPE', amount: 500n });
    const dup = await sdk.payments.v1
      .createTransferInitiation({
        reference: 'sdk-ti-1',
        scheduledAt: new Date(),
        description: '',
        sourceAccountID: '',
        destinationAccountID: 'a',
        type: 'PAYOUT',
        amount: 1n,
        asset: 'USD/2',
        validated: true,
        connectorID: stripe.id,
      })
      .catch((e) => e);
    expect(dup.data$.errorCode).toBe('CONFLICT');

    const waiting = await sdk.payments.v1.createTransferInitiation({
      reference: 'sdk-ti-2',
      scheduledAt: new Date(),
      description: '',
      sourceAccountID: '',
      destinationAccountID: 'acct_2',
      connectorID: stripe.id,
      type: 'TRANSFER',
      amount: 5n,
      asset: 'USD/2',
      validated: false,
      metadata: { why: 'test' },
    });
    const waitingId = waiting.transferInitiationResponse!.data.id;
    expect(waiting.transferInitiationResponse!.data.status).toBe('WAITING_FOR_VALIDATION');
    expect(
      (await sdk.payments.v1.updateTransferInitiationStatus({ transferId: waitingId, updateTransferInitiationStatusRequest: { status: 'VALIDATED' } })).statusCode,
    ).toBe(204);
    const detail = await sdk.payments.v1.getTransferInitiation({ transferId: waitingId });
    expect(detail.transferInitiationResponse!.data.status).toBe('PROCESSED');
    expect(detail.transferInitiationResponse!.data.relatedPayments).toHaveLength(1);
    expect(detail.transferInitiationResponse!.data.relatedAdjustments!.map((a) => a.status)).toEqual(['PROCESSED', 'PROCESSING', 'VALIDATED', 'WAITING_FOR_VALIDATION']);
    const tis = await sdk.payments.v1.listTransferInitiations({ pageSize: 1 });
    expect(tis.transferInitiationsCursor!.cursor).toMatchObject({ pageSize: 1, hasMore: true });
    const page2 = await sdk.payments.v1.listTransferInitiations({ cursor: tis.transferInitiationsCursor!.cursor.next });
    expect(page2.transferInitiationsCursor!.cursor.data).toHaveLength(1);

    await sb.payments.createAccount({ connectorID: stripe.id, reference: 'acct_1', name: 'Acme', defaultAsset: 'USD/2' });
    const accounts = await sdk.payments.v1.listAccountsPayments({});
    expect(accounts.accountsCursor!.cursor.data).toMatchObject([{ reference: 'acct_1', accountName: 'Acme', type: 'EXTERNAL' }]);
  });
});
