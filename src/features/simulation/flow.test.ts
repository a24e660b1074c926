import { describe, expect, it } from 'vitest';
import type { SimPosting } from '../../api/simulations';
import { buildFlow } from './flow';

const posting = (ledger: string, source: string, destination: string, amount: number, asset = 'USD/2'): SimPosting => ({
  ledger,
  source,
  destination,
  amount,
  asset,
  activity: 'CreateTransaction',
  transaction: 1,
  metadata: {},
});

describe('buildFlow', () => {
  it('one node per account and ledger, one edge per direction and asset, amounts summed', () => {
    const { nodes, edges } = buildFlow([
      posting('main', 'world', 'users:1', 100),
      posting('main', 'users:1', 'users:2', 30),
      posting('main', 'users:1', 'users:2', 20),
      posting('other', 'users:1', 'users:2', 5),
      posting('main', 'users:1', 'users:2', 7, 'EUR/2'),
    ]);
    expect(nodes.map((n) => `${n.ledger}/${n.account}@${n.column}`)).toEqual(['main/world@0', 'main/users:1@1', 'main/users:2@2', 'other/users:1@0', 'other/users:2@1']);
    const main = edges.find((e) => e.source.endsWith('users:1') && e.target === 'main\u0000users:2' && e.asset === 'USD/2')!;
    expect(main).toMatchObject({ amount: 50n, postings: 2 });
    expect(edges).toHaveLength(4);
    expect(nodes.find((n) => n.id === 'main\u0000users:1')!.net).toEqual([
      { asset: 'USD/2', amount: 50n },
      { asset: 'EUR/2', amount: -7n },
    ]);
  });

  it('places accounts on a cycle without looping, and keeps huge amounts exact', () => {
    const { nodes, edges } = buildFlow([posting('l', 'a', 'b', 1), posting('l', 'b', 'a', 1), { ...posting('l', 'world', 'a', 0), amount: '123456789012345678901' }]);
    expect(nodes).toHaveLength(3);
    expect(edges.find((e) => e.source === 'l\u0000world')!.amount).toBe(123456789012345678901n);
    expect(new Set(nodes.map((n) => `${n.column}:${n.row}`)).size).toBe(3);
  });
});
