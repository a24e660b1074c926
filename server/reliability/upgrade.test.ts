import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { extract } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { findPostgresBin } from '../../scripts/lib/postgres.mjs';
import { migrations } from '../store/migrations/index.js';
import { createTestDatabase, startTestServer } from '../test/harness.js';
import { envNumber } from './support.js';
import { Client, type Manifest } from './upgrade/scenario.js';
import { expectKeptAndFinished } from './upgrade/verify.js';

/**
 * Upgrades keep data: every fixture kept in upgrade/fixtures (the data an earlier release left
 * when it was stopped, written by scripts/upgrade-fixture.ts) is opened by the current code —
 * the PGlite data directory, or in the `postgres` suite the plain `pg_dump` restored into a fresh
 * database — and must show the same workflows, triggers and finished history, then finish the
 * instances that were parked mid-run: events delivered, delays elapsed, a send retried after
 * insufficient funds funded and then succeeding. Balances are checked to the unit, and the
 * ledger must hold exactly the transactions the finishing adds (nothing done twice). A trigger
 * of the old data still fires. docs/upgrades.md says how to add the fixture of a new release.
 */
const dir = join(import.meta.dirname, 'upgrade/fixtures');
const fixtures = readdirSync(dir).sort();
const store = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The fixture as a store the server can open: a PGlite dir, or a restored PostgreSQL database. */
async function openFixture(fixture: string): Promise<Record<string, string>> {
  if (store === 'postgres') {
    const { url, drop } = await createTestDatabase(process.env.TEST_DATABASE_URL!, 'upgrade');
    cleanups.push(drop);
    const bin = findPostgresBin();
    if (!bin) throw new Error('no PostgreSQL binaries (psql) found');
    execFileSync(join(bin, 'psql'), ['-q', '-v', 'ON_ERROR_STOP=1', '-f', join(dir, fixture, 'postgres.sql'), url], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { DATABASE_URL: url };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'flows-upgrade-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const tarball = join(dataDir, '..', `${dataDir.split('/').pop()}.tar`);
  writeFileSync(tarball, brotliDecompressSync(readFileSync(join(dir, fixture, 'pglite.tar.br'))));
  try {
    await extract({ file: tarball, cwd: dataDir });
  } finally {
    rmSync(tarball);
  }
  return { DATA_DIR: dataDir };
}

describe.each(fixtures)('data of release %s', (fixture) => {
  it(
    `opens with the current code (${store}) and finishes the work parked in it, with exact balances`,
    async () => {
      const manifest = JSON.parse(readFileSync(join(dir, fixture, `${store}.json`), 'utf8')) as Manifest;
      const t0 = performance.now();
      const server = await startTestServer(await openFixture(fixture));
      cleanups.push(() => server.close());
      const opened = performance.now();
      const api = new Client(server.url);

      // The current migrations ran on top of the release's.
      const ran = (await server.ctx.db.query<{ id: string }>('select id from schema_migrations order by id')).map((r) => r.id);
      expect(ran).toEqual(migrations.map((m) => m.id).sort());
      expect(ran).toEqual(expect.arrayContaining(manifest.migrations));

      await expectKeptAndFinished(api, manifest);
      const finished = performance.now();

      console.log(
        `upgrade (${store}): data of ${manifest.writtenBy.version} (${manifest.writtenBy.commit.slice(0, 7)}, ${manifest.writtenBy.at.slice(0, 10)}) opened in ${((opened - t0) / 1000).toFixed(1)} s; ` +
          `${Object.keys(manifest.workflows).length} workflows, ${Object.keys(manifest.triggers).length} triggers, ${Object.keys(manifest.finished).length} finished instances unchanged; ` +
          `${Object.keys(manifest.parked).length} parked instances finished in ${((finished - opened) / 1000).toFixed(1)} s, ${Object.keys(manifest.balancesAfter.ledger).length + Object.keys(manifest.balancesAfter.walletLedger).length + 1} balances exact`,
      );
    },
    envNumber('RELIABILITY_TIMEOUT_MS', 180_000),
  );
});
