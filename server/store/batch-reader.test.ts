import { describe, expect, it } from 'vitest';
import { BatchReader } from './batch-reader.js';
import type { Db } from './db.js';

const db = { kind: 'pglite' } as unknown as Db;

describe('BatchReader', () => {
  it('answers lookups asked for in the same turn with one read, each its own value', async () => {
    const reads: string[][] = [];
    const reader = new BatchReader<string, string>(
      async () => db,
      async (_db, keys) => {
        reads.push(keys);
        return keys.map((k) => k.toUpperCase());
      },
    );
    expect(await Promise.all([reader.get('a'), reader.get('b'), reader.get('a')])).toEqual(['A', 'B', 'A']);
    expect(reads).toEqual([['a', 'b', 'a']]);
  });

  it('a lookup asked for while a read is running waits for the next read (it sees what was committed before it was asked)', async () => {
    let value = 'old';
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const reads: string[][] = [];
    const reader = new BatchReader<string, string>(
      async () => db,
      async (_db, keys) => {
        reads.push(keys);
        if (reads.length === 1) await first;
        return keys.map(() => value);
      },
    );
    const a = reader.get('a');
    await new Promise((r) => setImmediate(r));
    expect(reads).toEqual([['a']]);
    value = 'new';
    const b = reader.get('b');
    release();
    await a;
    expect(await b).toBe('new');
    expect(reads).toEqual([['a'], ['b']]);
  });

  it('a failed read fails every lookup of its batch, and the next batch reads again', async () => {
    let fail = true;
    const reader = new BatchReader<string, string>(
      async () => db,
      async (_db, keys) => {
        if (fail) throw new Error('database away');
        return keys;
      },
    );
    const results = await Promise.allSettled([reader.get('a'), reader.get('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await reader.get('c')).toBe('c');
  });

  it('splits a large batch into reads of at most maxBatch keys', async () => {
    const sizes: number[] = [];
    const reader = new BatchReader<number, number>(
      async () => db,
      async (_db, keys) => {
        sizes.push(keys.length);
        return keys;
      },
      2,
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map((k) => reader.get(k)))).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([2, 2, 1]);
  });
});
