import type { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './db.js';

/**
 * PGlite has one connection: its own mutex serializes queries and transactions. `onDisk`: the
 * database is a directory, which `dumpDataDir` can copy (backup.ts).
 */
export function wrapPglite(pg: PGlite, onDisk = false): Db {
  let closed = false;
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const res = await pg.query<T>(sql, params as any[]);
      return res.rows;
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return pg.transaction(async (tx) =>
        fn({
          async query<R>(sql: string, params?: unknown[]) {
            const res = await tx.query<R>(sql, params as any[]);
            return res.rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    // No transaction open (the transaction mutex) and no query running (dumpDataDir takes the
    // query mutex): the copy holds every committed transaction and nothing of one in progress.
    // The checkpoint first writes dirty pages out, so that opening the copy replays little WAL.
    dumpDataDir: onDisk
      ? async () => {
          await pg.query('checkpoint');
          const tar = await pg._runExclusiveTransaction(() => pg.dumpDataDir('none'));
          return Buffer.from(await tar.arrayBuffer());
        }
      : undefined,
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}
