import type pg from 'pg';
import { defaultLogger } from '../lib/log.js';
import { JSON_TYPES, parseJsonColumn, type Db, type Queryable } from './db.js';

/**
 * node-postgres, loaded on the first PostgreSQL store: a PGlite server never needs it (its
 * modules cost ~0.1 s of CPU and a few MB at start).
 */
let driver: Promise<typeof pg> | undefined;
function loadDriver(): Promise<typeof pg> {
  return (driver ??= import('pg').then(({ default: pg }) => {
    // Match PGlite: int8 and counts come back as JS numbers (ids and counters stay far below
    // 2^53); money columns are `numeric`, returned as strings by both drivers.
    pg.types.setTypeParser(20, (v) => Number(v));
    // json/jsonb read exactly: amounts beyond 2^53 come back as bigint (see db.ts).
    for (const t of JSON_TYPES) pg.types.setTypeParser(t, parseJsonColumn);
    return pg;
  }));
}

export async function openPostgres(url: string): Promise<Db> {
  const pg = await loadDriver();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Connections die (a database restart or failover, an administrator terminating backends).
  // Without a listener node-postgres throws such an error out of the process; the pool has
  // already dropped the connection and opens a new one for the next query.
  pool.on('error', (err) => defaultLogger().warn('postgres: a pooled connection was lost; it is replaced on next use', { error: err.message }));
  // Fail fast on a wrong URL rather than at the first request.
  await pool.query('select 1');
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      const res = await pool.query(sql, params as any[]);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const { client, release } = await checkOut(pool);
      try {
        await client.query('begin');
        const out = await fn({
          async query<R>(sql: string, params?: unknown[]) {
            const res = await client.query(sql, params as any[]);
            return res.rows as R[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('commit');
        return out;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        release();
      }
    },
    async close() {
      await pool.end();
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

/**
 * A pooled connection, with our listener for its errors attached as the pool hands it over.
 * Checked out, the connection's errors are ours: we note them (the pending query fails as well)
 * and hand a dead connection back for disposal rather than reuse. The listener must go on inside
 * the pool's callback: the pool removes its own listener there, and the backend's FATAL message
 * (connection terminated) often arrives in the same network read as the ReadyForQuery that freed
 * the connection; with `await pool.connect()` it would be parsed before our code runs, find no
 * listener, and be thrown out of the process.
 */
function checkOut(pool: pg.Pool): Promise<{ client: pg.PoolClient; release: () => void }> {
  return new Promise((resolve, reject) => {
    pool.connect((err, client) => {
      if (err || !client) return reject(err ?? new Error('postgres: no connection'));
      let lost: Error | undefined;
      const onError = (e: Error) => (lost ??= e);
      client.on('error', onError);
      const release = () => {
        client.off('error', onError);
        client.release(lost);
      };
      resolve({ client, release });
    });
  });
}
