// Engine throughput through the HTTP API: a server child process (the `npm start` bundle), N
// instances of a 5-stage `noop` workflow posted by concurrent clients, timed until none runs.
import { Client, cpuSeconds, createDatabase, pgliteDataDir, pool, progress, rssMb, sleep, spawnServer } from './lib.js';

export const STAGES = 5;
/** concurrent HTTP clients posting the instances */
export const CLIENTS = 64;
/** instances run before the timed ones (not counted) */
const WARMUP = 20;

export interface ThroughputRun {
  instances: number;
  stages: number;
  seconds: number;
  /** stage executions per second (instances × stages / seconds) */
  stagesPerSec: number;
  /** time spent posting the N instances (part of `seconds`) */
  postSeconds: number;
  /** CPU seconds the server process used during the run (robust on a busy machine) */
  serverCpuSeconds: number;
  /** server CPU milliseconds per stage execution */
  cpuMsPerStage: number;
  rssIdleMb: number;
  rssEndMb: number;
  rssPeakMb: number;
}

export type Backend = { kind: 'pglite' } | { kind: 'postgres'; adminUrl: string };

export function workflowBody(name: string) {
  return { name, stages: Array.from({ length: STAGES }, () => ({ noop: {} })) };
}

/** `dataDir`: run on this (existing) PGlite dir instead of a new temp one. */
export async function throughputHttp(n: number, backend: Backend, label: string, opts: { dataDir?: string } = {}): Promise<ThroughputRun> {
  const data = backend.kind === 'pglite' && !opts.dataDir ? await pgliteDataDir('data') : null;
  const database = backend.kind === 'postgres' ? await createDatabase(backend.adminUrl, 'bench') : null;
  const env: Record<string, string> = database ? { DATABASE_URL: database.url } : { DATA_DIR: opts.dataDir ?? data!.dir };
  const server = await spawnServer(env);
  const client = new Client(server.url, CLIENTS);
  try {
    const wf = (await client.json('POST', '/api/orchestration/v2/workflows', workflowBody('bench-noop'))).data;
    await sleep(300); // settle: idle RSS after start-up work
    const idle = rssMb(server.pid);
    // Warm-up (JIT, first plans), not timed: every point of the curve measures the steady state.
    await pool(WARMUP, WARMUP, () => client.json('POST', `/api/orchestration/v2/workflows/${wf.id}/instances`, {}));
    while ((await client.json('GET', '/api/orchestration/v2/instances?running=true&pageSize=1')).cursor.data.length > 0) await sleep(20);
    let posted = 0;
    const cpu0 = cpuSeconds(server.pid);
    const wall0 = Date.now();
    const t0 = performance.now();
    const ticker = setInterval(() => progress(`${label}: ${posted}/${n} posted`), 5000);
    await pool(n, CLIENTS, async () => {
      await client.json('POST', `/api/orchestration/v2/workflows/${wf.id}/instances`, {});
      posted++;
    });
    const tPosted = performance.now();
    clearInterval(ticker);
    let lastReport = performance.now();
    for (;;) {
      const page = await client.json('GET', '/api/orchestration/v2/instances?running=true&pageSize=1');
      if (page.cursor.data.length === 0) break;
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        progress(`${label}: all posted, still running…`);
      }
      // The end time is taken from the instances (latest terminatedAt), so polling can be sparse.
      await sleep(Math.min(200, Math.max(10, (performance.now() - tPosted) / 50)));
    }
    const cpu = cpuSeconds(server.pid) - cpu0;
    const end = rssMb(server.pid);
    const lastEnd = await verifyAllSucceeded(client, n);
    const seconds = (lastEnd - wall0) / 1000;
    return {
      instances: n,
      stages: STAGES,
      seconds,
      stagesPerSec: (n * STAGES) / seconds,
      postSeconds: (tPosted - t0) / 1000,
      serverCpuSeconds: cpu,
      cpuMsPerStage: (cpu * 1000) / (n * STAGES),
      rssIdleMb: idle.rss,
      rssEndMb: end.rss,
      rssPeakMb: end.peak,
    };
  } catch (err) {
    console.error(server.output());
    throw err;
  } finally {
    client.close();
    await server.stop();
    data?.remove();
    await database?.drop();
  }
}

/**
 * Pages through every instance: each must be terminated, without error, with all stages run.
 * Returns the latest `terminatedAt` (epoch ms).
 */
async function verifyAllSucceeded(client: Client, n: number): Promise<number> {
  let lastEnd = 0;
  let cursor: string | undefined;
  let count = 0;
  const sample: string[] = [];
  for (;;) {
    const q = cursor ? `cursor=${cursor}` : 'pageSize=100';
    const page = (await client.json('GET', `/api/orchestration/v2/instances?${q}`)).cursor;
    for (const i of page.data) {
      count++;
      if (count % 997 === 1) sample.push(i.id);
      if (!i.terminated || i.error) throw new Error(`instance ${i.id} did not succeed: ${JSON.stringify(i).slice(0, 300)}`);
      lastEnd = Math.max(lastEnd, Date.parse(i.terminatedAt));
    }
    if (!page.hasMore) break;
    cursor = page.next;
  }
  if (count !== n + WARMUP) throw new Error(`expected ${n + WARMUP} instances, found ${count}`);
  // spot check: every stage ran and ended
  for (const id of sample) {
    const inst = (await client.json('GET', `/api/orchestration/v2/instances/${id}`)).data;
    const ok = inst.status?.length === STAGES && inst.status.every((s: any) => s.terminatedAt && !s.error);
    if (!ok) throw new Error(`instance ${id}: expected ${STAGES} succeeded stages, got ${JSON.stringify(inst.status)}`);
  }
  return lastEnd;
}
