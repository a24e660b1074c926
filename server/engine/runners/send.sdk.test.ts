import { SDK } from '@formance/formance-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { eventually, startTestServer } from '../../test/harness.js';

/**
 * The history of every send combination read through the official SDK (v1 and v2), which
 * zod-validates activity inputs and outputs: a shape it rejects fails here (docs/compatibility.md: stage history shapes).
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let sdk: SDK;
let sb: Sandbox;
const W = 'wallets-002';

beforeAll(async () => {
  server = await startTestServer();
  sdk = new SDK({ serverURL: server.url });
  sb = server.ctx.sandbox;
});
afterAll(async () => {
  await server?.close();
});

describe('send history through the SDK', () => {
  it('every row yields SDK-valid stage histories', async () => {
    const usd = (amount: bigint) => ({ asset: 'USD/2', amount });
    await sb.ledger.createTransaction('main', { postings: [{ source: 'world', destination: 'users:1', amount: 100_000n, asset: 'USD/2' }] });
    await sb.ledger.createTransaction(W, { postings: [{ source: 'world', destination: 'users:1', amount: 100_000n, asset: 'USD/2' }] });
    await sb.ledger.addAccountMetadata('main', 'users:1', { formanceAccountID: 'acct_1' });
    const stripe = await sb.payments.createConnector({ provider: 'stripe' });
    await sb.payments.createConnector({ provider: 'wise' });
    const payment = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_sdk_hist', asset: 'USD/2', amount: 2000n });
    const a = await sb.wallets.createWallet({ name: 'hist-a', metadata: { pspAccount: 'rcpt_1' } });
    const b = await sb.wallets.createWallet({ name: 'hist-b' });
    await sb.wallets.createBalance(b.id, { name: 'gifts' });
    await sb.wallets.credit(a.id, { amount: usd(50_000n) });

    const acct = (id: string, ledger: string, extra = {}) => ({ account: { id, ledger, ...extra } });
    const stages = [
      { send: { source: acct('users:1', 'main'), destination: acct('merchants:7', 'main'), amount: { asset: 'USD/2', amount: 500 }, metadata: { k: 'v' } } },
      {
        send: {
          source: acct('users:1', 'main', { throughAccount: 'bridge:out' }),
          destination: acct('treasury', 'us', { throughAccount: 'bridge:in', allowOverdraft: true }),
          amount: { asset: 'USD/2', amount: 500 },
        },
      },
      { send: { source: acct('users:1', W), destination: { wallet: { id: a.id } }, amount: { asset: 'USD/2', amount: 500 } } },
      {
        send: {
          source: acct('users:1', 'main'),
          destination: { wallet: { name: 'hist-a' } },
          amount: { asset: 'USD/2', amount: 500 },
          timestamp: '2024-07-01T00:00:00Z',
        },
      },
      {
        send: {
          source: acct('users:1', 'main', { throughAccount: 'liabilities:payouts', allowOverdraft: true }),
          destination: { payment: { psp: 'stripe', type: 'PAYOUT', sourceAccount: 'src_1' } },
          amount: { asset: 'USD/2', amount: 500 },
        },
      },
      { send: { source: { wallet: { name: 'hist-a' } }, destination: acct('fees', W), amount: { asset: 'USD/2', amount: 100 } } },
      { send: { source: { wallet: { id: a.id } }, destination: acct('fees', 'main'), amount: { asset: 'USD/2', amount: 100 } } },
      { send: { source: { wallet: { id: a.id } }, destination: { wallet: { id: b.id, balance: 'gifts' } }, amount: { asset: 'USD/2', amount: 100 } } },
      {
        send: {
          source: { wallet: { id: a.id, balance: 'main' } },
          destination: { payment: { psp: 'wise', type: 'TRANSFER', metadata: 'pspAccount', waitingValidation: true } },
          amount: { asset: 'USD/2', amount: 200 },
        },
      },
      { send: { source: { payment: { id: payment.id } }, destination: acct('users:9', 'main'), amount: { asset: 'USD/2', amount: 1000 } } },
      {
        send: {
          source: { payment: { id: payment.id, ledger: W, holdingAccount: 'held:x', throughAccount: 'psp:in', allowOverdraft: true } },
          destination: { wallet: { id: b.id } },
          amount: { asset: 'USD/2', amount: 700 },
        },
      },
      { update: { account: { id: 'users:1', metadata: { checked: 'yes' } } } },
    ];
    const wf = await sdk.orchestration.v2.createWorkflow({ name: 'sdk-send-matrix', stages });
    const run = await sdk.orchestration.v2.runWorkflow({ workflowID: wf.v2CreateWorkflowResponse!.data.id, requestBody: {} });
    const instanceID = run.v2RunWorkflowResponse!.data.id;
    const done = await eventually(async () => {
      const i = await sdk.orchestration.v2.getInstance({ instanceID });
      return i.v2GetWorkflowInstanceResponse!.data.terminated ? i.v2GetWorkflowInstanceResponse!.data : undefined;
    }, 30_000);
    expect(done.error).toBeUndefined();

    const expected = [
      ['CreateTransaction'],
      ['CreateTransaction', 'CreateTransaction'],
      ['GetWallet', 'CreditWallet'],
      ['ListWallets', 'CreateTransaction', 'CreditWallet'],
      ['GetAccount', 'CreateTransaction', 'CreateTransferInitiation'],
      ['ListWallets', 'DebitWallet'],
      ['GetWallet', 'DebitWallet', 'CreateTransaction'],
      ['GetWallet', 'GetWallet', 'CreditWallet'],
      ['GetWallet', 'DebitWallet', 'CreateTransferInitiation'],
      ['GetPayment', 'CreateTransaction', 'CreateTransaction', 'CreateTransaction'],
      ['GetPayment', 'CreateTransaction', 'GetWallet', 'CreditWallet'],
      ['AddAccountMetadata'],
    ];
    for (const [n, names] of expected.entries()) {
      const v2 = await sdk.orchestration.v2.getInstanceStageHistory({ instanceID, number: n });
      const v2Data = v2.v2GetWorkflowInstanceHistoryStageResponse!.data;
      expect(
        v2Data.map((h) => h.name),
        `stage ${n}`,
      ).toEqual(names);
      for (const h of v2Data) {
        // the SDK keeps what it knows: an input keyed by the activity name survived validation
        expect(Object.values(h.input).filter(Boolean).length, `stage ${n} ${h.name} input`).toBe(1);
      }
      const v1 = await sdk.orchestration.v1.getInstanceStageHistory({ instanceID, number: n });
      expect(v1.getWorkflowInstanceHistoryStageResponse!.data.map((h) => h.name)).toEqual(names);
    }
    const hist = await sdk.orchestration.v2.getInstanceHistory({ instanceID });
    expect(hist.v2GetWorkflowInstanceHistoryResponse!.data).toHaveLength(stages.length);
    const v1hist = await sdk.orchestration.v1.getInstanceHistory({ instanceID });
    expect(v1hist.getWorkflowInstanceHistoryResponse!.data).toHaveLength(stages.length);
  });
});
