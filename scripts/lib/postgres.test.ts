import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { findPostgresBin, newestVersionFirst, startTempPostgres } from './postgres.mjs';

describe('newestVersionFirst', () => {
  it('orders Debian version directories numerically', () => {
    expect(newestVersionFirst(['9.6', '15', '16', '13'])).toEqual(['16', '15', '13', '9.6']);
  });
});

// Needs Debian's PostgreSQL binaries (`npm test` installs them before its postgres suite).
describe.skipIf(!findPostgresBin())('startTempPostgres', () => {
  it('starts a throwaway cluster with a database, and stop() removes it', async () => {
    const server = await startTempPostgres({ database: 'helper_check' });
    try {
      expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/helper_check$/);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query('select current_database() as db');
      await client.end();
      expect(rows[0].db).toBe('helper_check');
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
    await server.stop(); // idempotent
  });
});
