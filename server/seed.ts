import type { FlowsService } from './flows/service.js';
import type { Sandbox } from './sandbox/sandbox.js';

/**
 * Demo data for a new data dir (`SEED`, default true), so a first-time user sees a living
 * system: the ledgers Flows uses by default, funded accounts, two wallets, a Stripe connector
 * with a PSP account and a succeeded pay-in, and example workflows and triggers (the
 * common shapes of Formance's own workflow examples) that run on this data. The pay-in and the big deposit below match the
 * seeded triggers, so their instances run as soon as the trigger dispatcher starts.
 */
export async function seedDemo({ sandbox, flows }: { sandbox: Sandbox; flows: FlowsService }): Promise<void> {
  const { ledger, wallets, payments } = sandbox;
  const usd = (amount: bigint) => ({ asset: 'USD/2', amount });

  // --- Ledgers (Flows' defaults: `default` for send, `main` for update, the payment ingestion ledger)
  for (const name of ['main', 'default', 'orchestration-000-internal', wallets.ledgerName]) {
    await ledger.createLedger(name).catch(() => undefined);
  }

  // --- Connector, PSP accounts
  const stripe = await payments.createConnector({ provider: 'stripe' });
  await payments.createConnector({ provider: 'wise' });
  const aliceBank = await payments.createAccount({ connectorID: stripe.id, reference: 'acct_alice', name: 'Alice — bank account', defaultAsset: 'USD/2' });
  const merchant = await payments.createAccount({ connectorID: stripe.id, reference: 'acct_merchant', type: 'INTERNAL', name: 'Acme balance', defaultAsset: 'EUR/2' });

  // --- Accounts on `main`
  await ledger.addAccountMetadata('main', 'users:001', { name: 'Alice', formanceAccountID: aliceBank.id });
  await ledger.addAccountMetadata('main', 'users:002', { name: 'Bob' });
  const fund = (destination: string, amount: bigint, asset: string, reason: string) =>
    ledger.createTransaction('main', { postings: [{ source: 'world', destination, amount, asset }], metadata: { reason } });
  await fund('users:001', 100_000n, 'USD/2', 'opening balance');
  await fund('users:001', 50_000n, 'EUR/2', 'opening balance');
  await fund('users:002', 25_000n, 'USD/2', 'opening balance');
  await fund('users:002', 10_000n, 'EUR/2', 'opening balance');
  await ledger.createTransaction('main', {
    postings: [{ source: 'users:001', destination: 'merchants:007', amount: 4_200n, asset: 'USD/2' }],
    metadata: { orderID: 'order-1001' },
  });

  // --- Wallets
  const alice = await wallets.createWallet({ name: 'alice', metadata: { tier: 'gold', pspAccount: aliceBank.id } });
  const bob = await wallets.createWallet({ name: 'bob', metadata: { tier: 'standard' } });
  await wallets.createBalance(bob.id, { name: 'gifts', priority: 1 });
  await wallets.credit(alice.id, { amount: usd(50_000n), balance: 'main', metadata: { reason: 'opening balance' } });
  await wallets.credit(alice.id, { amount: { asset: 'EUR/2', amount: 20_000n }, balance: 'main', metadata: { reason: 'opening balance' } });
  await wallets.credit(bob.id, { amount: usd(10_000n), balance: 'main', metadata: { reason: 'opening balance' } });
  await wallets.credit(bob.id, { amount: usd(1_500n), balance: 'gifts', metadata: { reason: 'birthday' } });

  // --- Workflows and triggers
  const workflow = async (config: unknown) => (await flows.createWorkflow(config)).id;
  const kitchenSink = await workflow({
    name: 'kitchen-sink',
    stages: [
      { noop: {} },
      { update: { account: { id: 'users:${userID}', ledger: 'main', metadata: { kyc: '${kycLevel}', source: 'flows' } } } },
      { delay: { duration: '30s' } },
      { wait_event: { event: 'approved' } },
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: 'users:${userID}', ledger: 'main' } },
          amount: { asset: 'EUR/2', amount: '${amount}' },
          metadata: { reason: 'welcome-bonus' },
        },
      },
    ],
  });
  const payMerchant = await workflow({
    name: 'pay-merchant',
    stages: [
      {
        send: {
          source: { account: { id: 'users:${userID}', ledger: 'main' } },
          destination: { account: { id: 'merchants:${merchantID}', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
          metadata: { orderID: '${orderID}' },
        },
      },
    ],
  });
  const payoutToBank = await workflow({
    name: 'payout-to-bank',
    stages: [
      {
        send: {
          source: { account: { id: 'users:${userID}', ledger: 'main', throughAccount: 'liabilities:payouts' } },
          destination: { payment: { psp: 'stripe', type: 'PAYOUT' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
        },
      },
    ],
  });
  await workflow({
    name: 'wallet-top-up',
    stages: [
      {
        send: {
          source: { account: { id: 'users:${userID}', ledger: 'main' } },
          destination: { wallet: { name: '${wallet}' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
          metadata: { reason: 'top-up' },
        },
      },
    ],
  });
  await workflow({
    name: 'wallet-gift',
    stages: [
      {
        send: {
          source: { wallet: { name: '${from}' } },
          destination: { wallet: { name: '${to}', balance: 'gifts' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
        },
      },
    ],
  });
  await workflow({
    name: 'wallet-withdrawal',
    stages: [
      {
        send: {
          source: { wallet: { id: '${walletID}' } },
          destination: { payment: { psp: 'stripe', type: 'PAYOUT', metadata: 'pspAccount', waitingValidation: true } },
          amount: { asset: 'USD/2', amount: '${amount}' },
        },
      },
    ],
  });
  const payinToWallet = await workflow({
    name: 'payin-to-wallet',
    stages: [{ send: { source: { payment: { id: '${paymentID}' } }, destination: { wallet: { id: '${walletID}' } } } }],
  });
  const flagBigDeposit = await workflow({
    name: 'flag-big-deposit',
    stages: [{ update: { account: { id: '${account}', ledger: 'main', metadata: { 'risk/review': 'big-deposit', 'risk/txid': '${txid}' } } } }],
  });
  await flows.triggers.create({
    name: 'payin-to-wallet',
    event: 'SAVED_PAYMENT',
    workflowID: payinToWallet,
    filter: 'event.type == "PAY-IN" && event.status == "SUCCEEDED" && (event.metadata?.walletID ?? "") != ""',
    vars: { paymentID: 'event.id', walletID: 'event.metadata?.walletID ?? ""' },
  });
  await flows.triggers.create({
    name: 'big-deposits',
    event: 'COMMITTED_TRANSACTIONS',
    version: 'v2',
    workflowID: flagBigDeposit,
    filter: 'event.ledger == "main" && len(event.transactions) > 0 && event.transactions[0].postings[0].amount > 100000',
    vars: { txid: 'event.transactions[0].id', account: 'event.transactions[0].postings[0].destination' },
  });

  // --- Events the triggers react to: a succeeded pay-in for Alice's wallet, a big deposit
  await payments.createPayment({
    connectorID: stripe.id,
    reference: 'pi_3Q9seed',
    type: 'PAY-IN',
    status: 'SUCCEEDED',
    scheme: 'visa',
    asset: 'EUR/2',
    amount: 1_999n,
    destinationAccountID: merchant.id,
    metadata: { walletID: alice.id },
  });
  await fund('users:002', 250_000n, 'USD/2', 'salary');

  // --- Runs, so that the overview has something to say on a first start: payments that went
  // through, failures with a cause (decimal amounts, a user without a linked bank account), a
  // payment retrying for funds, refunds waiting for approval (more than the merchant holds), a
  // renewal delayed by 30 days. They run as soon as the engine starts.
  const refundAfterApproval = await workflow({
    name: 'refund-after-approval',
    stages: [
      { wait_event: { event: 'approved' } },
      {
        send: {
          source: { account: { id: 'merchants:${merchantID}', ledger: 'main' } },
          destination: { account: { id: 'users:${userID}', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
          metadata: { reason: 'refund', orderID: '${orderID}' },
        },
      },
    ],
  });
  const subscriptionRenewal = await workflow({
    name: 'subscription-renewal',
    stages: [
      { delay: { duration: '720h' } },
      {
        send: {
          source: { account: { id: 'users:${userID}', ledger: 'main' } },
          destination: { account: { id: 'merchants:007', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
          metadata: { reason: 'subscription' },
        },
      },
    ],
  });
  const run = (workflowID: string, variables: Record<string, string>) => flows.instances.run(workflowID, variables);
  await run(payMerchant, { userID: '001', merchantID: '007', amount: '1250', orderID: 'order-1002' });
  await run(payMerchant, { userID: '001', merchantID: '007', amount: '12.50', orderID: 'order-1003' });
  await run(payMerchant, { userID: '002', merchantID: '007', amount: '7.5', orderID: 'order-1004' });
  await run(payMerchant, { userID: '002', merchantID: '007', amount: '900000', orderID: 'order-1005' });
  await run(payoutToBank, { userID: '002', amount: '5000' });
  await run(refundAfterApproval, { merchantID: '007', userID: '001', amount: '3000', orderID: 'order-1001' });
  await run(refundAfterApproval, { merchantID: '007', userID: '002', amount: '2500', orderID: 'order-0998' });
  await run(subscriptionRenewal, { userID: '001', amount: '999' });
  await run(kitchenSink, { userID: '002', kycLevel: 'basic', amount: '500' });
}
