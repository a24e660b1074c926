import { describe, expect, it } from 'vitest';
import { recoverVariables } from './recoverVariables';

const stages = [
  {
    send: {
      source: { account: { id: 'world', ledger: '${ledger}' } },
      destination: { account: { id: 'users:${user}', ledger: '${ledger}' } },
      amount: { asset: 'USD/2', amount: '${amount}' },
    },
  },
  { wait_event: { event: 'payment.${kind}' } },
  { update: { account: { id: '${user}-${ledger}', ledger: 'main', metadata: { note: '${note}' } } } },
];

describe('recoverVariables', () => {
  it('reads variables back from the resolved inputs of the stages that ran', () => {
    const history = [
      {
        input: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: 'users:alice', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: 1250 },
        },
      },
      { input: { event: 'payment.confirmed' } },
    ];
    // `note` is in a stage that never ran; `${user}-${ledger}` has two variables: not read.
    expect(recoverVariables(stages, history)).toEqual({ ledger: 'main', user: 'alice', amount: '1250', kind: 'confirmed' });
  });

  it('drops a variable read back with two values, and a value the template does not match', () => {
    const history = [
      {
        input: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: 'merchants:1', ledger: 'other' } },
          amount: { asset: 'USD/2', amount: '7' },
        },
      },
    ];
    expect(recoverVariables(stages, history)).toEqual({ amount: '7' });
    expect(recoverVariables(stages, [])).toEqual({});
  });
});
