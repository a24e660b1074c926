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
import {
  ASSET,
  balance,
  Client,
  instanceSnapshot,
  LEDGER,
  transactionCount,
  triggerSnapshot,
  until,
  walletBalance,
  workflowSnapshot,
  type Manifest,
} from './upgrade/scenario.js';

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
const v2 = '/api/orchestration/v2';

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

      // Everything that was there is there, as the API showed it.
      for (const [name, w] of Object.entries(manifest.workflows)) expect(await workflowSnapshot(api, w.id), `workflow ${name}`).toEqual(w.snapshot);
      for (const [name, t] of Object.entries(manifest.triggers)) {
        const now = await triggerSnapshot(api, t.id);
        expect(now.snapshot, `trigger ${name}`).toEqual(t.snapshot);
        expect(now.occurrences, `occurrences of trigger ${name}`).toEqual(t.occurrences);
      }
      for (const [name, f] of Object.entries(manifest.finished)) expect(await instanceSnapshot(api, f.id), `finished instance ${name}`).toEqual(f.snapshot);

      // Finish what was parked: events, funding (delays end by themselves).
      for (const [name, p] of Object.entries(manifest.parked)) {
        if (p.finish.kind === 'delay') continue;
        const inst = (await api.get(`${v2}/instances/${p.id}`)).data;
        expect(inst.terminated, `${name} finished before it was released`).toBe(false);
        if (p.finish.kind === 'event') await api.post(`${v2}/instances/${p.id}/events`, { name: p.finish.event });
        else
          await api.post(`/api/ledger/v2/${LEDGER}/transactions`, {
            postings: [{ source: 'world', destination: p.finish.account, amount: Number(p.finish.amount), asset: ASSET }],
          });
      }
      const pingTrigger = manifest.triggers.ping;
      await api.post('/api/console/events', { type: manifest.ping.event, payload: manifest.ping.payload });

      for (const [name, p] of Object.entries(manifest.parked)) {
        const inst = await until(`${name} to finish`, async () => {
          const i = (await api.get(`${v2}/instances/${p.id}`)).data;
          return i.terminated ? i : undefined;
        });
        expect(inst.error ?? null, `${name} failed`).toBeNull();
        expect(inst.status.length, `${name}: stages run`).toBe(p.stages);
      }
      const before = new Set((pingTrigger.occurrences as { id: string }[]).map((o) => o.id));
      const pinged = await until('the ping trigger to fire', async () => {
        const occ = (await triggerSnapshot(api, pingTrigger.id)).occurrences as { id: string; workflowInstanceID: string }[];
        const added = occ.filter((o) => !before.has(o.id));
        expect(added.length, 'the ping fired more than once').toBeLessThanOrEqual(1);
        return added[0];
      });
      const pingInstance = await until('the ping instance to finish', async () => {
        const i = (await api.get(`${v2}/instances/${pinged.workflowInstanceID}`)).data;
        return i.terminated ? i : undefined;
      });
      expect(pingInstance.error ?? null).toBeNull();
      const finished = performance.now();

      // Money: every balance to the unit, and exactly the transactions the finishing added.
      const { ledger, walletLedger, wallet } = manifest.balancesAfter;
      for (const [address, amount] of Object.entries(ledger)) expect(await balance(api, LEDGER, address), `${LEDGER} ${address}`).toBe(BigInt(amount));
      for (const [address, amount] of Object.entries(walletLedger))
        expect(await balance(api, manifest.wallet.ledger, address), `${manifest.wallet.ledger} ${address}`).toBe(BigInt(amount));
      expect(await walletBalance(api, manifest.wallet.id), 'wallet main balance').toBe(BigInt(wallet));
      const tx = manifest.transactions;
      expect(await transactionCount(api, LEDGER), `transactions on ${LEDGER}`).toBe(tx.ledger + tx.addedLedger);
      expect(await transactionCount(api, manifest.wallet.ledger), `transactions on ${manifest.wallet.ledger}`).toBe(tx.walletLedger + tx.addedWalletLedger);
      // the deleted trigger stays deleted and silent, the deleted workflow stays deleted
      expect((await triggerSnapshot(api, manifest.triggers.old.id)).snapshot).toBeNull();

      console.log(
        `upgrade (${store}): data of ${manifest.writtenBy.version} (${manifest.writtenBy.commit.slice(0, 7)}, ${manifest.writtenBy.at.slice(0, 10)}) opened in ${((opened - t0) / 1000).toFixed(1)} s; ` +
          `${Object.keys(manifest.workflows).length} workflows, ${Object.keys(manifest.triggers).length} triggers, ${Object.keys(manifest.finished).length} finished instances unchanged; ` +
          `${Object.keys(manifest.parked).length} parked instances finished in ${((finished - opened) / 1000).toFixed(1)} s, ${Object.keys(ledger).length + Object.keys(walletLedger).length + 1} balances exact`,
      );
    },
    envNumber('RELIABILITY_TIMEOUT_MS', 180_000),
  );
});
