import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../store/db.js';
import { prng } from '../../reliability/support.js';
import { reopenableStore } from '../../test/database.js';
import { instanceFilterSql, type InstanceFilters } from '../instance-list.js';
import { EXAMPLES, liveFigures, type LiveThresholds } from './live.js';

// The live figures (waiting, delayed, retrying and their thresholds) read `overview_live`, which
// statement triggers keep in step with every write (migration 010_overview_live). Property style:
// random writes to instances, stages, activities, tasks and workflows — in random orders, several
// per transaction, some rolled back — and after each round every figure equals the count of the
// instance list's own filter, and its examples the rows a plain query picks; also after a restart,
// and (on PostgreSQL) with two connections writing the same instances at once.

/** The reliability tests' seeded generator, `int(n)` in [0, n): a failure can be replayed. */
function random(seed: number) {
  const r = prng(seed);
  return { ...r, int: (n: number) => r.int(0, n - 1) };
}
type Random = ReturnType<typeof random>;

const WORKFLOWS = 4;
const INSTANCES = 40;
const BASE = Date.parse('2026-06-01T00:00:00Z');
/** An instant within ±10 days of BASE, on whole minutes (thresholds fall between and on them). */
const instant = (r: Random) => new Date(BASE + (r.int(28_800) - 14_400) * 60_000).toISOString();
const RUN_NAMES = ['RunNoop', 'RunDelay', 'RunWaitEvent', 'RunSend', null] as const;

/** One random write (what the engine, an abort or a deletion may write, in no set order). */
async function randomWrite(tx: Queryable, r: Random): Promise<void> {
  const id = `in-${r.int(INSTANCES)}`;
  const stage = r.int(4);
  switch (r.int(9)) {
    case 0:
      await tx.query(
        `insert into instances (id, workflow_id, created_at, updated_at, terminated, current_stage, waiting_event)
         values ($1, $2, $3, $3, $4, $5, $6) on conflict (id) do nothing`,
        [id, `wf-${r.int(WORKFLOWS)}`, instant(r), r.int(6) === 0, r.int(5) - 1, r.int(2) ? 'go' : null],
      );
      return;
    case 1:
      await tx.query(`update instances set current_stage = $2 where id = $1`, [id, r.int(5) - 1]);
      return;
    case 2:
      await tx.query(`update instances set waiting_event = $2 where id = $1`, [id, r.int(2) ? 'go' : null]);
      return;
    case 3:
      await tx.query(`update instances set terminated = $2, terminated_at = case when $2 then now() end where id = $1`, [id, r.int(4) === 0]);
      return;
    case 4:
      await tx.query(
        `insert into stages (instance_id, stage, started_at, terminated_at, run_name)
         select $1, $2, $3, $4, $5 where exists (select 1 from instances where id = $1)
         on conflict (instance_id, stage) do update set started_at = excluded.started_at, terminated_at = excluded.terminated_at, run_name = excluded.run_name`,
        [id, stage, instant(r), r.int(2) ? instant(r) : null, r.pick(RUN_NAMES)],
      );
      return;
    case 5:
      await tx.query(`update stages set terminated_at = $3 where instance_id = $1 and stage = $2`, [id, stage, r.int(2) ? instant(r) : null]);
      return;
    case 6: {
      const retrying = r.int(3) > 0;
      await tx.query(
        `insert into activities (instance_id, stage, seq, name, input, terminated, started_at, attempt, next_execution)
         values ($1, $2, $3, 'CreateTransaction', '{}', $4, $5, $6, $7)
         on conflict (instance_id, stage, seq) do update set terminated = excluded.terminated, attempt = excluded.attempt, next_execution = excluded.next_execution`,
        [id, stage, r.int(2), !retrying && r.int(2) === 0, instant(r), 1 + r.int(8), retrying ? instant(r) : null],
      );
      return;
    }
    case 7:
      if (r.int(3) === 0) await tx.query(`delete from tasks where instance_id = $1`, [id]);
      else
        await tx.query(
          `insert into tasks (instance_id, run_at) select $1, $2 where exists (select 1 from instances where id = $1)
           on conflict (instance_id) do update set run_at = excluded.run_at`,
          [id, instant(r)],
        );
      return;
    case 8:
      if (r.int(8) === 0) await tx.query(`update workflows set deleted_at = now() where id = $1 and deleted_at is null`, [`wf-${r.int(WORKFLOWS)}`]);
      else await tx.query(`update tasks set lease_owner = 'x', lease_until = now() where instance_id = $1`, [id]);
      return;
  }
}

/** A few transactions of a few random writes each; some roll back. */
async function randomRound(db: Db, r: Random, transactions: number): Promise<void> {
  for (let t = 0; t < transactions; t++) {
    const rollback = r.int(6) === 0;
    await db
      .transaction(async (tx) => {
        for (let w = 1 + r.int(5); w > 0; w--) await randomWrite(tx, r);
        if (rollback) throw new Error('rolled back on purpose');
      })
      .catch((err: Error) => {
        if (!rollback) throw err;
      });
  }
}

/** The figures as the instance list counts them, and examples as a plain query picks them. */
async function fromTheList(db: Queryable, t: LiveThresholds) {
  const pick = async (f: InstanceFilters, columns: string, join: string, order: string) => {
    const params: unknown[] = [];
    const where = await instanceFilterSql(db, f, params);
    const from = `from instances i join workflows w on w.id = i.workflow_id ${join} where ${where}`;
    const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n from instances i join workflows w on w.id = i.workflow_id where ${where}`, params);
    const rows = await db.query<{ id: string }>(`select i.id, ${columns} ${from} order by ${order}, i.seq limit ${EXAMPLES}`, params);
    return { count: n, examples: rows.map((x) => x.id) };
  };
  return {
    waiting: await pick(
      { state: 'waiting', ...(t.waitingSince ? { stageStartedBefore: t.waitingSince } : {}) },
      's.started_at',
      'join stages s on s.instance_id = i.id and s.stage = i.current_stage',
      's.started_at',
    ),
    retrying: await pick(
      { state: 'retrying', ...(t.minRetries !== undefined ? { minRetries: t.minRetries } : {}) },
      'a.attempt',
      `cross join lateral (select max(a.attempt) as attempt from activities a
         where a.instance_id = i.id and a.stage = i.current_stage and not a.terminated and a.next_execution is not null) a`,
      'a.attempt desc',
    ),
    delayed: await pick(
      { state: 'delayed', ...(t.resumesAfter ? { resumesAfter: t.resumesAfter } : {}) },
      't.run_at',
      'join tasks t on t.instance_id = i.id',
      't.run_at desc',
    ),
  };
}

async function fromTheOverview(db: Queryable, t: LiveThresholds) {
  const live = await liveFigures(db, t);
  const ids = (f: { count: number; examples: { instanceID: string }[] }) => ({ count: f.count, examples: f.examples.map((e) => e.instanceID) });
  return { waiting: ids(live.waiting), retrying: ids(live.retrying), delayed: ids(live.delayed) };
}

/** Every figure, without and with random thresholds, equals the list's. */
async function expectSameAsTheList(db: Queryable, r: Random): Promise<number> {
  const cases: LiveThresholds[] = [{}, { waitingSince: instant(r), minRetries: 1 + r.int(8), resumesAfter: instant(r) }, { minRetries: 0 }];
  let seen = 0;
  for (const t of cases) {
    const list = await fromTheList(db, t);
    expect(await fromTheOverview(db, t), JSON.stringify(t)).toEqual(list);
    seen += list.waiting.count + list.retrying.count + list.delayed.count;
  }
  return seen;
}

describe('overview live figures: equal to the instance list on random states', () => {
  let store: Awaited<ReturnType<typeof reopenableStore>>;
  let db: Db;

  beforeAll(async () => {
    store = await reopenableStore('flows-live');
    db = await store.open();
    await db.query(`insert into workflows (id, name, config, created_at, updated_at)
      select 'wf-' || k, 'wf-' || k, '{"stages":[]}'::jsonb, now(), now() from generate_series(0, ${WORKFLOWS - 1}) k`);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await store?.remove();
  });

  it('after every round of random writes, and after a restart', async () => {
    const r = random(18);
    let seen = 0;
    for (let round = 0; round < 25; round++) {
      await randomRound(db, r, 8);
      seen += await expectSameAsTheList(db, r);
    }
    expect(seen).toBeGreaterThan(0); // the rounds did reach live states
    await db.close();
    db = await store.open();
    await expectSameAsTheList(db, r);
    await randomRound(db, r, 8);
    await expectSameAsTheList(db, r);
  }, 120_000);

  it('with two connections writing the same instances at once (PostgreSQL)', async () => {
    if (!store.postgres) return; // PGlite has one connection: its transactions never overlap
    const other = await store.open();
    try {
      const r = random(1818);
      for (let round = 0; round < 10; round++) {
        // overlapping transactions; one may lose a deadlock and roll back, as in production
        await Promise.all([randomRound(db, random(r.int(1e9)), 6), randomRound(other, random(r.int(1e9)), 6)].map((p) => p.catch(() => undefined)));
        await expectSameAsTheList(db, r);
      }
    } finally {
      await other.close();
    }
  }, 120_000);
});
