import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A fresh database on the PostgreSQL server of `adminUrl` (tests and the bench each use their
 * own); `drop()` removes it.
 */
export async function createTestDatabase(adminUrl: string, prefix = 't') {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await c.end();
    },
  };
}

/**
 * A store a test can close and open again: a PGlite data dir, or a fresh PostgreSQL database when
 * TEST_DATABASE_URL is set (the postgres suite).
 */
export async function reopenableStore(prefix: string) {
  const { openStore } = await import('../store/open.js');
  if (process.env.TEST_DATABASE_URL) {
    const { url, drop } = await createTestDatabase(process.env.TEST_DATABASE_URL);
    return { postgres: true, open: () => openStore({ databaseUrl: url, dataDir: 'memory' }).then((s) => s.db), remove: drop };
  }
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    postgres: false,
    open: () => openStore({ dataDir: join(dir, 'data') }).then((s) => s.db),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
