import { describe, expect, it } from 'vitest';
import { movedMoney, stagesThatMayMove } from './movedMoney';
import type { ActivityLike } from './progress';
import { sentenceText } from './sentences';

const at = '2026-11-23T10:00:00Z';
const posting = { source: 'world', destination: 'users:1', amount: 2000, asset: 'USD/2' };
const created = (txid: number, extra: Partial<ActivityLike> = {}): ActivityLike => ({
  name: 'CreateTransaction',
  input: { CreateTransaction: { ledger: 'main', data: { postings: [posting], metadata: {} } } },
  output: { CreateTransaction: { data: [{ id: txid, txid, postings: [posting], metadata: {}, timestamp: at }] } },
  startedAt: at,
  terminatedAt: at,
  terminated: true,
  attempt: 1,
  ...extra,
});

describe('movedMoney', () => {
  it('lists the transactions a send created, with amount, accounts, ledger and id', () => {
    const moves = movedMoney([{ stage: 1, activities: [created(7)] }]);
    expect(moves).toHaveLength(1);
    expect(moves[0]!.stage).toBe(1);
    expect(moves[0]!.transactions).toEqual([{ ledger: 'main', id: '7' }]);
    expect(sentenceText(moves[0]!.parts)).toBe('Created transaction #7 on ledger `main`: 20.00 USD from `world` to `users:1`');
  });

  it('leaves out failed attempts and reads, keeps wallet movements and what is still running', () => {
    const failed = created(0, { error: 'insufficient funds', output: undefined });
    const read: ActivityLike = { name: 'GetAccount', input: { GetAccount: { ledger: 'main', id: 'users:1' } }, startedAt: at, terminated: true, attempt: 1 };
    const credit: ActivityLike = {
      name: 'CreditWallet',
      input: { CreditWallet: { id: 'w-1', data: { amount: { amount: 500, asset: 'EUR/2' } } } },
      startedAt: at,
      terminated: false,
      attempt: 1,
    };
    const moves = movedMoney([{ stage: 0, activities: [failed, read, created(9), credit] }]);
    expect(moves.map((m) => [m.transactions.map((t) => t.id), m.inFlight])).toEqual([
      [['9'], false],
      [[], true],
    ]);
    expect(sentenceText(moves[1]!.parts)).toContain('5.00 EUR');
  });
});

describe('stagesThatMayMove', () => {
  const stages = [{ noop: {} }, { send: {} }, { delay: {} }, { send: {} }];
  it('keeps the started send stages, in order', () => {
    expect(stagesThatMayMove({ status: [{ stage: 3 }, { stage: 0 }, { stage: 1 }, { stage: 2 }], workflow: { config: { stages } } })).toEqual([1, 3]);
  });
  it('keeps every started stage when the definition is unknown, none when none started', () => {
    expect(stagesThatMayMove({ status: [{ stage: 0 }, { stage: 1 }] })).toEqual([0, 1]);
    expect(stagesThatMayMove({ workflow: { config: { stages } } })).toEqual([]);
  });
});
