import { describe, expect, it } from 'vitest';
import { variablesOf as serverVariablesOf } from '../../../server/stages/interpolate';
import { checkVariableValue, formatPath, usesNeedingValue, variablesOf, variableUsages } from './variables';

const definition = {
  name: 'kitchen-${ignored-in-name?}',
  stages: [
    { update: { account: { id: 'users:${userID}', metadata: { kyc: '${kycLevel}', amount: '${note}' } } } },
    { delay: { duration: '${wait}' } },
    {
      send: {
        source: { account: { id: 'world', allowOverdraft: '${overdraft}' } },
        destination: { payment: { psp: 'stripe', type: '${payType}', metadata: '${key}' } },
        amount: { asset: 'EUR/2', amount: '${amount}' },
        timestamp: '${at}',
      },
    },
    { wait_event: { event: 'approved-${userID}' } },
    { noop: { '${keysAreNot}': 'x' } },
  ],
};

describe('variables', () => {
  it('lists names in order of first appearance, like the server', () => {
    expect(variablesOf(definition)).toEqual(serverVariablesOf(definition));
    expect(variablesOf(definition.stages)).toEqual(['userID', 'kycLevel', 'note', 'wait', 'overdraft', 'payType', 'key', 'amount', 'at']);
  });

  it('ignores `${}` and map keys, keeps names with odd characters', () => {
    expect(variablesOf({ a: 'cost ${}', b: { '${k}': '${a.b:c}' } })).toEqual(['a.b:c']);
  });

  it('knows which variables a stage needs filled in: required fields and parts of values, not defaults or metadata', () => {
    const needed = Object.fromEntries(variableUsages(definition).map((v) => [v.name, usesNeedingValue(v).map((u) => u.path)]));
    expect(needed).toEqual({
      'ignored-in-name?': [], // only stages run
      userID: ['stages[0].update.account.id', 'stages[3].wait_event.event'], // `users:` and `approved-` are broken values
      kycLevel: [], // metadata values are free text
      note: [],
      wait: ['stages[1].delay.duration'],
      overdraft: [], // a default applies
      payType: [],
      key: [],
      amount: ['stages[2].send.amount.amount'], // from an account, the amount is needed
      at: [],
    });
    const fromPayment = variableUsages([
      { send: { source: { payment: { id: '${paymentID}' } }, destination: { wallet: { name: '${wallet}' } }, amount: { asset: 'EUR/2', amount: '${amount}' } } },
    ]);
    expect(Object.fromEntries(fromPayment.map((v) => [v.name, usesNeedingValue(v).length]))).toEqual({ paymentID: 1, wallet: 1, amount: 0 });
  });

  it('knows the kind of field a whole-value variable fills', () => {
    const uses = Object.fromEntries(variableUsages(definition.stages).map((v) => [v.name, v.uses.map((u) => u.kind)]));
    expect(uses).toMatchObject({
      userID: ['text', 'text'],
      kycLevel: ['text'],
      note: ['text'], // a metadata value, even under the key "amount"
      wait: ['duration'],
      overdraft: ['bool'],
      payType: ['paymentType'],
      key: ['text'],
      amount: ['amount'],
      at: ['date'],
    });
    expect(variableUsages(definition).find((v) => v.name === 'userID')!.uses).toEqual([
      { path: 'stages[0].update.account.id', stage: 0, kind: 'text', neededWhenBlank: true },
      { path: 'stages[3].wait_event.event', stage: 3, kind: 'text', neededWhenBlank: true },
    ]);
    expect(variableUsages(definition).find((v) => v.name === 'amount')!.uses).toEqual([
      { path: 'stages[2].send.amount.amount', stage: 2, kind: 'amount', neededWhenBlank: true },
    ]);
  });

  it('checks values against the fields that use them', () => {
    const find = (name: string) => variableUsages(definition).find((v) => v.name === name)!;
    expect(checkVariableValue(find('amount'), '1250')).toBeUndefined();
    expect(checkVariableValue(find('amount'), '12.50')).toMatch(/integer in minor units.*stages\[2\]\.send\.amount\.amount/);
    expect(checkVariableValue(find('overdraft'), 'TRUE')).toBeUndefined();
    expect(checkVariableValue(find('overdraft'), 'yes')).toMatch(/true or false/);
    expect(checkVariableValue(find('wait'), '1h30m')).toBeUndefined();
    expect(checkVariableValue(find('wait'), '2d')).toMatch(/Go duration/);
    expect(checkVariableValue(find('at'), '2030-01-01T00:00:00Z')).toBeUndefined();
    expect(checkVariableValue(find('at'), 'tomorrow')).toMatch(/RFC 3339/);
    expect(checkVariableValue(find('payType'), 'payout')).toBeUndefined();
    expect(checkVariableValue(find('userID'), 'anything at all')).toBeUndefined();
    // Empty means "absent" at run time: the default applies.
    expect(checkVariableValue(find('amount'), '')).toBeUndefined();
  });

  it('formats paths in the server notation', () => {
    expect(formatPath(['stages', 0, 'send', 'amount'])).toBe('stages[0].send.amount');
  });
});
