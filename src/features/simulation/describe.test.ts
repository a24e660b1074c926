import { describe, expect, it } from 'vitest';
import type { SimStage } from '../../api/simulations';
import { accountLabel, basisSentence, outcomeSentence, shortfallSentence } from './describe';

const stage = (number: number, kind: string, extra: Partial<SimStage> = {}): SimStage => ({
  number,
  kind,
  status: 'succeeded',
  activities: [],
  postings: [],
  transfers: [],
  metadata: [],
  balances: [],
  ...extra,
});

describe('dry-run wording', () => {
  it('names wallets by name and balance, accounts by address', () => {
    expect(accountLabel('users:1')).toBe('users:1');
    expect(accountLabel('wallets:abc:main', { id: 'a-b-c', name: 'alice', balance: 'main' })).toBe('wallet “alice”');
    expect(accountLabel('wallets:abc:gifts', { id: 'a-b-c', balance: 'gifts' })).toBe('wallet a-b-c (gifts)');
  });

  it('says how much is missing, in the asset’s precision, beyond 2^53 too', () => {
    expect(shortfallSentence({ ledger: 'main', accounts: ['users:1'], asset: 'USD/2', needed: 3000, available: 2000, missing: 1000 })).toBe(
      'users:1 on main has 20.00 USD; it needs 30.00 USD: 10.00 USD missing.',
    );
    expect(
      shortfallSentence({
        ledger: 'w',
        accounts: ['wallets:x:main'],
        wallet: { id: 'x', name: 'bob', balance: 'main' },
        asset: 'EUR/2',
        needed: '123456789012345678901',
        available: 1,
        missing: '123456789012345678900',
      }),
    ).toBe('wallet “bob” has 0.01 EUR; it needs 1,234,567,890,123,456,789.01 EUR: 1,234,567,890,123,456,789.00 EUR missing.');
  });

  it('says where the run would end', () => {
    const stages = [stage(0, 'send'), stage(1, 'wait_event', { status: 'waiting', waitEvent: { event: 'approved', assumed: false } })];
    expect(outcomeSentence({ status: 'succeeded' }, stages)).toBe('The run would succeed.');
    expect(outcomeSentence({ status: 'failed', stage: 0, error: 'wallet not found' }, stages)).toBe('The run would fail at stage 1 (send): wallet not found');
    expect(outcomeSentence({ status: 'waiting', stage: 1 }, stages)).toBe('The run would wait at stage 2 (wait for event) for the event “approved”.');
    expect(
      outcomeSentence(
        { status: 'retrying', stage: 0, error: 'x', shortfall: { ledger: 'l', accounts: ['a'], asset: 'USD/2', needed: 2, available: 1, missing: 1 } },
        stages,
      ),
    ).toBe('The run would stop at stage 1 (send) and retry until the funds are there: insufficient funds.');
  });

  it('says what the numbers rest on', () => {
    const computedAt = '2026-07-01T14:02:05.000Z';
    expect(basisSentence({ mode: 'remote', computedAt, note: '' }, 'utc')).toBe('Computed from balances at 2026-07-01 14:02:05 UTC; the stack did not execute this.');
    expect(basisSentence({ mode: 'embedded', computedAt, note: '' }, 'utc')).toBe('Dry run on the embedded sandbox as of 2026-07-01 14:02:05 UTC; nothing was written.');
  });
});
