// Our engine in-process (a worker process of scripts/bench/run.ts), for the side-by-side with
// DBOS: the server is started in this process (startServer, as the tests do) on the given
// database, N instances of a 5-stage noop workflow are started through the service layer
// (flows.instances.run, what the HTTP handler calls) by 64 concurrent callers, and the run is
// timed until every instance terminated (end = the latest terminated_at).
import { configFromEnv } from '../../server/config.js';
import { startServer } from '../../server/server.js';
import { pool, sleep, writeResult } from './lib.js';

const n = Number(process.env.BENCH_N ?? 1000);
const stages = Number(process.env.BENCH_STAGES ?? 5);
const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', SEED: 'false', QUIET: 'true' };
if (process.env.BENCH_DB_URL) env.DATABASE_URL = process.env.BENCH_DB_URL;
else env.DATA_DIR = process.env.BENCH_DATA_DIR ?? 'memory';

const server = await startServer(configFromEnv(env));
const { flows, db } = server.ctx;
const wf = await flows.workflows.create({ name: 'bench-noop', stages: Array.from({ length: stages }, () => ({ noop: {} })) });
// Warm-up, not timed.
await flows.instances.run(wf.id, {}, { wait: true });

const cpu0 = process.cpuUsage();
const wall0 = Date.now();
await pool(n, 64, async () => {
  await flows.instances.run(wf.id, {});
});
for (;;) {
  const [{ c }] = await db.query<{ c: number }>(`select count(*)::int as c from instances where not terminated`);
  if (c === 0) break;
  await sleep(20);
}
const cpu = process.cpuUsage(cpu0);
const [row] = await db.query<{ last: Date; ok: number; stages: number }>(
  `select max(terminated_at) as last, count(*) filter (where error is null)::int as ok,
     (select count(*)::int from stages where terminated_at is not null and error is null) as stages
   from instances where workflow_id = $1`,
  [wf.id],
);
if (row.ok !== n + 1 || row.stages !== (n + 1) * stages) throw new Error(`engine: expected ${n + 1} succeeded instances and ${(n + 1) * stages} stages, got ${row.ok} and ${row.stages}`);
const seconds = (new Date(row.last).getTime() - wall0) / 1000;
await server.close();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
writeResult({ instances: n, stages, seconds, stagesPerSec: (n * stages) / seconds, cpuSeconds, cpuMsPerStage: (cpuSeconds * 1000) / (n * stages) });
// Nothing else to wait for (a library's idle timers must not hold the bench up).
process.exit(0);
