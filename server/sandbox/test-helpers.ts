import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { EventBus } from '../store/bus.js';
import type { Db } from '../store/db.js';
import { openStore } from '../store/open.js';
import { Sandbox } from './sandbox.js';

/**
 * A fresh database with every migration applied and a sandbox over it (tests only): PGlite in
 * memory, or a throwaway database on the PostgreSQL of TEST_DATABASE_URL (the postgres suite).
 * `db.close()` also drops that database.
 */
export async function openTestSandbox(): Promise<{ db: Db; bus: EventBus; sandbox: Sandbox }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let db: Db;
  if (adminUrl) {
    const name = `t_${randomBytes(6).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const opened = (await openStore({ databaseUrl: u.toString(), dataDir: 'memory' })).db;
    db = {
      ...opened,
      kind: opened.kind,
      query: opened.query.bind(opened),
      exec: opened.exec.bind(opened),
      transaction: opened.transaction.bind(opened),
      async close() {
        await opened.close();
        await adminQuery(adminUrl, `drop database if exists ${name} with (force)`).catch(() => {});
      },
    };
  } else {
    db = (await openStore({ dataDir: 'memory' })).db;
  }
  const bus = new EventBus();
  return { db, bus, sandbox: new Sandbox(db, bus) };
}

async function adminQuery(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Events of a type published so far (oldest first). */
export async function eventsOf(db: Db, type: string): Promise<any[]> {
  return db.query(`select * from events where type = $1 order by seq`, [type]);
}
