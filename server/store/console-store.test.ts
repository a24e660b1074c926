import { describe, expect, it } from 'vitest';
import { lazyConsoleStore, sharedConsoleStore } from './console-store.js';
import type { Db } from './db.js';

function fakeDb() {
  let closed = 0;
  const db = { kind: 'pglite', close: async () => void closed++ } as unknown as Db;
  return { db, closed: () => closed };
}

describe('console store', () => {
  it('embedded mode: the service store itself, never closed by the console store', async () => {
    const { db, closed } = fakeDb();
    const store = sharedConsoleStore(db);
    expect(await store.db()).toBe(db);
    await store.close();
    expect(closed()).toBe(0);
  });

  it('remote mode: opened on first use only, once, with the configured store options', async () => {
    const { db, closed } = fakeDb();
    const opened: unknown[] = [];
    const store = lazyConsoleStore({ dataDir: 'somewhere' }, async (opts) => {
      opened.push(opts);
      return { db };
    });
    expect(opened).toEqual([]);
    const [a, b] = await Promise.all([store.db(), store.db()]);
    expect(a).toBe(db);
    expect(b).toBe(db);
    expect(opened).toEqual([{ dataDir: 'somewhere' }]);
    await store.close();
    expect(closed()).toBe(1);
    await expect(store.db()).rejects.toThrow(/closed/);
  });

  it('remote mode: closing a store that was never used opens nothing', async () => {
    let opens = 0;
    const store = lazyConsoleStore({ dataDir: 'memory' }, async () => {
      opens++;
      return fakeDb();
    });
    await store.close();
    expect(opens).toBe(0);
  });
});
