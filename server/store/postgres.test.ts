import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/database.js';
import type { Db } from './db.js';
import { openPostgres } from './postgres.js';

/**
 * Connections terminated by the database (restart, failover, an administrator) while the store is
 * busy. A terminated connection's FATAL message often arrives in the same network read as the
 * end of its last query: a connection handed to the next transaction in that read must already
 * have our error listener, or the error is thrown out of the process (it took the server down
 * in CI). This store-level loop hits that moment within a few hundred kills.
 */
let cleanup: (() => Promise<void>) | undefined;
afterAll(async () => {
  await cleanup?.();
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL store under terminated connections (PostgreSQL only)', () => {
  it('never lets a connection error escape, and keeps serving', async () => {
    const { url, drop } = await createTestDatabase(process.env.TEST_DATABASE_URL!, 'kill');
    const db: Db = await openPostgres(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanup = async () => {
      await admin.end().catch(() => {});
      await db.close().catch(() => {});
      await drop();
    };
    const escaped: unknown[] = [];
    const onUncaught = (err: unknown) => escaped.push(err);
    process.on('uncaughtException', onUncaught);
    const log = console.error;
    console.error = () => {}; // the store notes each lost idle connection; hundreds here
    try {
      await db.exec('create table kills (n int)');
      let running = true;
      let committed = 0;
      let failed = 0;
      const client = async (i: number) => {
        while (running) {
          try {
            if (i % 2) await db.query('select 1');
            else
              await db.transaction(async (tx) => {
                await tx.query('insert into kills values (1)');
                await new Promise((r) => setTimeout(r, Math.random() * 3));
                await tx.query('select count(*) from kills');
              });
            committed++;
          } catch {
            failed++; // the query on a killed connection fails: that is expected, it can be retried
          }
        }
      };
      const clients = Array.from({ length: 16 }, (_, i) => client(i));
      for (let k = 0; k < 200; k++) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 15));
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      }
      running = false;
      await Promise.all(clients);
      console.log(
        `postgres store: 200 rounds of terminated connections under 16 clients, ${committed} statements or transactions done, ${failed} failed with their connection, ${escaped.length} errors escaped`,
      );
      expect(escaped.map(String)).toEqual([]);
      expect(committed).toBeGreaterThan(0);
      // and it serves again on new connections
      expect(await db.query<{ ok: number }>('select 1 as ok')).toEqual([{ ok: 1 }]);
      await db.transaction((tx) => tx.query('insert into kills values (2)'));
    } finally {
      console.error = log;
      process.off('uncaughtException', onUncaught);
    }
  }, 60_000);
});
