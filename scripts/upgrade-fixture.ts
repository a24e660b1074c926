/**
 * Writes the data of a release for the upgrade test (server/reliability/upgrade.test.ts): a PGlite
 * data directory and a PostgreSQL dump, each left by a server of that release that was stopped
 * (SIGTERM) with instances parked mid-run (docs/upgrades.md).
 *
 *     npm run upgrade-fixture                      # the release is this checkout
 *     npm run upgrade-fixture -- --source DIR      # a checkout of another commit (node_modules installed)
 *       [--only pglite|postgres] [--commit SHA]
 *
 * Output: server/reliability/upgrade/fixtures/v<version>-<commit>/ with `pglite.tar.br` (the data
 * directory, tar + brotli), `postgres.sql` (plain `pg_dump`) and a manifest for each
 * (`pglite.json`, `postgres.json`); the migrations they contain are added to
 * server/store/migrations/checksums.json (released: their text may not change any more).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { constants, brotliCompressSync } from 'node:zlib';
import { create as createTar } from 'tar';
import { Client, DELAY_MS, writeScenario, type Manifest } from '../server/reliability/upgrade/scenario.js';
import { createTestDatabase } from '../server/test/database.js';
import { ensurePostgres, startTempPostgres } from './lib/postgres.mjs';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const source = resolve(opt('source') ?? root);
const only = opt('only');
const commit = opt('commit') ?? execFileSync('git', ['rev-parse', 'HEAD'], { cwd: source, encoding: 'utf8' }).trim();
const version = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version as string;
const pgliteVersion = JSON.parse(readFileSync(join(source, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version as string;
const out = join(root, 'server/reliability/upgrade/fixtures', `v${version}-${commit.slice(0, 7)}`);

/** Starts the release's server on `env`'s store; resolves with its URL and a stop function. */
async function startRelease(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: source,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SEED: 'false', QUIET: 'true', VITEST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the release's server did not start: ${output}`)), 180_000);
    child.stdout.on('data', () => {
      const m = /Listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`the release's server exited: ${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`the release's server exited ${code} on SIGTERM: ${output}`);
    },
  };
}

/** Writes the scenario with the release and stops it while the delays are still pending. */
async function writeWith(env: Record<string, string>) {
  const server = await startRelease(env);
  const t0 = Date.now();
  const scenario = await writeScenario(new Client(server.url));
  await server.stop();
  // the delays started after t0: they must still be pending when the server stopped
  if (Date.now() - t0 > DELAY_MS - 2_000) throw new Error('the release took too long to stop: the delays ended before it did; run again on a quieter machine');
  return scenario;
}

function node(script: string, argv: string[]): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script, '--', ...argv], { cwd: source, encoding: 'utf8' });
}

async function pglite(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flows-upgrade-fixture-'));
  try {
    const scenario = await writeWith({ DATA_DIR: dir });
    // With the release's PGlite: the migrations it recorded, then a WAL switch and checkpoints
    // with recycling off, so pg_wal holds one mostly empty segment instead of the first one's
    // history (which would double the archive). The data and the catalog are untouched.
    const migrations = JSON.parse(
      node(
        `import { PGlite } from '@electric-sql/pglite';
         const pg = new PGlite(process.argv.at(-1));
         const ids = (await pg.query('select id from schema_migrations order by id')).rows.map((r) => r.id);
         for (const q of ['set wal_recycle = off', 'select pg_switch_wal()', 'checkpoint', 'select pg_switch_wal()', 'checkpoint']) await pg.query(q);
         await pg.close();
         console.log(JSON.stringify(ids));`,
        [dir],
      ),
    ) as string[];
    const tarball = join(tmpdir(), `flows-upgrade-fixture-${process.pid}.tar`);
    await createTar({ cwd: dir, file: tarball, portable: true, noMtime: true }, ['.']);
    const packed = brotliCompressSync(readFileSync(tarball), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC },
    });
    rmSync(tarball);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'pglite.tar.br'), packed);
    writeManifest('pglite', migrations, scenario);
    console.log(`pglite: ${join(out, 'pglite.tar.br')} (${Math.round(packed.length / 1024)} KiB)`);
    return migrations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<string[]> {
  const ensured = await ensurePostgres();
  if (!ensured.ok) throw new Error(`no PostgreSQL: ${ensured.message}`);
  const cluster = await startTempPostgres();
  try {
    const { url } = await createTestDatabase(cluster.url, 'upgrade');
    const scenario = await writeWith({ DATABASE_URL: url });
    const migrations = execFileSync(join(cluster.bin, 'psql'), ['-At', '-c', 'select id from schema_migrations order by id', url], { encoding: 'utf8' })
      .trim()
      .split('\n');
    mkdirSync(out, { recursive: true });
    execFileSync(join(cluster.bin, 'pg_dump'), ['--format=plain', '--no-owner', '--no-privileges', `--file=${join(out, 'postgres.sql')}`, url]);
    writeManifest('postgres', migrations, scenario);
    console.log(`postgres: ${join(out, 'postgres.sql')}`);
    return migrations;
  } finally {
    await cluster.stop();
  }
}

function writeManifest(store: 'pglite' | 'postgres', migrations: string[], scenario: Omit<Manifest, 'writtenBy' | 'migrations'>) {
  const manifest: Manifest = { writtenBy: { version, commit, store, pglite: pgliteVersion, at: new Date().toISOString() }, migrations, ...scenario };
  writeFileSync(join(out, `${store}.json`), `${JSON.stringify(manifest, (_k, v) => (typeof v === 'bigint' ? String(v) : v), 2)}\n`);
}

/** Released migrations: their SQL text (as the release runs it) may not change any more. */
async function recordChecksums(ids: string[]) {
  const { migrations } = (await import(join(source, 'server/store/migrations/index.ts'))) as { migrations: { id: string; sql: string }[] };
  const file = join(root, 'server/store/migrations/checksums.json');
  const sums = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const id of ids) {
    const m = migrations.find((x) => x.id === id);
    if (!m) throw new Error(`migration ${id} is in the fixture but not in the release's code`);
    sums[id] ??= createHash('sha256').update(m.sql).digest('hex');
  }
  writeFileSync(file, `${JSON.stringify(sums, null, 2)}\n`);
}

const ids = new Set<string>();
if (only !== 'postgres') for (const id of await pglite()) ids.add(id);
if (only !== 'pglite') for (const id of await postgres()) ids.add(id);
await recordChecksums([...ids]);
