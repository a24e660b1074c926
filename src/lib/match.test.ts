import { describe, expect, it } from 'vitest';
import { matchScore, rankItems } from './match';

describe('command palette matching', () => {
  it('scores', () => {
    expect(matchScore('pay', 'pay')).toBe(100);
    expect(matchScore('pay', 'payin-to-wallet')).toBe(80);
    expect(matchScore('wal', 'payin-to-wallet')).toBe(60);
    expect(matchScore('in-to', 'payin-to-wallet')).toBe(40);
    expect(matchScore('ptw', 'payin-to-wallet')).toBe(10);
    expect(matchScore('zzz', 'payin-to-wallet')).toBe(0);
  });

  it('ranks items and drops non-matches', () => {
    const items = [{ n: 'kitchen-sink' }, { n: 'send-matrix' }, { n: 'sink' }];
    expect(rankItems(items, 'sink', (i) => [i.n]).map((i) => i.n)).toEqual(['sink', 'kitchen-sink']);
    expect(rankItems(items, '', (i) => [i.n])).toHaveLength(3);
  });
});
