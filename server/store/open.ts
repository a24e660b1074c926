import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export { migrate };

export interface StoreOptions {
  /** PostgreSQL URL; when absent PGlite is used. */
  databaseUrl?: string;
  /** PGlite directory, or 'memory'. */
  dataDir: string;
}

export async function openStore(opts: StoreOptions): Promise<{ db: Db; isNew: boolean }> {
  if (opts.databaseUrl) {
    const db = await openPostgres(opts.databaseUrl);
    return { db, isNew: await migrate(db) };
  }
  // A new PGlite database comes from the migrated image (pglite-image.ts): new, though not empty.
  const { db, created } = await openPglite(opts.dataDir);
  const wasEmpty = await migrate(db);
  return { db, isNew: created || wasEmpty };
}

/** Migrations this code knows that the database has not applied (readiness). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`select id from schema_migrations`).catch(() => [] as { id: string }[]);
  const done = new Set(rows.map((r) => r.id));
  return migrations.map((m) => m.id).filter((id) => !done.has(id));
}
