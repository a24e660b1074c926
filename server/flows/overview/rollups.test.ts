import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../store/db.js';
import { reopenableStore } from '../../test/database.js';
import { eventually, startTestServer } from '../../test/harness.js';
import { Rollups } from './rollups.js';
import { WINDOW_KEYS, windowAt } from './windows.js';

// The rollups' windowed figures (ended per outcome, failures per reason, durations) are exact:
// each read equals the same figure computed from the instances themselves, whatever the reader
// kept of closed buckets (rollups.ts `endKeyed`), before and after compactions, after late
// writes into closed buckets, a workflow deletion, a restart, and while runs end concurrently.

const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The figures of every window, from the rollups. */
async function fromRollups(rollups: Rollups, now: Date) {
  const out: Record<string, unknown> = {};
  for (const key of WINDOW_KEYS) {
    const w = windowAt(key, now);
    const ended = await rollups.endedByOutcome(w.grain, w.from, w.to);
    out[key] = {
      ended: Object.fromEntries([...ended].filter(([, n]) => n !== 0).sort()),
      failures: sorted(
        (await rollups.failures(w.grain, w.from, w.to)).map((r) => ({
          reason: r.reason,
          workflow: r.workflow_id,
          n: r.n,
          first: r.first_at.toISOString(),
          last: r.last_at.toISOString(),
          example: r.last_instance,
        })),
      ),
      durations: sorted((await rollups.durations(w.grain, w.from, w.to)).map((r) => ({ workflow: r.workflow_id, bin: r.bin, n: r.n }))),
    };
  }
  return out;
}

/** The same figures computed from the instances of workflows not deleted. */
async function fromInstances(db: Db, now: Date) {
  const out: Record<string, unknown> = {};
  for (const key of WINDOW_KEYS) {
    const w = windowAt(key, now);
    const ended = `from instances i join workflows wf on wf.id = i.workflow_id
      where wf.deleted_at is null and i.terminated and i.terminated_at >= $1 and i.terminated_at < $2`;
    const byOutcome = await db.query<{ o: number; n: number }>(`select flows_outcome(i.terminated, i.error) as o, count(*)::int as n ${ended} group by 1`, [
      w.from,
      w.to,
    ]);
    const failures = await db.query<{ reason: string; workflow: string; n: number; first: Date; last: Date; example: string; latest: string[] }>(
      `select g.*, (select array_agg(j.id) from instances j
                    where j.workflow_id = g.workflow and j.error_reason = g.reason and j.terminated_at = g.last) as latest
       from (select i.error_reason as reason, i.workflow_id as workflow, count(*)::int as n, min(i.terminated_at) as first, max(i.terminated_at) as last,
                    (array_agg(i.id order by i.terminated_at desc))[1] as example
             ${ended} and i.error_reason is not null group by 1, 2) g`,
      [w.from, w.to],
    );
    const durations = await db.query<{ workflow: string; bin: number; n: number }>(
      `select i.workflow_id as workflow, flows_duration_bin(i.terminated_at - i.created_at) as bin, count(*)::int as n
       ${ended} and flows_outcome(i.terminated, i.error) = 1 group by 1, 2`,
      [w.from, w.to],
    );
    out[key] = {
      ended: Object.fromEntries(byOutcome.map((r) => [r.o, r.n]).sort()),
      failures: sorted(failures.map((r) => ({ ...r, first: new Date(r.first).toISOString(), last: new Date(r.last).toISOString() }))),
      durations: sorted(durations),
    };
  }
  return out;
}

/**
 * The rollups' figures equal the instances'. A group's example may be any of the instances that
 * ended last: runs ending at once can share that instant (to the millisecond), and which of them
 * stands as the example is not part of the answer.
 */
async function expectSameFigures(rollups: () => Promise<Record<string, unknown>>, instances: () => Promise<Record<string, unknown>>) {
  type Figures = Record<string, { failures: { example: string; latest?: string[] }[] }>;
  const r = (await rollups()) as Figures;
  const i = (await instances()) as Figures;
  for (const key of Object.keys(i)) {
    i[key]!.failures.forEach((f, n) => {
      const mine = r[key]?.failures[n];
      if (mine && f.latest?.includes(mine.example)) mine.example = f.example;
      delete f.latest;
    });
  }
  expect(r).toEqual(i);
}

/**
 * Instances `k` in [from, to) of workflows `wf-0`…`wf-4`, ended `ago(k)` before now with
 * distinct end times: succeeded, failed (two reasons, numbers masked), aborted, or running.
 */
async function seed(db: Db, from: number, to: number, ago: string, prefix = 'in') {
  await db.query(
    `insert into instances (id, workflow_id, variables, created_at, updated_at, terminated, terminated_at, error, current_stage)
     select '${prefix}-' || k, 'wf-' || (k % 5), '{}'::jsonb, t - make_interval(secs => 1 + (k % 40)), t, (k % 7) <> 6,
            case when (k % 7) <> 6 then t end,
            case (k % 7) when 1 then 'account users:' || k || ' had insufficient funds' when 2 then 'wallet ' || k || ' not found' when 3 then 'canceled' end,
            0
     from generate_series(${from}, ${to - 1}) k, lateral (select date_trunc('second', now()) - ${ago} - k * interval '1 millisecond' as t) c`,
  );
}

describe('overview rollups: exact windowed figures', () => {
  let store: Awaited<ReturnType<typeof reopenableStore>>;
  let db: Db;
  let rollups: Rollups;
  const check = async () => {
    const now = new Date();
    await expectSameFigures(
      () => fromRollups(rollups, now),
      () => fromInstances(db, now),
    );
  };

  beforeAll(async () => {
    store = await reopenableStore('flows-rollups');
    db = await store.open();
    await db.query(`insert into workflows (id, name, config, created_at, updated_at)
      select 'wf-' || k, 'wf-' || k, '{"stages":[]}'::jsonb, now() - interval '40 days', now() - interval '40 days' from generate_series(0, 4) k`);
    // spread over 30 days: every window has closed days, hours and 5-minute buckets
    for (let d = 0; d < 30; d++) await seed(db, d * 20, d * 20 + 20, `interval '${d} days ${d % 24} hours ${(d * 7) % 60} minutes'`);
    rollups = new Rollups(db);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await store?.remove();
  });

  it('equals the instances before a compaction, after one, and read again from what it kept', async () => {
    await check();
    expect(await rollups.compact()).toBeGreaterThan(0);
    await check();
    await check();
  });

  it('sees a late write into a closed bucket, before and after it is folded', async () => {
    await check(); // closed segments kept
    // ended in buckets long over (a commit after the bucket's end), and in the current one
    await seed(db, 1000, 1040, `interval '3 days 5 hours'`, 'late');
    await seed(db, 1040, 1060, `interval '20 minutes'`, 'late');
    await seed(db, 1060, 1070, `interval '0 seconds'`, 'late');
    await check();
    expect(await rollups.compact()).toBeGreaterThan(0);
    await check();
  });

  it('leaves a deleted workflow out, before and after the fold', async () => {
    await check();
    await db.query(`update workflows set deleted_at = now() where id = 'wf-3'`);
    await check();
    await rollups.compact();
    await check();
  });

  it('answers the same after a restart, and keeps being exact after it', async () => {
    const now = new Date();
    const before = await fromRollups(rollups, now);
    await db.close();
    db = await store.open();
    rollups = new Rollups(db);
    expect(await fromRollups(rollups, now)).toEqual(before);
    await seed(db, 2000, 2030, `interval '12 days 3 hours'`, 'after');
    await check();
    await rollups.compact();
    await check();
  });

  // PGlite has no autovacuum: without the rollups' own vacuum, every compaction's deleted deltas
  // stay as dead pages that each later read of the deltas and compaction scans again. (Last: its
  // deltas count starts of no instance.)
  it.skipIf(!!process.env.TEST_DATABASE_URL)('leaves no dead pages in overview_deltas across compactions (PGlite)', async () => {
    const running = await rollups.running();
    const rounds = 6;
    for (let i = 0; i < rounds; i++) {
      await db.query(
        `insert into overview_deltas (metric, bucket, outcome, n)
         select 1 + (g % 4), now() - g * interval '1 minute', g % 4, 1 from generate_series(1, 200) g`,
      );
      expect(await rollups.compact()).toBeGreaterThanOrEqual(200);
    }
    // Without the vacuum: a dozen pages of dead rows here, and more with every compaction.
    const [size] = await db.query<{ pages: number }>(`select (pg_relation_size('overview_deltas') / 8192)::int as pages`);
    expect(size!.pages).toBeLessThanOrEqual(1);
    // running() still counts every start that has not ended (metric 1, outcome 0: g ≡ 0 mod 4).
    expect(await rollups.running()).toBe(running + rounds * 50);
  });
});

describe('overview rollups: runs ending concurrently', () => {
  it('equal the instances after runs started at once end while the overview reads and compacts', async () => {
    const server = await startTestServer();
    try {
      const v2 = '/api/orchestration/v2';
      const create = async (name: string, stages: unknown[]) => (await server.api.post(`${v2}/workflows`, { name, stages })).body.data.id as string;
      const ok = await create('conc-ok', [{ noop: {} }, { noop: {} }]);
      const bad = await create('conc-bad', [
        { send: { source: { account: { id: 'world' } }, destination: { account: { id: 'a:1' } }, amount: { asset: 'USD/2', amount: '${x}' } } },
      ]);
      const rollups = server.ctx.flows.overview.rollups;
      const started = await Promise.all(
        Array.from({ length: 24 }, (_, k) => server.api.post(`${v2}/workflows/${k % 3 === 0 ? bad : ok}/instances`, k % 3 === 0 ? { x: `${k}.5` } : {})),
      );
      expect(started.every((r) => r.status === 201)).toBe(true);
      const reads: Promise<unknown>[] = [];
      await eventually(async () => {
        reads.push(fromRollups(rollups, new Date()), rollups.compact());
        const [{ n }] = await server.ctx.db.query<{ n: number }>(`select count(*)::int as n from instances where not terminated`);
        return n === 0 ? true : undefined;
      }, 30_000);
      await Promise.all(reads);
      const now = new Date();
      await expectSameFigures(
        () => fromRollups(rollups, now),
        () => fromInstances(server.ctx.db, now),
      );
      await rollups.compact();
      await expectSameFigures(
        () => fromRollups(rollups, now),
        () => fromInstances(server.ctx.db, now),
      );
    } finally {
      await server.close();
    }
  }, 60_000);
});
