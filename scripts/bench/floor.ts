// The FLOOR of the throughput figure (a worker process of scripts/bench/run.ts): the same database
// transactions writing the same rows as the engine does for N instances of a 5-stage noop
// workflow — instance + task + STARTED_WORKFLOW; a lease on the task; then one transaction per
// stage transition (stage rows, stage events, instance updates), the last one terminating the
// instance and deleting its task — with no engine logic: no HTTP, no reads, no guards, no
// resolution of stages. Each transaction is written the cheapest way we know, as ONE statement
// (data-modifying CTEs: one round trip, atomic, committed on its own). Same store adapter and
// migrations as the server, 64 instances in flight (the engine's concurrency).
//
// BENCH_FLOOR_BATCH=B (> 1): the BATCHED floor — the same rows, but B instances per statement
// (B creations in one, B leases in one, then each transition of B instances in one): the best
// the database can do with the group commit the engine uses (one transaction per batch).
import { randomUUID } from 'node:crypto';
import { json } from '../../server/store/db.js';
import { openStore } from '../../server/store/open.js';
import { pool, writeResult } from './lib.js';

const n = Number(process.env.BENCH_N ?? 1000);
const stages = Number(process.env.BENCH_STAGES ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const databaseUrl = process.env.BENCH_DB_URL || undefined;
const dataDir = process.env.BENCH_DATA_DIR ?? 'memory';
const batch = Number(process.env.BENCH_FLOOR_BATCH ?? 1);

const { db } = await openStore({ databaseUrl, dataDir });
const wfId = randomUUID();
const now0 = new Date();
await db.query(`insert into workflows (id, name, config, created_at, updated_at) values ($1, 'floor', $2::jsonb, $3, $3)`, [
  wfId,
  json({ name: 'floor', stages: Array.from({ length: stages }, () => ({ noop: {} })) }),
  now0,
]);

const ev = (type: string, payload: string) => `insert into events (app, version, type, payload, date, idempotency_key) values ('orchestration', 'v2', '${type}', ${payload}::jsonb, $3, '')`;
let transactions = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
if (batch > 1) {
  const evs = (rows: string) => `insert into events (app, version, type, payload, date, idempotency_key)
    select 'orchestration', 'v2', e.type, e.payload, $3, '' from (${rows}) e`;
  const payload = (extra = '') => `jsonb_build_object('id', $2::text, 'instanceID', id${extra})`;
  for (let start = 0; start < n; start += batch) {
    const ids = Array.from({ length: Math.min(batch, n - start) }, () => randomUUID());
    await db.query(
      `with ids as (select unnest($1::text[]) as id),
         i as (insert into instances (id, workflow_id, variables, created_at, updated_at) select id, $2, '{}'::jsonb, $3, $3 from ids),
         t as (insert into tasks (instance_id, run_at) select id, $3 from ids)
       ${evs(`select 'STARTED_WORKFLOW' as type, ${payload()} as payload from ids`)}`,
      [ids, wfId, new Date()],
    );
    await db.query(`update tasks set lease_owner = 'floor', lease_until = $2 where instance_id = any($1::text[])`, [ids, new Date(Date.now() + 30_000)]);
    transactions += 2;
    for (let s = 0; s <= stages; s++) {
      const params = [ids, wfId, new Date(), s];
      const done = `select 'SUCCEEDED_WORKFLOW_STAGE' as type, ${payload(", 'number', $4::int - 1")} as payload, id, 1 as k from ids`;
      if (s === 0) {
        await db.query(
          `with ids as (select unnest($1::text[]) as id),
             i as (update instances set current_stage = $4, updated_at = $3 where id in (select id from ids)),
             e as (${evs(`select 'STARTED_WORKFLOW_STAGE' as type, ${payload(", 'number', $4::int")} as payload from ids`)})
           insert into stages (instance_id, stage, started_at, run_name, input) select id, $4, $3, 'RunNoop', '{}'::jsonb from ids`,
          params,
        );
      } else if (s < stages) {
        await db.query(
          `with ids as (select unnest($1::text[]) as id),
             i as (update instances set current_stage = $4, updated_at = $3 where id in (select id from ids)),
             d as (update stages set terminated_at = $3 where instance_id in (select id from ids) and stage = $4 - 1),
             e as (${evs(`select type, payload from (${done} union all select 'STARTED_WORKFLOW_STAGE', ${payload(", 'number', $4::int")}, id, 2 from ids) x order by id, k`)})
           insert into stages (instance_id, stage, started_at, run_name, input) select id, $4, $3, 'RunNoop', '{}'::jsonb from ids`,
          params,
        );
      } else {
        await db.query(
          `with ids as (select unnest($1::text[]) as id),
             i as (update instances set terminated = true, terminated_at = $3, updated_at = $3 where id in (select id from ids)),
             d as (update stages set terminated_at = $3 where instance_id in (select id from ids) and stage = $4 - 1),
             t as (delete from tasks where instance_id in (select id from ids))
           ${evs(`select type, payload from (${done} union all select 'SUCCEEDED_WORKFLOW', ${payload()}, id, 2 from ids) x order by id, k`)}`,
          params,
        );
      }
      transactions++;
    }
  }
} else await pool(n, concurrency, async () => {
  const id = randomUUID();
  const payload = json({ id: wfId, instanceID: id });
  await db.query(
    `with i as (insert into instances (id, workflow_id, variables, created_at, updated_at) values ($1, $2, '{}'::jsonb, $3, $3)),
       t as (insert into tasks (instance_id, run_at) values ($1, $3))
     ${ev('STARTED_WORKFLOW', '$4')}`,
    [id, wfId, new Date(), payload],
  );
  await db.query(`update tasks set lease_owner = $2, lease_until = $3 where instance_id = $1`, [id, 'floor', new Date(Date.now() + 30_000)]);
  transactions += 2;
  for (let s = 0; s <= stages; s++) {
    const now = new Date();
    const done = json({ id: wfId, instanceID: id, number: s - 1 });
    const started = json({ id: wfId, instanceID: id, number: s });
    if (s === 0) {
      await db.query(
        `with i as (update instances set current_stage = $2, updated_at = $3 where id = $1),
           e as (${ev('STARTED_WORKFLOW_STAGE', '$4')})
         insert into stages (instance_id, stage, started_at, run_name, input) values ($1, $2, $3, 'RunNoop', '{}'::jsonb)`,
        [id, s, now, started],
      );
    } else if (s < stages) {
      await db.query(
        `with i as (update instances set current_stage = $2, updated_at = $3 where id = $1),
           d as (update stages set terminated_at = $3 where instance_id = $1 and stage = $2 - 1),
           e as (insert into events (app, version, type, payload, date, idempotency_key)
                 values ('orchestration', 'v2', 'SUCCEEDED_WORKFLOW_STAGE', $4::jsonb, $3, ''), ('orchestration', 'v2', 'STARTED_WORKFLOW_STAGE', $5::jsonb, $3, ''))
         insert into stages (instance_id, stage, started_at, run_name, input) values ($1, $2, $3, 'RunNoop', '{}'::jsonb)`,
        [id, s, now, done, started],
      );
    } else {
      await db.query(
        `with i as (update instances set terminated = true, terminated_at = $3, updated_at = $3 where id = $1),
           d as (update stages set terminated_at = $3 where instance_id = $1 and stage = $2 - 1),
           t as (delete from tasks where instance_id = $1)
         insert into events (app, version, type, payload, date, idempotency_key)
         values ('orchestration', 'v2', 'SUCCEEDED_WORKFLOW_STAGE', $4::jsonb, $3, ''), ('orchestration', 'v2', 'SUCCEEDED_WORKFLOW', $5::jsonb, $3, '')`,
        [id, s, now, done, payload],
      );
    }
    transactions++;
  }
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const [{ c }] = await db.query<{ c: number }>(`select count(*)::int as c from instances where terminated and workflow_id = $1`, [wfId]);
if (c !== n) throw new Error(`floor: expected ${n} terminated instances, got ${c}`);
await db.close();
writeResult({ batch, instances: n, stages, seconds, stagesPerSec: (n * stages) / seconds, transactions, cpuSeconds, cpuMsPerStage: (cpuSeconds * 1000) / (n * stages) });
// Nothing else to wait for (a library's idle timers must not hold the bench up).
process.exit(0);
