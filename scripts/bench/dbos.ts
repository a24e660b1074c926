// The DBOS Transact peer (a worker process of scripts/bench/run.ts): N workflows of 5 durable
// steps each (every step's completion is checkpointed in PostgreSQL before the next step runs),
// started by 64 concurrent callers in this process, timed until every result is in.
// DBOS's defaults (system database pool of 10 connections, like our pg adapter's).
import { DBOS } from '@dbos-inc/dbos-sdk';
import { pool, writeResult } from './lib.js';

const n = Number(process.env.BENCH_N ?? 1000);
const steps = Number(process.env.BENCH_STAGES ?? 5);
const url = process.env.BENCH_DB_URL;
if (!url) throw new Error('BENCH_DB_URL: the PostgreSQL database DBOS uses as its system database');

DBOS.setConfig({ name: 'flows-bench', systemDatabaseUrl: url, logLevel: 'error' });

async function noop(): Promise<void> {}
async function fiveSteps(): Promise<number> {
  for (let i = 0; i < steps; i++) await DBOS.runStep(noop, { name: `stage${i}` });
  return steps;
}
const workflow = DBOS.registerWorkflow(fiveSteps, { name: 'fiveSteps' });

await DBOS.launch();
// Warm-up (connections, prepared paths), not timed.
await (await DBOS.startWorkflow(workflow)()).getResult();

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const results: Promise<number>[] = [];
await pool(n, 64, async () => {
  const handle = await DBOS.startWorkflow(workflow)();
  results.push(handle.getResult());
});
const done = await Promise.all(results);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
if (done.length !== n || done.some((r) => r !== steps)) throw new Error(`DBOS: expected ${n} results of ${steps}`);
await DBOS.shutdown();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
writeResult({ instances: n, stages: steps, seconds, stagesPerSec: (n * steps) / seconds, cpuSeconds, cpuMsPerStage: (cpuSeconds * 1000) / (n * steps) });
// Nothing else to wait for (a library's idle timers must not hold the bench up).
process.exit(0);
