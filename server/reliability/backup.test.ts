import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPostgresBin } from '../../scripts/lib/postgres.mjs';
import { runCli } from '../cli/cli.js';
import { ServerFile } from '../store/backup.js';
import { createTestDatabase, startTestServer } from '../test/harness.js';
import { envNumber, sleep } from './support.js';
import { ASSET, balance, Client, transactionCount, until, writeScenario } from './upgrade/scenario.js';
import { expectKeptAndFinished } from './upgrade/verify.js';

/**
 * Backups: a backup taken while the server works — `flows-console backup` of its PGlite data
 * directory (the running server takes it), or in the `postgres` suite `pg_dump` of its database
 * (the commands the README gives) — restored into a new data directory / database
 * (`flows-console restore`, `pg_restore`) and started there gives back every workflow, trigger,
 * finished history row and balance as they were at the backup (the upgrade scenario), and the
 * instances that were waiting go on and finish with exact money. Runs that were in flight when
 * the backup was taken (sends around a delay, submitted all along) finish in the restored copy
 * with exactly their own ledger transactions: none lost, none made twice.
 */

const store = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const v2 = '/api/orchestration/v2';
/** the ledger of the runs in flight during the backup */
const LIVE = 'backup-live';

const tmp = mkdtempSync(join(tmpdir(), 'flows-backup-'));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(tmp, { recursive: true, force: true });
});

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runCli(argv, env, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function pgTool(name: string, args: string[]): void {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`no PostgreSQL binaries (${name}) found`);
  execFileSync(join(bin, name), args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Every instance of `workflowID`, through the API's pages. */
async function instancesOf(api: Client, workflowID: string): Promise<{ id: string; terminated: boolean; error?: string }[]> {
  const all = [];
  let path = `${v2}/instances?workflowID=${workflowID}&pageSize=100`;
  for (;;) {
    const { cursor } = await api.get(path);
    all.push(...cursor.data);
    if (!cursor.hasMore) return all;
    path = `${v2}/instances?cursor=${cursor.next}`;
  }
}

describe(`backup and restore (${store})`, () => {
  it(
    'a backup taken while the server works restores everything; the restored server finishes the waiting work and moves no money twice',
    async () => {
      const t0 = performance.now();
      const dirA = join(tmp, 'a');
      const a = await startTestServer(store === 'pglite' ? { DATA_DIR: dirA } : { ENGINE_LEASE_MS: '2000' });
      let aClosed = false;
      cleanups.push(() => (aClosed ? undefined : a.close()));
      const api = new Client(a.url);
      const manifest = await writeScenario(api);
      const written = performance.now();

      // Work in flight during the backup: runs that move money, wait, and move it on.
      const live = (
        await api.post(`${v2}/workflows`, {
          name: 'backup-live',
          stages: [
            {
              send: {
                source: { account: { id: 'world', ledger: LIVE } },
                destination: { account: { id: 'users:${i}', ledger: LIVE } },
                amount: { asset: ASSET, amount: '${amount}' },
              },
            },
            { delay: { duration: '300ms' } },
            {
              send: {
                source: { account: { id: 'users:${i}', ledger: LIVE } },
                destination: { account: { id: 'sink', ledger: LIVE } },
                amount: { asset: ASSET, amount: '${amount}' },
              },
            },
          ],
        })
      ).data.id as string;
      const amounts = new Map<string, bigint>();
      let stop = false;
      const submitting = (async () => {
        for (let i = 0; !stop; i++) {
          const amount = 1_000 + i * 7;
          const run = await api.post(`${v2}/workflows/${live}/instances`, { i: String(i), amount: String(amount) });
          amounts.set(run.data.id, BigInt(amount));
          await sleep(100); // a steady trickle, not a flood
        }
      })();
      await until('runs in flight', async () => amounts.size >= 5);

      const file = join(tmp, 'backup.tar.gz');
      let restoredEnv: Record<string, string>;
      let taken: string;
      const backupT0 = performance.now();
      if (store === 'pglite') {
        // Only the holder of the key in the data directory gets a copy.
        const key = ServerFile.live(dirA)?.key;
        expect(key, 'the running server announces itself in its data directory').toBeDefined();
        for (const authorization of [undefined, 'Bearer wrong', `Bearer ${key}x`, `Basic ${key}`]) {
          const refused = await fetch(`${a.url}/_backup`, { method: 'POST', headers: authorization ? { authorization } : {} });
          expect(refused.status, authorization).toBe(401);
          expect(await refused.text()).toBe('');
        }
        const backup = await cli(['backup', file, '--data-dir', dirA]);
        expect(backup.code, backup.err).toBe(0);
        expect(backup.out).toMatch(/taken by the server running on it/);
        taken = backup.out.trim();
      } else {
        const dbUrl = a.context.config.databaseUrl!;
        pgTool('pg_dump', ['--format=custom', `--file=${file}`, dbUrl]);
        taken = `pg_dump: ${(statSync(file).size / 1e6).toFixed(1)} MB`;
      }
      const backupSeconds = (performance.now() - backupT0) / 1000;
      const atBackup = amounts.size;
      await until('runs after the backup', async () => amounts.size >= atBackup + 3);
      stop = true;
      await submitting;
      aClosed = true;
      await a.close();

      const restoreT0 = performance.now();
      if (store === 'pglite') {
        const dirB = join(tmp, 'b');
        const restored = await cli(['restore', file, '--data-dir', dirB]);
        expect(restored.code, restored.err).toBe(0);
        expect(restored.out).toMatch(/10 workflows, 2 triggers, \d+ instances \(\d+ not finished/);
        expect(existsSync(join(dirB, ServerFile.FILE)), 'the server file of the backed-up server').toBe(false);
        // never over existing data
        const again = await cli(['restore', file, '--data-dir', dirB]);
        expect(again.code).toBe(2);
        expect(again.err).toMatch(/not empty; restore into a new data directory/);
        restoredEnv = { DATA_DIR: dirB };
      } else {
        const { url, drop } = await createTestDatabase(process.env.TEST_DATABASE_URL!, 'restored');
        cleanups.push(drop);
        pgTool('pg_restore', ['--no-owner', '--no-privileges', `--dbname=${url}`, file]);
        restoredEnv = { DATABASE_URL: url };
      }
      const restoreSeconds = (performance.now() - restoreT0) / 1000;

      const b = await startTestServer(restoredEnv);
      cleanups.push(() => b.close());
      const started = performance.now();
      const restored = new Client(b.url);
      await expectKeptAndFinished(restored, manifest);

      // The runs the backup caught (some mid-run) finish, each with exactly its two transactions.
      const caught = await until('the caught runs to finish', async () => {
        const all = await instancesOf(restored, live);
        return all.every((i) => i.terminated) ? all : undefined;
      });
      expect(caught.length).toBeGreaterThanOrEqual(5);
      expect(caught.length, 'runs submitted after the backup are not in it').toBeLessThan(amounts.size);
      let total = 0n;
      for (const inst of caught) {
        expect(inst.error ?? null, inst.id).toBeNull();
        const amount = amounts.get(inst.id);
        expect(amount, `${inst.id} was acknowledged by the backed-up server`).toBeDefined();
        total += amount!;
      }
      expect(await transactionCount(restored, LIVE), 'two transactions per run').toBe(2 * caught.length);
      expect(await balance(restored, LIVE, 'world')).toBe(-total);
      expect(await balance(restored, LIVE, 'sink')).toBe(total);

      console.log(
        `backup (${store}): scenario written in ${((written - t0) / 1000).toFixed(0)} s; ${taken} (${backupSeconds.toFixed(1)} s) while runs were submitted (${atBackup} acknowledged before it); restored in ${restoreSeconds.toFixed(1)} s, started in ${((started - restoreT0) / 1000 - restoreSeconds).toFixed(1)} s; ` +
          `${Object.keys(manifest.workflows).length} workflows, ${Object.keys(manifest.triggers).length} triggers, ${Object.keys(manifest.finished).length} finished instances kept, ` +
          `${Object.keys(manifest.parked).length} waiting instances finished, ${caught.length} runs caught in flight finished once (${2 * caught.length} transactions), all within ${((performance.now() - started) / 1000).toFixed(0)} s of the start; total ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    },
    envNumber('RELIABILITY_TIMEOUT_MS', 600_000),
  );

  it.skipIf(store !== 'pglite')('backs up a data directory no server runs on, by opening it', { timeout: 180_000 }, async () => {
    const dir = join(tmp, 'a');
    await until('the first test to leave its data directory', async () => existsSync(join(dir, 'PG_VERSION')) && !ServerFile.live(dir));
    const file = join(tmp, 'closed.tar.gz');
    const backup = await cli(['backup', file, '--data-dir', dir]);
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toMatch(/no server was running on it/);
    const into = join(tmp, 'c');
    const restored = await cli(['restore', file, '--data-dir', into]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/10 workflows, 2 triggers/);
    expect(readdirSync(into)).toContain('PG_VERSION');
  });
});
