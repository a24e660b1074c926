import { describe, expect, it } from 'vitest';
import type { ActivityLike } from './progress';
import { describeActivity, describeStage, KNOWN_ACTIVITIES, sentenceContext, sentenceText, type Part } from './sentences';

const T = '2024-07-01T10:00:00.000Z';

function activity(name: string, input: unknown, output?: unknown, extra: Partial<ActivityLike> = {}): ActivityLike {
  return {
    name,
    input: { [name]: input },
    ...(output === undefined ? {} : { output: { [name]: output } }),
    terminated: true,
    startedAt: T,
    terminatedAt: T,
    attempt: 1,
    ...extra,
  };
}

const text = (a: ActivityLike, ctx?: Parameters<typeof describeActivity>[1]) => sentenceText(describeActivity(a, ctx));

const WALLET = '6f1c2a8e-0d7e-4a57-9c3e-2b1b9c0f6a11';
const getWallet = activity(
  'GetWallet',
  { id: WALLET },
  {
    data: { id: WALLET, name: 'alice', ledger: 'wallets-002', metadata: {}, createdAt: T, balances: { main: { assets: { 'EUR/2': 2000 } } } },
  },
);

describe('activity sentences', () => {
  it('CreateTransaction: the created transaction, its ledger and postings', () => {
    const input = { ledger: 'main', data: { postings: [{ source: 'world', destination: 'users:001', amount: 10000, asset: 'USD/2' }], metadata: {} } };
    const output = { data: [{ txid: 42, id: 42, postings: input.data.postings, metadata: {}, timestamp: T }] };
    expect(text(activity('CreateTransaction', input, output))).toBe('Created transaction #42 on ledger `main`: 100.00 USD from `world` to `users:001`');
    // In progress (being retried) and failed: no id yet.
    expect(text(activity('CreateTransaction', input, undefined, { terminated: false, terminatedAt: undefined, attempt: 3 }))).toBe(
      'Creating a transaction on ledger `main`: 100.00 USD from `world` to `users:001`',
    );
    expect(text(activity('CreateTransaction', input, undefined, { error: 'boom' }))).toBe(
      'Could not create a transaction on ledger `main`: 100.00 USD from `world` to `users:001`',
    );
    // v1 output (single object), several postings, a reference.
    const two = {
      ledger: 'eu',
      data: {
        postings: [
          { source: 'a', destination: 'b', amount: 1, asset: 'EUR/2' },
          { source: 'b', destination: 'c', amount: 250, asset: 'JPY' },
        ],
        metadata: {},
        reference: 'payment:abc',
      },
    };
    expect(text(activity('CreateTransaction', two, { data: { id: 7, reverted: false, postings: [], metadata: {} } }))).toBe(
      'Created transaction #7 on ledger `eu`: 0.01 EUR from `a` to `b` and 250 JPY from `b` to `c`, reference `payment:abc`',
    );
    // The overdraft program the engine sends instead of postings.
    const script = {
      ledger: 'us',
      data: { script: { plain: 'send [USD/2 500] (\n  source = @bridge:in allowing unbounded overdraft\n  destination = @bank:main\n)' }, metadata: {} },
    };
    expect(
      text(activity('CreateTransaction', script, { data: [{ txid: 3, postings: [{ source: 'bridge:in', destination: 'bank:main', amount: 500, asset: 'USD/2' }] }] })),
    ).toBe('Created transaction #3 on ledger `us`: 5.00 USD from `bridge:in` to `bank:main` (overdraft allowed on `bridge:in`)');
    // Amounts beyond 2^53 arrive as strings and keep every digit.
    const big = { ledger: 'main', data: { postings: [{ source: 'world', destination: 'x', amount: '123456789012345678901', asset: 'USD/2' }], metadata: {} } };
    expect(text(activity('CreateTransaction', big, undefined, { terminated: false }))).toBe(
      'Creating a transaction on ledger `main`: 1,234,567,890,123,456,789.01 USD from `world` to `x`',
    );
  });

  it('CreateTransaction parts link the transaction and the accounts to their ledger', () => {
    const input = { ledger: 'main', data: { postings: [{ source: 'world', destination: 'users:001', amount: 100, asset: 'USD/2' }], metadata: {} } };
    const parts = describeActivity(activity('CreateTransaction', input, { data: [{ txid: 42 }] }));
    expect(parts).toContainEqual({ transaction: 42, ledger: 'main' });
    expect(parts).toContainEqual({ account: 'users:001', ledger: 'main' });
    expect(parts).toContainEqual({ money: 100, asset: 'USD/2' });
  });

  it('AddAccountMetadata', () => {
    expect(text(activity('AddAccountMetadata', { id: 'users:001', ledger: 'main', metadata: { kyc: 'gold', source: 'flows' } }))).toBe(
      'Set metadata on account `users:001` on ledger `main`: `kyc` = `gold` and `source` = `flows`',
    );
    expect(text(activity('AddAccountMetadata', { id: 'users:001', ledger: 'main', metadata: {} }))).toBe('Set metadata on account `users:001` on ledger `main`: no keys');
  });

  it('GetAccount, with the balances it read', () => {
    const output = { data: { address: 'users:1', metadata: { formanceAccountID: 'acc' }, volumes: { 'USD/2': { input: 1500, output: 500, balance: 1000 } } } };
    expect(text(activity('GetAccount', { ledger: 'main', id: 'users:1' }, output))).toBe('Read account `users:1` on ledger `main`: balance 10.00 USD');
    expect(text(activity('GetAccount', { ledger: 'main', id: 'users:1' }, undefined, { terminated: false }))).toBe('Reading account `users:1` on ledger `main`');
  });

  it('GetWallet', () => {
    expect(text(getWallet, sentenceContext([getWallet]))).toBe('Looked up wallet `alice` on ledger `wallets-002`');
    expect(text(activity('GetWallet', { id: WALLET }, undefined, { terminated: false }))).toBe(`Looking up wallet \`${WALLET}\``);
  });

  it('ListWallets: found one, none or several', () => {
    const one = activity('ListWallets', { name: 'alice' }, { cursor: { pageSize: 15, data: [{ id: WALLET, name: 'alice', ledger: 'wallets-002' }] } });
    expect(text(one)).toBe('Found wallet `alice` by its name');
    expect(sentenceContext([one]).wallets.get(WALLET)).toEqual({ name: 'alice', ledger: 'wallets-002' });
    expect(text(activity('ListWallets', { name: 'bob' }, { cursor: { pageSize: 15, data: [] } }))).toBe('Found no wallet named `bob`');
    expect(text(activity('ListWallets', { name: 'bob' }, { cursor: { pageSize: 15, data: [{ id: '1' }, { id: '2' }] } }))).toBe('Found 2 wallets named `bob`');
  });

  it('CreditWallet, naming the wallet from the earlier lookup', () => {
    const credit = activity('CreditWallet', {
      id: WALLET,
      data: { amount: { asset: 'EUR/2', amount: 2000 }, balance: 'main', sources: [{ type: 'ACCOUNT', identifier: 'users:001' }], metadata: {} },
    });
    expect(text(credit)).toBe(`Credited wallet \`${WALLET}\` balance \`main\` with 20.00 EUR from account \`users:001\``);
    const ctx = sentenceContext([getWallet, credit]);
    expect(text(credit, ctx)).toBe('Credited wallet `alice` balance `main` with 20.00 EUR from account `users:001`');
    // The account source lives on the wallet's ledger.
    expect(describeActivity(credit, ctx)).toContainEqual({ account: 'users:001', ledger: 'wallets-002' });
    const fromWallet = activity('CreditWallet', {
      id: WALLET,
      data: { amount: { asset: 'EUR/2', amount: 5 }, balance: 'gifts', sources: [{ type: 'WALLET', identifier: 'w2', balance: 'main' }], metadata: {} },
    });
    expect(text(fromWallet)).toBe(`Credited wallet \`${WALLET}\` balance \`gifts\` with 0.05 EUR from wallet \`w2\` balance \`main\``);
    const fromWorld = activity('CreditWallet', { id: WALLET, data: { amount: { asset: 'EUR/2', amount: 5 }, sources: [], metadata: {} } });
    expect(text(fromWorld, ctx)).toBe('Credited wallet `alice` balance `main` with 0.05 EUR from `world`');
    // Cross-ledger credit (row 4): the source is the account `world` of the wallet's ledger.
    const worldAccount = activity('CreditWallet', {
      id: WALLET,
      data: { amount: { asset: 'EUR/2', amount: 5 }, sources: [{ type: 'ACCOUNT', identifier: 'world' }], metadata: {} },
    });
    expect(text(worldAccount, ctx)).toBe('Credited wallet `alice` balance `main` with 0.05 EUR from `world`');
    // …and `world` links to its account there, like any other account.
    expect(describeActivity(worldAccount, ctx)).toContainEqual({ account: 'world', ledger: 'wallets-002' });
    expect(describeActivity(fromWorld, ctx)).toContainEqual({ account: 'world', ledger: 'wallets-002' });
  });

  it('CreateTransferInitiation links to its transfer when the reference is known', () => {
    const payout = activity('CreateTransferInitiation', {
      amount: 500,
      asset: 'USD/2',
      provider: 'STRIPE',
      type: 'PAYOUT',
      destination: 'acct_1',
      metadata: {},
      waitingValidation: false,
    });
    expect(describeActivity(payout, { wallets: new Map(), transferReference: 'inst-0-2' })).toContainEqual({ transfer: 'inst-0-2' });
    expect(text(payout, { wallets: new Map(), transferReference: 'inst-0-2' })).toBe(
      'Initiated a PAYOUT of 5.00 USD via STRIPE to PSP account `acct_1` — see the transfer and its payment',
    );
    expect(text(payout)).toBe('Initiated a PAYOUT of 5.00 USD via STRIPE to PSP account `acct_1`');
  });

  it('DebitWallet, to an account or to world', () => {
    const ctx = sentenceContext([getWallet]);
    const toAccount = activity('DebitWallet', {
      id: WALLET,
      data: { amount: { asset: 'EUR/2', amount: 2000 }, balances: ['main'], destination: { type: 'ACCOUNT', identifier: 'users:001' }, metadata: {} },
    });
    expect(text(toAccount, ctx)).toBe('Debited 20.00 EUR from wallet `alice` balance `main` to account `users:001`');
    const toWorld = activity('DebitWallet', { id: WALLET, data: { amount: { asset: 'EUR/2', amount: 2000 }, balances: ['main'], metadata: {} } }, undefined, {
      terminated: false,
      attempt: 2,
    });
    expect(text(toWorld, ctx)).toBe('Debiting 20.00 EUR from wallet `alice` balance `main` to `world`');
  });

  it('GetPayment, with what the payment is', () => {
    const output = { data: { id: 'pay1', type: 'PAY-IN', status: 'SUCCEEDED', initialAmount: 1999, amount: 1999, asset: 'EUR/2', provider: 'STRIPE' } };
    expect(text(activity('GetPayment', { id: 'pay1' }, output))).toBe('Read payment `pay1`: PAY-IN of 19.99 EUR via STRIPE, SUCCEEDED');
    expect(describeActivity(activity('GetPayment', { id: 'pay1' }, output))).toContainEqual({ payment: 'pay1' });
  });

  it('CreateTransferInitiation', () => {
    const input = { amount: 1000, asset: 'USD/2', provider: 'STRIPE', type: 'PAYOUT', destination: 'acct_1', metadata: {}, waitingValidation: false };
    expect(text(activity('CreateTransferInitiation', input))).toBe('Initiated a PAYOUT of 10.00 USD via STRIPE to PSP account `acct_1`');
    expect(text(activity('CreateTransferInitiation', { ...input, type: 'transfer', waitingValidation: true }))).toBe(
      'Initiated a TRANSFER of 10.00 USD via STRIPE to PSP account `acct_1` (waiting for validation)',
    );
  });

  it('StripeTransfer (legacy)', () => {
    expect(text(activity('StripeTransfer', { amount: 1000, asset: 'USD/2', destination: 'acct_1', metadata: {}, waitingValidation: false }))).toBe(
      'Initiated a Stripe transfer of 10.00 USD to `acct_1`',
    );
  });

  it('ConfirmHold and VoidHold', () => {
    expect(text(activity('ConfirmHold', { id: 'hold-1' }))).toBe('Confirmed hold `hold-1`');
    expect(text(activity('VoidHold', { id: 'hold-1' }))).toBe('Voided hold `hold-1`');
  });

  it('unknown activities get a generic sentence, never dropped', () => {
    expect(text(activity('RevertTransaction', { ledger: 'main', id: 3 }))).toBe('Ran activity `RevertTransaction` (input: ledger, id)');
    expect(text(activity('Teleport', { who: 'x' }, undefined, { terminated: false }))).toBe('Running activity `Teleport` (input: who)');
    expect(text(activity('Teleport', {}, undefined, { error: 'nope' }))).toBe('Activity `Teleport` failed');
    // A known name with a malformed input falls back to the generic sentence too.
    expect(text({ name: 'CreditWallet', input: null, terminated: true, startedAt: T, attempt: 1 })).toBe('Ran activity `CreditWallet`');
  });

  it('covers every activity of the catalogue', () => {
    expect(KNOWN_ACTIVITIES.sort()).toEqual(
      [
        'AddAccountMetadata',
        'ConfirmHold',
        'CreateTransaction',
        'CreateTransferInitiation',
        'CreditWallet',
        'DebitWallet',
        'GetAccount',
        'GetPayment',
        'GetWallet',
        'ListWallets',
        'StripeTransfer',
        'VoidHold',
      ].sort(),
    );
  });
});

describe('stage sentences', () => {
  const entry = (name: string, input: unknown, terminated = true) => ({ name, input, terminated, startedAt: T, ...(terminated ? { terminatedAt: T } : {}) });
  const stageText = (parts: Part[]) => sentenceText(parts);

  it('send: amount, source and destination of the resolved input', () => {
    const input = {
      source: { account: { id: 'users:001', ledger: 'main', throughAccount: 'world', allowOverdraft: false } },
      destination: { wallet: { id: WALLET, balance: 'main' } },
      amount: { asset: 'USD/2', amount: 10000 },
    };
    expect(stageText(describeStage(entry('RunSend', input), 'send'))).toBe(`Send 100.00 USD from account \`users:001\` on ledger \`main\` to wallet \`${WALLET}\``);
    const payin = { source: { payment: { id: 'pay1' } }, destination: { payment: { psp: 'stripe', type: 'PAYOUT' } } };
    expect(stageText(describeStage(entry('RunSend', payin), 'send'))).toBe("Send the payment's amount from payment `pay1` to a PAYOUT via stripe");
  });

  it('wait_event: waiting, then waited', () => {
    expect(stageText(describeStage(entry('RunWaitEvent', { event: 'payment.confirmed' }, false), 'wait_event'))).toBe('Waiting for event `payment.confirmed`');
    expect(stageText(describeStage(entry('RunWaitEvent', { event: 'payment.confirmed' }), 'wait_event'))).toBe('Received event `payment.confirmed`');
  });

  it('delay: waiting until, then waited', () => {
    expect(stageText(describeStage(entry('RunDelay', { duration: '1m30s' }, false), 'delay', { until: '2024-07-01T10:01:30.000Z', formatAt: () => '10:01:30' }))).toBe(
      'Waiting until 10:01:30',
    );
    expect(stageText(describeStage(entry('RunDelay', { duration: '1m30s' }), 'delay'))).toBe('Waited 1 min 30 s');
    expect(stageText(describeStage(entry('RunDelay', { until: T }), 'delay', { formatAt: () => 'then' }))).toBe('Waited until then');
  });

  it('update, noop, unknown runner, and a stage without history', () => {
    const update = { account: { id: 'users:1', ledger: 'main', metadata: { kyc: 'done' } } };
    expect(stageText(describeStage(entry('RunUpdate', update), 'update'))).toBe('Updated metadata of account `users:1` on ledger `main`: `kyc` = `done`');
    expect(stageText(describeStage(entry('RunNoop', {}), 'noop'))).toBe('Did nothing (noop)');
    expect(stageText(describeStage(entry('RunTeleport', {}), 'unknown'))).toBe('Ran `RunTeleport`');
    expect(stageText(describeStage(undefined, 'wait_event'))).toBe('Wait for event');
    expect(stageText(describeStage(undefined, 'send'))).toBe('Send');
  });

  it('failed and aborted stages never read as a success', () => {
    const ended = (name: string, input: unknown, error: string, ms: number) => ({
      name,
      input,
      terminated: true,
      error,
      startedAt: T,
      terminatedAt: new Date(Date.parse(T) + ms).toISOString(),
    });
    const update = { account: { id: 'users:1', ledger: 'main', metadata: { kyc: 'done' } } };
    expect(stageText(describeStage(ended('RunUpdate', update, 'account not found', 10), 'update'))).toBe(
      'Could not update metadata of account `users:1` on ledger `main`: `kyc` = `done`',
    );
    expect(stageText(describeStage(ended('RunUpdate', update, 'canceled', 10), 'update'))).toMatch(/^Aborted updating metadata/);
    // A 30 s delay aborted after 3.5 s.
    expect(stageText(describeStage(ended('RunDelay', { duration: '30s' }, 'canceled', 3500), 'delay'))).toBe('Aborted after 3.5 s of a delay of 30 s');
    expect(stageText(describeStage(ended('RunWaitEvent', { event: 'approved' }, 'canceled', 3500), 'wait_event'))).toBe('Aborted while waiting for event `approved`');
    const send = { amount: { asset: 'USD/2', amount: 100 }, source: { account: { id: 'a' } }, destination: { account: { id: 'b' } } };
    expect(stageText(describeStage(ended('RunSend', send, 'insufficient funds', 10), 'send'))).toBe('Could not send 1.00 USD from account `a` to account `b`');
  });
});
