// Upstream's documented trigger examples (filters, vars, link(), the event envelope), run through a miniature of the
// trigger test endpoint: filter first (only `true` matches), then each var on its own.

import { describe, expect, it, vi } from 'vitest';
import { compile, evaluate, evaluateVar, ExprSyntaxError, findLinkURI, LinkLookupError, type LinkResolver } from './index.js';

interface Trigger {
  filter?: string;
  vars?: Record<string, string>;
}

async function testTrigger(trigger: Trigger, payload: unknown, link?: LinkResolver) {
  const data: {
    filter?: { match: boolean; error?: string };
    variables?: Record<string, { value?: string; error?: string }>;
  } = {};
  let matched = true;
  const options = link ? { link } : {};
  if (trigger.filter) {
    try {
      matched = (await evaluate(compile(trigger.filter), { event: payload }, options)) === true;
      data.filter = { match: matched };
    } catch (e) {
      matched = false;
      data.filter = { match: false, error: (e as Error).message };
    }
  }
  if (trigger.vars && matched) {
    data.variables = {};
    for (const [name, source] of Object.entries(trigger.vars)) {
      try {
        const value = await evaluateVar(compile(source), { event: payload }, options);
        data.variables[name] = value === '' ? {} : { value };
      } catch (e) {
        data.variables[name] = { error: (e as Error).message };
      }
    }
  }
  return { data };
}

describe('the trigger test endpoint example', () => {
  it('matches and converts the vars', async () => {
    const trigger = {
      filter: 'event.status == "SUCCEEDED"',
      vars: { paymentID: 'event.id', amt: 'event.amount' },
    };
    const result = await testTrigger(trigger, { id: 'pay_1', status: 'SUCCEEDED', amount: 1999 });
    expect(JSON.stringify(result)).toBe('{"data":{"filter":{"match":true},"variables":{"paymentID":{"value":"pay_1"},"amt":{"value":"1999"}}}}');
  });

  it('does not evaluate the vars when the filter does not match', async () => {
    const trigger = { filter: 'event.status == "SUCCEEDED"', vars: { paymentID: 'event.id' } };
    expect(await testTrigger(trigger, { id: 'pay_1', status: 'PENDING' })).toEqual({
      data: { filter: { match: false } },
    });
  });

  it('only a boolean true matches', async () => {
    expect(await testTrigger({ filter: 'event.status' }, { status: 'SUCCEEDED' })).toEqual({
      data: { filter: { match: false } },
    });
  });
});

describe('trigger examples', () => {
  const payin: Trigger = {
    filter: 'event.type == "PAY-IN" && event.status == "SUCCEEDED"',
    vars: { paymentID: 'event.id', walletID: 'event.metadata?.walletID ?? ""' },
  };

  it('payin-to-wallet: succeeded pay-in with a wallet in its metadata', async () => {
    const payload = {
      id: 'pay_42',
      type: 'PAY-IN',
      status: 'SUCCEEDED',
      amount: '2000',
      asset: 'EUR/2',
      metadata: { walletID: 'wallet-1' },
    };
    expect(await testTrigger(payin, payload)).toEqual({
      data: {
        filter: { match: true },
        variables: { paymentID: { value: 'pay_42' }, walletID: { value: 'wallet-1' } },
      },
    });
  });

  it('payin-to-wallet: without metadata the wallet var is empty (value omitted)', async () => {
    const payload = { id: 'pay_43', type: 'PAY-IN', status: 'SUCCEEDED' };
    expect(await testTrigger(payin, payload)).toEqual({
      data: { filter: { match: true }, variables: { paymentID: { value: 'pay_43' }, walletID: {} } },
    });
  });

  it('payin-to-wallet: pending payments and payouts do not match', async () => {
    for (const payload of [
      { id: 'p', type: 'PAY-IN', status: 'PENDING' },
      { id: 'p', type: 'PAYOUT', status: 'SUCCEEDED' },
    ]) {
      expect((await testTrigger(payin, payload)).data).toEqual({ filter: { match: false } });
    }
  });

  const bigDeposits: Trigger = {
    filter: 'event.ledger == "main" && len(event.transactions) > 0 && event.transactions[0].postings[0].amount > 100000',
    vars: { txid: 'event.transactions[0].id', account: 'event.transactions[0].postings[0].destination' },
  };

  it('big-deposits: the documented test payload', async () => {
    const payload = {
      ledger: 'main',
      transactions: [{ id: 9, postings: [{ source: 'world', destination: 'users:1', amount: 250000, asset: 'USD/2' }] }],
    };
    expect(JSON.stringify(await testTrigger(bigDeposits, payload))).toBe(
      '{"data":{"filter":{"match":true},"variables":{"txid":{"value":"9"},"account":{"value":"users:1"}}}}',
    );
  });

  it('big-deposits: small amounts, other ledgers and empty batches do not match', async () => {
    const tx = (amount: number) => [{ id: 1, postings: [{ source: 'world', destination: 'a', amount }] }];
    expect((await testTrigger(bigDeposits, { ledger: 'main', transactions: tx(100000) })).data.filter).toEqual({
      match: false,
    });
    expect((await testTrigger(bigDeposits, { ledger: 'other', transactions: tx(500000) })).data.filter).toEqual({
      match: false,
    });
    // `len(...) > 0` guards the index: no "index out of range" error
    expect((await testTrigger(bigDeposits, { ledger: 'main', transactions: [] })).data.filter).toEqual({
      match: false,
    });
  });

  it('compile errors are syntax errors with expr-lang details', () => {
    expect(() => compile('event.type == ')).toThrow(ExprSyntaxError);
    expect(() => compile('event.type == ')).toThrow('unexpected token EOF (1:15)');
  });
});

describe('link() and event envelope behaviours', () => {
  it('renders the documented runtime error', async () => {
    const result = await testTrigger({ filter: 'a + b' }, {});
    expect(result.data.filter).toEqual({
      match: false,
      error: 'invalid operation: <nil> + <nil> (1:3)\n | a + b\n | ..^',
    });
  });

  it('member access through nil is an error; ?. avoids it', async () => {
    expect((await testTrigger({ vars: { w: 'event.metadata.walletID' } }, {})).data.variables).toEqual({
      w: { error: 'cannot fetch walletID from <nil> (1:16)\n | event.metadata.walletID\n | ...............^' },
    });
    expect((await testTrigger({ vars: { w: 'event.metadata?.walletID' } }, {})).data.variables).toEqual({
      w: { value: '<nil>' },
    });
  });

  it('SAVED_PAYMENT amounts sent as strings need int() for numeric comparisons', async () => {
    const payload = { id: 'p1', amount: '1999', status: 'SUCCEEDED' };
    expect((await testTrigger({ filter: 'event.amount > 1000' }, payload)).data.filter).toEqual({
      match: false,
      error: 'invalid operation: string > int (1:14)\n | event.amount > 1000\n | .............^',
    });
    expect((await testTrigger({ filter: 'int(event.amount) > 1000' }, payload)).data.filter).toEqual({
      match: true,
    });
    expect((await testTrigger({ filter: 'int(event.amount) > 1000' }, { amount: 1999 })).data.filter).toEqual({
      match: true,
    });
  });

  it('SAVED_METADATA target ids are strings', async () => {
    const payload = { ledger: 'main', targetType: 'TRANSACTION', targetId: '42', metadata: { k: 'v' } };
    const trigger = { filter: 'event.targetType == "TRANSACTION" && int(event.targetId) == 42', vars: { k: 'event.metadata.k' } };
    expect((await testTrigger(trigger, payload)).data).toEqual({
      filter: { match: true },
      variables: { k: { value: 'v' } },
    });
  });

  it('wallet movements: COMMITTED_TRANSACTIONS with wallets metadata', async () => {
    const payload = {
      ledger: 'wallets-ledger',
      transactions: [{ id: 3, metadata: { 'wallets/transaction': 'true' }, postings: [] }],
    };
    const filter = 'any(event.transactions, {.metadata["wallets/transaction"] == "true"})';
    expect((await testTrigger({ filter }, payload)).data.filter).toEqual({ match: true });
  });

  it('link() follows payments links (resolver built on findLinkURI)', async () => {
    const payload = {
      id: 'pay_1',
      links: [
        { name: 'source_account', uri: 'https://stack.example/api/payments/v3/accounts/acc_1' },
        { name: 'destination_account', uri: 'https://stack.example/api/payments/v3/accounts/acc_2' },
      ],
    };
    const resources: Record<string, unknown> = {
      'https://stack.example/api/payments/v3/accounts/acc_1': { id: 'acc_1', name: 'Bank A' },
    };
    const link: LinkResolver = vi.fn(async (obj, rel) => {
      const uri = findLinkURI(obj, rel);
      const data = resources[uri];
      if (data === undefined) throw new Error('unexpected status code when reading resource: 404');
      return data;
    });
    const result = await testTrigger(
      {
        vars: {
          name: 'link(event, "source_account").name',
          missing: 'link(event, "nope").name',
          notFound: 'link(event, "destination_account").name',
        },
      },
      payload,
      link,
    );
    expect(result.data.variables).toEqual({
      name: { value: 'Bank A' },
      missing: { error: "link 'nope' not defined for object" },
      notFound: { error: 'unexpected status code when reading resource: 404' },
    });
  });
});

describe('findLinkURI', () => {
  const obj = {
    links: [
      { name: 'a', uri: 'http://x/a' },
      { name: 'b', uri: 'http://x/b1' },
      { name: 'b', uri: 'http://x/b2' },
    ],
  };

  it('finds the single link with that name', () => {
    expect(findLinkURI(obj, 'a')).toBe('http://x/a');
  });

  it('fails like upstream, flagging final failures', () => {
    const err = (rel: unknown, o: unknown = obj) => {
      try {
        findLinkURI(o, rel);
      } catch (e) {
        expect(e).toBeInstanceOf(LinkLookupError);
        return { message: (e as LinkLookupError).message, final: (e as LinkLookupError).final };
      }
      throw new Error('no error');
    };
    expect(err('c')).toEqual({ message: "link 'c' not defined for object", final: true });
    expect(err('b')).toEqual({ message: "multiple link 'b' found for object", final: true });
    expect(err(1)).toEqual({ message: 'second parameter must be a string', final: false });
    expect(err('a', null)).toEqual({ message: "link 'a' not defined for object", final: true });
    expect(err('a', { links: 'x' }).final).toBe(false);
  });
});
