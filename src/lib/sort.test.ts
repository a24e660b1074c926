import { describe, expect, it } from 'vitest';
import { formatSort, nextSort, parseSort, sortRows } from './sort';

describe('sort', () => {
  it('round-trips the URL form', () => {
    expect(parseSort('createdAt:desc')).toEqual({ id: 'createdAt', desc: true });
    expect(parseSort('name')).toEqual({ id: 'name', desc: false });
    expect(parseSort(undefined)).toBeUndefined();
    expect(formatSort({ id: 'name', desc: false })).toBe('name:asc');
  });

  it('cycles asc → desc → none', () => {
    expect(nextSort(undefined, 'a')).toEqual({ id: 'a', desc: false });
    expect(nextSort({ id: 'a', desc: false }, 'a')).toEqual({ id: 'a', desc: true });
    expect(nextSort({ id: 'a', desc: true }, 'a')).toBeUndefined();
    expect(nextSort({ id: 'a', desc: true }, 'b')).toEqual({ id: 'b', desc: false });
  });

  it('sorts stably with blanks last and natural string order', () => {
    const rows = [{ n: 'item 10' }, { n: undefined }, { n: 'item 2' }, { n: 'Item 1' }];
    expect(sortRows(rows, (r) => r.n, false).map((r) => r.n)).toEqual(['Item 1', 'item 2', 'item 10', undefined]);
    expect(sortRows(rows, (r) => r.n, true).map((r) => r.n)).toEqual(['item 10', 'item 2', 'Item 1', undefined]);
  });

  it('sorts big integers', () => {
    const rows = [{ v: 10n ** 30n }, { v: 5n }];
    expect(sortRows(rows, (r) => r.v, false).map((r) => r.v)).toEqual([5n, 10n ** 30n]);
  });
});
