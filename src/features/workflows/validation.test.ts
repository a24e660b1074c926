import { describe, expect, it } from 'vitest';
import { definitionProblems, NAME_REQUIRED } from './validation';
import { TEMPLATES } from './templates';

const paths = (d: unknown) => definitionProblems(d).map((p) => [p.path.join('.'), p.message, !!p.ignoredKey]);

describe('definitionProblems', () => {
  it('finds nothing in the templates', () => {
    for (const t of TEMPLATES) expect(paths({ ...(t.definition as object), name: t.id })).toEqual([]);
  });

  it('names unknown keys (typos the server would ignore) as ignored keys', () => {
    expect(
      paths({
        name: 'x',
        stages: [
          {
            send: {
              source: { account: { id: 'world' } },
              destination: { account: { id: 'a' } },
              amount: { asset: 'USD/2', amount: 1 },
              metdata: { a: 'b' },
              colour: 'red',
            },
          },
        ],
      }),
    ).toEqual([
      ['stages.0.send.metdata', 'Property metdata is not allowed.', true],
      ['stages.0.send.colour', 'Property colour is not allowed.', true],
    ]);
  });

  it('a typo that also leaves a required key out is not only ignorable', () => {
    const problems = paths({ name: 'x', stages: [{ update: { account: { id: 'users:1', metdata: { kyc: '2' } } } }] });
    expect(problems).toContainEqual(['stages.0.update.account.metdata', 'Property metdata is not allowed.', true]);
    expect(problems).toContainEqual(['stages.0.update.account.metadata', 'Missing property "metadata".', false]);
  });

  it('requires a name', () => {
    expect(paths({ stages: [] })).toEqual([['name', NAME_REQUIRED, false]]);
    expect(paths({ name: '  ', stages: [] })).toEqual([['name', NAME_REQUIRED, false]]);
  });

  it('gives one problem per field, in the builder’s words, where the builder and the schema agree', () => {
    const problems = paths({
      name: 'x',
      stages: [
        { send: { source: { account: { id: '' } }, destination: { wallet: {} }, amount: { asset: 'USD/2', amount: '12.5' } } },
        { delay: { duration: '' } },
        { wait_event: { event: '' } },
      ],
    });
    expect(problems).toEqual([
      ['stages.0.send.source.account.id', 'Account address is required', false],
      ['stages.0.send.destination.wallet.id', 'Wallet id is required', false],
      ['stages.0.send.amount.amount', 'Integer in minor units (1250 = 12.50 for USD/2)', false],
      ['stages.1.delay.duration', 'Duration is required', false],
      ['stages.2.wait_event.event', 'Event name is required', false],
    ]);
  });

  it('reports stages the builder cannot express by the schema alone', () => {
    expect(paths({ name: 'x', stages: [{ sned: {} }, { delay: { duration: '1s', until: '2030-01-01T00:00:00Z' } }, { noop: {}, delay: {} }] })).toEqual([
      ['stages.0.sned', 'Unknown stage kind: use send, delay, wait_event, update or noop.', false],
      ['stages.1.delay', 'Give only one of "duration" or "until".', false],
      ['stages.2', 'A stage has exactly one key, its kind: send, delay, wait_event, update or noop.', false],
      ['stages.2.delay', 'Give one of "duration" or "until".', false],
    ]);
  });

  it('reports payment → payment on the destination', () => {
    expect(paths({ name: 'x', stages: [{ send: { source: { payment: { id: 'p' } }, destination: { payment: { psp: 'stripe' } } } }] })).toEqual([
      ['stages.0.send.destination', 'Send from payment to payment is not supported', false],
    ]);
  });
});
