import type { Db } from './db.js';
import { migrations } from './migrations/index.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export interface StoreOptions {
  /** PostgreSQL URL; when absent PGlite is used. */
  databaseUrl?: string;
  /** PGlite directory, or 'memory'. */
  dataDir: string;
}

export async function openStore(opts: StoreOptions): Promise<{ db: Db; isNew: boolean }> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  const isNew = await migrate(db);
  return { db, isNew };
}

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

/** Migrations this code knows that the database has not applied (readiness). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`select id from schema_migrations`).catch(() => [] as { id: string }[]);
  const done = new Set(rows.map((r) => r.id));
  return migrations.map((m) => m.id).filter((id) => !done.has(id));
}
