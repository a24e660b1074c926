import type { Db } from './db.js';
import { migrations } from './migrations/index.js';

/** Applies pending migrations; returns true when the database was empty. */
export async function migrate(db: Db): Promise<boolean> {
  await db.query(`create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null default now())`);
  // Several processes may share one PostgreSQL: take a lock so only one migrates.
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query(`select pg_advisory_xact_lock(7204611)`);
    const done = new Set((await tx.query<{ id: string }>(`select id from schema_migrations`)).map((r) => r.id));
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query(`insert into schema_migrations (id) values ($1)`, [m.id]);
    }
    return done.size === 0;
  });
}
