import { describe, expect, it } from 'vitest';
import { checkStages, historyInput, historyView, resolveStage, variablesOf } from './index.js';
import { interpolate } from './interpolate.js';

describe('interpolation', () => {
  it('replaces ${name} inside strings; unknown names become empty; ${} stays', () => {
    expect(interpolate('users:${id}:main', { id: '42' })).toBe('users:42:main');
    expect(interpolate('${a}${b}', { a: 'x' })).toBe('x');
    expect(interpolate('cost ${}', {})).toBe('cost ${}');
  });
  it('lists the variables a definition uses, once each', () => {
    expect(variablesOf({ stages: [{ a: '${x} ${y}' }, { b: ['${x}', { c: '${z}' }] }] })).toEqual(['x', 'y', 'z']);
  });
});

describe('delay durations (parser and formatter: common/duration.test.ts)', () => {
  it('refuses at create what Go cannot hold and negative delays, naming the field', () => {
    expect(checkStages([{ delay: { duration: '9999999999999999999h' } }])).toEqual([
      "stages[0].delay.duration: invalid duration '9999999999999999999h': longer than the longest duration Go accepts (2562047h47m16.854775807s)",
    ]);
    expect(checkStages([{ delay: { duration: '-5s' } }])).toEqual(["stages[0].delay.duration: invalid duration '-5s': a delay cannot be negative"]);
    expect(checkStages([{ delay: { duration: '2562047h47m16.854775807s' } }, { delay: { duration: '0s' } }])).toEqual([]);
  });
  it('fails a stage whose ${variable} resolves to an absurd or negative duration, and keeps exact nanoseconds otherwise', () => {
    const stage = { delay: { duration: '${wait}' } };
    expect(checkStages([stage])).toEqual([]);
    expect(resolveStage(stage, { wait: '9999999999999999999h' })).toEqual({ error: expect.stringContaining("invalid duration '9999999999999999999h'") });
    expect(resolveStage(stage, { wait: '-5s' })).toEqual({ error: expect.stringContaining('cannot be negative') });
    const ok = resolveStage(stage, { wait: '1.5s' });
    expect(ok).toMatchObject({ input: { duration: 1_500_000_000n } });
    expect(historyInput((ok as { input: unknown }).input)).toEqual({ duration: '1.5s' });
  });
});

describe('resolveStage', () => {
  it('fills send defaults and interpolates, amounts as bigint', () => {
    const r = resolveStage(
      {
        send: {
          source: { account: { id: 'users:${id}' } },
          destination: { wallet: { name: 'w-${id}' } },
          amount: { asset: 'USD/2', amount: '${amt}' },
        },
      },
      { id: '1', amt: '9007199254740993' },
    );
    expect('error' in r).toBe(false);
    if ('error' in r) return;
    expect(r.runName).toBe('RunSend');
    expect(r.input).toEqual({
      source: { account: { id: 'users:1', ledger: 'default', throughAccount: 'world', allowOverdraft: false } },
      destination: { wallet: { id: '', name: 'w-1', balance: 'main' } },
      amount: { asset: 'USD/2', amount: 9007199254740993n },
    });
  });

  it('treats values that interpolate to empty as absent (defaults apply)', () => {
    const r = resolveStage({ send: { source: { payment: { id: 'p-1', ledger: '${none}' } }, destination: { account: { id: 'a' } } } }, {});
    if ('error' in r) throw new Error(r.error);
    expect(r.input.source.payment).toMatchObject({ ledger: 'orchestration-000-internal', holdingAccount: 'payment:p_1' });
  });

  it('resolves boolean strings in any case and rejects others', () => {
    const ok = resolveStage(
      { send: { source: { account: { id: 'a', allowOverdraft: '${f}' } }, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: 1 } } },
      { f: 'TRUE' },
    );
    if ('error' in ok) throw new Error(ok.error);
    expect(ok.input.source.account.allowOverdraft).toBe(true);
    const bad = resolveStage(
      { send: { source: { account: { id: 'a', allowOverdraft: '${f}' } }, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: 1 } } },
      { f: 'yes' },
    );
    expect('error' in bad && bad.error).toMatch(/unable to resolve field 'bool' to bool value/);
  });

  it('reports one validator line per alternative of a one-of rule', () => {
    const r = resolveStage({ send: { source: {}, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: 1 } } }, {});
    expect('error' in r && r.error.split('\n')).toEqual([
      `Key: 'Send.Source.wallet' Error:Field validation for 'wallet' failed on the 'wallet or account or payment' tag`,
      `Key: 'Send.Source.account' Error:Field validation for 'account' failed on the 'wallet or account or payment' tag`,
      `Key: 'Send.Source.payment' Error:Field validation for 'payment' failed on the 'wallet or account or payment' tag`,
    ]);
  });

  it('uses update ledger default main, accepts connectorID as connectorId, upper-cases payment type', () => {
    const u = resolveStage({ update: { account: { id: 'a', metadata: {} } } }, {});
    if ('error' in u) throw new Error(u.error);
    expect(u.input.account.ledger).toBe('main');
    const s = resolveStage(
      { send: { source: { wallet: { id: 'w' } }, destination: { payment: { psp: 'stripe', type: 'payout', connectorID: 'c1' } }, amount: { asset: 'X', amount: 1 } } },
      {},
    );
    if ('error' in s) throw new Error(s.error);
    expect(s.input.destination.payment).toEqual({ psp: 'stripe', type: 'PAYOUT', metadata: 'formanceAccountID', waitingValidation: false, connectorId: 'c1' });
  });

  it('writes the history input with numbers, Go durations and UTC dates', () => {
    const d = resolveStage({ delay: { duration: '90s' } }, {});
    if ('error' in d) throw new Error(d.error);
    expect(historyInput(d.input)).toEqual({ duration: '1m30s' });
    const u = resolveStage({ delay: { until: '2030-01-01T02:00:00+02:00' } }, {});
    if ('error' in u) throw new Error(u.error);
    expect(historyInput(u.input)).toEqual({ until: '2030-01-01T00:00:00.000Z' });
  });

  it('leaves out of history the defaults older SDKs do not know, and keeps values that were set', () => {
    const view = (send: unknown) => {
      const r = resolveStage({ send }, {});
      if ('error' in r) throw new Error(r.error);
      return historyView(r.runName, historyInput(r.input));
    };
    const amount = { asset: 'USD/2', amount: 5 };
    // History keeps amounts exact (bigint), whatever their size; JSON writes them as number literals.
    const exact = { asset: 'USD/2', amount: 5n };
    expect(view({ source: { account: { id: 'a' } }, destination: { account: { id: 'b', ledger: 'eu' } }, amount })).toEqual({
      source: { account: { id: 'a', ledger: 'default' } },
      destination: { account: { id: 'b', ledger: 'eu' } },
      amount: exact,
    });
    expect(
      view({ source: { account: { id: 'a', throughAccount: 'bridge', allowOverdraft: true } }, destination: { account: { id: 'b', throughAccount: 'world' } }, amount }),
    ).toEqual({
      source: { account: { id: 'a', ledger: 'default', throughAccount: 'bridge', allowOverdraft: true } },
      destination: { account: { id: 'b', ledger: 'default' } },
      amount: exact,
    });
    expect(view({ source: { payment: { id: 'p-1' } }, destination: { payment: { psp: 'stripe' } } })).toEqual({
      source: { payment: { id: 'p-1' } },
      destination: { payment: { psp: 'stripe' } },
    });
    expect(
      view({
        source: { payment: { id: 'p-1', ledger: 'l', holdingAccount: 'held' } },
        destination: { payment: { psp: 'stripe', type: 'PAYOUT', waitingValidation: true } },
      }),
    ).toEqual({
      source: { payment: { id: 'p-1', ledger: 'l', holdingAccount: 'held' } },
      destination: { payment: { psp: 'stripe', type: 'PAYOUT', waitingValidation: true } },
    });
    // other kinds and unknown run names pass through
    expect(historyView('RunWaitEvent', { event: 'go' })).toEqual({ event: 'go' });
    expect(historyView('RunSomething', { x: 1 })).toEqual({ x: 1 });
  });
});

describe('checkStages (create time)', () => {
  it('accepts the kitchen-sink example (every stage kind and option)', () => {
    expect(
      checkStages([
        { noop: {} },
        { update: { account: { id: 'users:${userID}', ledger: 'main', metadata: { kyc: '${kycLevel}', source: 'flows' } } } },
        { delay: { duration: '30s' } },
        { delay: { until: '2030-01-01T00:00:00Z' } },
        { wait_event: { event: 'approved' } },
        {
          send: {
            source: { account: { id: 'world', ledger: 'main' } },
            destination: { account: { id: 'users:${userID}', ledger: 'main' } },
            amount: { asset: 'EUR/2', amount: '${amount}' },
            metadata: { reason: 'welcome-bonus' },
          },
        },
      ]),
    ).toEqual([]);
  });
  it('rejects payment to payment, and a missing amount for non-payment sources', () => {
    expect(checkStages([{ send: { source: { payment: { id: 'p' } }, destination: { payment: { psp: 'stripe' } } } }])).toEqual([
      'stages[0].send: send from payment to payment is not supported',
    ]);
    expect(checkStages([{ send: { source: { account: { id: 'a' } }, destination: { account: { id: 'b' } } } }])).toEqual([
      'stages[0].send.amount: amount must be specified',
    ]);
  });
  it('rejects a noop stage whose config is not an object', () => {
    expect(checkStages([{ noop: {} }])).toEqual([]);
    expect(checkStages([{ noop: [null, null] }])).toEqual(['stages[0].noop: expected an object, got an array']);
    expect(checkStages([{ noop: null }])[0]).toMatch(/^stages\[0\]\.noop: expected an object/);
  });

  it('rejects an unknown payment type and negative amounts', () => {
    expect(checkStages([{ send: { source: { wallet: { id: 'w' } }, destination: { payment: { type: 'WIRE' } }, amount: { asset: 'X', amount: 1 } } }])[0]).toMatch(
      /type: must be one of TRANSFER, PAYOUT/,
    );
    expect(checkStages([{ send: { source: { account: { id: 'a' } }, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: -5 } } }])[0]).toMatch(
      /negative/,
    );
  });
});
