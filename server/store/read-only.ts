import type { Db } from './db.js';

/**
 * A view of a database that only reads: any statement other than a `select` is refused before
 * it reaches the database, and there are no transactions. Simulations read the sandbox through
 * it, so a bug there cannot write.
 */
export function readOnlyDb(db: Db): Db {
  const refuse = (what: string) => Promise.reject(new Error(`read-only view of the database: ${what} refused`));
  return {
    kind: db.kind,
    query: (sql, params) => (/^\s*select\b/i.test(sql) ? db.query(sql, params) : refuse(sql.trim().split(/\s+/)[0] ?? 'statement')),
    exec: () => refuse('exec'),
    transaction: () => refuse('transaction'),
    close: async () => {},
  };
}
