import { describe, expect, it } from 'vitest';
import type { Page } from './types';
import { walkList } from './walk';

/** Offset pages over a table that can change between calls (as upstream Flows pages). */
function offsetTable(rows: () => string[], pageSize = 2) {
  let calls = 0;
  const fetchPage = async (cursor: string | undefined): Promise<Page<{ id: string }>> => {
    calls++;
    const offset = cursor ? Number(cursor) : 0;
    const all = rows();
    const data = all.slice(offset, offset + pageSize).map((id) => ({ id }));
    const more = offset + pageSize < all.length;
    return { pageSize, hasMore: more, next: more ? String(offset + pageSize) : undefined, data };
  };
  return { fetchPage, calls: () => calls };
}

const key = (r: { id: string }) => r.id;

describe('walking a whole list page by page', () => {
  it('reads a list that does not move once, plus one look at the first page', async () => {
    const t = offsetTable(() => ['a', 'b', 'c', 'd', 'e']);
    const walk = await walkList(t.fetchPage, { cap: 100, key });
    expect(walk).toEqual({ rows: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id })), repeated: 0, changed: false, capped: false });
    expect(t.calls()).toBe(4);
  });

  it('counts a row that comes twice, keeps it once, and reads again; says so when the second reading moves too', async () => {
    // Every call moves the row read first to the end, as an update moves a PostgreSQL row.
    let table = ['a', 'b', 'c', 'd'];
    const t = offsetTable(() => {
      const now = table;
      table = [...table.slice(1), table[0]!];
      return now;
    });
    const walk = await walkList(t.fetchPage, { cap: 100, key });
    expect(walk.repeated + Number(walk.changed)).toBeGreaterThan(0);
    expect(new Set(walk.rows.map(key)).size).toBe(walk.rows.length);
    expect(t.calls()).toBeGreaterThan(4); // read twice
  });

  it('notices a list whose first page changed while later pages were read, and keeps a clean second reading', async () => {
    let n = 0;
    const once = offsetTable(() => (n++ === 0 ? ['a', 'b', 'c'] : ['x', 'b', 'c']));
    expect(await walkList(once.fetchPage, { cap: 100, key })).toEqual({ rows: ['x', 'b', 'c'].map((id) => ({ id })), repeated: 0, changed: false, capped: false });
    expect(once.calls()).toBe(6);
    let m = 0;
    const always = offsetTable(() => [`new-${m++}`, 'b', 'c']);
    expect((await walkList(always.fetchPage, { cap: 100, key })).changed).toBe(true);
  });

  it('stops at the cap', async () => {
    const t = offsetTable(() => ['a', 'b', 'c', 'd', 'e']);
    const walk = await walkList(t.fetchPage, { cap: 3, key });
    expect(walk.capped).toBe(true);
    expect(walk.rows.length).toBeLessThan(5);
  });
});
