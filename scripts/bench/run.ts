// `npm run bench` (scripts/bench.mjs runs this file with tsx): every figure of the performance
// issue, one line each, medians of BENCH_RUNS runs (3), written to bench/results.json (quick or
// partial runs: bench/partial.json).
//   BENCH_RUNS=5        runs per figure that is a median
//   BENCH_QUICK=1       ~1 minute smoke version (small sizes, 1 run)
//   BENCH_ONLY=a,b      only these sections: throughput, peer, money, latency, scaling, start, simulation, console, package
//   BENCH_SERVER_BUNDLE=path   measure another server bundle (A/B against a build of another commit)
//   BENCH_LATENCY=overview     the latency section times the overview's endpoints only
//   BENCH_LATENCY=search       the latency section times the variables search only
//   BENCH_REQUESTS=n           requests per latency row (1000; 100 when quick)
import * as esbuild from 'esbuild';
import { serverBuildOptions } from '../lib/build.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_BUNDLE, Client, cpuSeconds, createDatabase, figureLine, median, percentile, pgliteDataDir, progress, ROOT, round, rssMb, runWorker, sleep, spawnServer, tempDir } from './lib.js';
import { remoteFanout } from './fanout.js';
import { bundleFigures, buildClient, clientStale, firstLoadOnTheWire, instancesList, lighthouse, type LighthouseScores, type ListFigures, type LiveFigures, type ScrollFigures, liveStages } from './console.js';
import { moneyHttp } from './money.js';
import { simulationFigures } from './simulation.js';
import { STAGES, throughputHttp, type Backend, type ThroughputRun } from './throughput.js';

const QUICK = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3)));
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const wanted = (section: string) => ONLY.size === 0 || ONLY.has(section);
const SIZES = QUICK
  ? { throughput: 200, scaling: [50, 200, 1000], money: 100, sizeInstances: 10_000, sizeWorkflows: 100, requests: 100, dryRuns: 50, backtestEvents: 200 }
  : { throughput: 1000, scaling: [100, 1000, 10_000], money: 1000, sizeInstances: 100_000, sizeWorkflows: 1000, requests: 1000, dryRuns: 300, backtestEvents: 1000 };

// ---------------------------------------------------------------- figures

interface Figure {
  id: string;
  label: string;
  value: number;
  unit: string;
  /** every run's value when `value` is a median */
  runs?: number[];
  target?: string;
  pass?: boolean;
  note?: string;
}
const figures: Figure[] = [];
const details: Record<string, unknown> = {};
const notes: string[] = [];

function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  const digits = unit === '×' || unit === 'ratio' ? 2 : Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toFixed(digits);
}
function figure(f: Figure): void {
  figures.push(f);
  const runs = f.runs && f.runs.length > 1 ? `  (runs: ${f.runs.map((r) => fmt(r, f.unit)).join(', ')})` : '';
  const target = f.target ? `  target ${f.target}: ${f.pass ? 'met' : 'MISSED'}` : '';
  const note = f.note ? `  [${f.note}]` : '';
  figureLine(`▶ ${f.label.padEnd(58)} ${fmt(f.value, f.unit).padStart(9)} ${f.unit}${target}${runs}${note}`);
}
function skip(section: string, why: string): void {
  notes.push(`${section}: ${why}`);
  figureLine(`▶ ${section.padEnd(58)} skipped: ${why}`);
}

// ---------------------------------------------------------------- set-up

const started = performance.now();
const load0 = os.loadavg()[0];
figureLine(
  `Flows Console bench — ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Node ${process.versions.node}, ` +
    `${RUNS} run(s) per median${QUICK ? ', QUICK' : ''}; load average at start ${load0.toFixed(1)}`,
);
if (!process.env.BENCH_SERVER_BUNDLE) {
  progress('bundling the server (esbuild, as npm start does)');
  await esbuild.build(serverBuildOptions(BENCH_BUNDLE));
}

let postgres: { url: string; stop(): Promise<void> } | null = null;
const needsPg = wanted('throughput') || wanted('peer');
if (needsPg) {
  const { ensurePostgres, startTempPostgres } = (await import(join(ROOT, 'scripts/lib/postgres.mjs'))) as typeof import('../lib/postgres.mjs');
  const ensured = await ensurePostgres({ maxSeconds: 120 });
  if (ensured.ok) {
    progress('starting a temporary PostgreSQL cluster (127.0.0.1)');
    postgres = await startTempPostgres({ bin: ensured.bin, database: 'postgres_bench' });
  } else {
    notes.push(`PostgreSQL: ${ensured.message}`);
    progress(`no PostgreSQL: ${ensured.message}`);
  }
}
const stopAll = async () => {
  await postgres?.stop().catch(() => {});
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(143)));

interface WorkerRun {
  seconds: number;
  stagesPerSec: number;
  cpuSeconds: number;
  cpuMsPerStage: number;
}

async function onPostgres<T>(prefix: string, fn: (url: string) => Promise<T>): Promise<T> {
  const db = await createDatabase(postgres!.url, prefix);
  try {
    return await fn(db.url);
  } finally {
    await db.drop();
  }
}

// ---------------------------------------------------------------- (a) (b) throughput and floor, (g) idle memory

const throughputRuns: Record<string, ThroughputRun[]> = {};
try {
  if (wanted('throughput')) {
    const n = SIZES.throughput;
    const backends: [string, Backend][] = [['pglite', { kind: 'pglite' }]];
    if (postgres) backends.push(['postgres', { kind: 'postgres', adminUrl: postgres.url }]);
    for (const [name, backend] of backends) {
      const engine: ThroughputRun[] = [];
      const floor: WorkerRun[] = [];
      const batched: WorkerRun[] = [];
      const runFloor = async (extra: Record<string, string>) => {
        if (backend.kind === 'pglite') {
          const data = await pgliteDataDir('floor');
          try {
            return await runWorker<WorkerRun>('floor', { BENCH_N: String(n), BENCH_DATA_DIR: data.dir, ...extra });
          } finally {
            data.remove();
          }
        }
        return onPostgres('floor', (url) => runWorker<WorkerRun>('floor', { BENCH_N: String(n), BENCH_DB_URL: url, ...extra }));
      };
      for (let r = 1; r <= RUNS; r++) {
        progress(`throughput ${name}: run ${r}/${RUNS}, engine — ${n} instances × ${STAGES} noop stages over HTTP`);
        engine.push(await throughputHttp(n, backend, `throughput ${name} ${r}/${RUNS}`));
        progress(`throughput ${name}: run ${r}/${RUNS}, floor — the same transactions without the engine`);
        floor.push(await runFloor({}));
        progress(`throughput ${name}: run ${r}/${RUNS}, batched floor — the same rows, 64 instances per statement`);
        batched.push(await runFloor({ BENCH_FLOOR_BATCH: '64' }));
      }
      throughputRuns[name] = engine;
      const e = median(engine.map((x) => x.stagesPerSec));
      const f = median(floor.map((x) => x.stagesPerSec));
      const ratios = engine.map((x, i) => x.stagesPerSec / floor[i].stagesPerSec);
      const ratio = median(ratios);
      const label = name === 'pglite' ? 'PGlite' : 'PostgreSQL';
      figure({
        id: `throughput.${name}`,
        label: `(a) throughput, ${label}: ${n} × ${STAGES}-stage noop, HTTP`,
        value: e,
        unit: 'stage exec/s',
        runs: engine.map((x) => x.stagesPerSec),
        ...(name === 'pglite' ? { target: '≥ 500', pass: e >= 500 } : {}),
      });
      figure({ id: `floor.${name}`, label: `(b) floor, ${label}: same transactions, no engine`, value: f, unit: 'stage exec/s', runs: floor.map((x) => x.stagesPerSec) });
      figure({
        id: `ratio.${name}`,
        label: `(b) engine / floor, ${label} (median of per-run ratios)`,
        value: ratio,
        unit: '×',
        runs: ratios,
        ...(name === 'pglite' ? { target: '≥ 0.50', pass: ratio >= 0.5 } : {}),
      });
      const b = median(batched.map((x) => x.stagesPerSec));
      const bRatios = engine.map((x, i) => x.stagesPerSec / batched[i].stagesPerSec);
      figure({ id: `floor.batched.${name}`, label: `(b) batched floor, ${label}: same rows, 64 instances/statement`, value: b, unit: 'stage exec/s', runs: batched.map((x) => x.stagesPerSec) });
      figure({ id: `ratio.batched.${name}`, label: `(b) engine / batched floor, ${label}`, value: median(bRatios), unit: '×', runs: bRatios });
      figure({
        id: `cpu.${name}`,
        label: `    server CPU per stage execution, ${label} (engine | floor)`,
        value: median(engine.map((x) => x.cpuMsPerStage)),
        unit: 'ms',
        note: `floor process ${fmt(median(floor.map((x) => x.cpuMsPerStage)), 'ms')} ms, batched floor ${fmt(median(batched.map((x) => x.cpuMsPerStage)), 'ms')} ms`,
      });
      details[`throughput.${name}`] = { engine, floor, batched };
    }
  }

  // ---------------------------------------------------------------- (c) DBOS peer
  if (wanted('peer')) {
    if (!postgres) skip('(c) DBOS Transact peer', 'needs PostgreSQL');
    else {
      const n = SIZES.throughput;
      const ours: WorkerRun[] = [];
      const dbos: WorkerRun[] = [];
      for (let r = 1; r <= RUNS; r++) {
        progress(`peer: run ${r}/${RUNS}, our engine in-process on PostgreSQL — ${n} × ${STAGES} stages`);
        ours.push(await onPostgres('ours', (url) => runWorker<WorkerRun>('engine-inproc', { BENCH_N: String(n), BENCH_DB_URL: url })));
        progress(`peer: run ${r}/${RUNS}, DBOS Transact on the same server — ${n} workflows × ${STAGES} durable steps`);
        dbos.push(await onPostgres('dbos', (url) => runWorker<WorkerRun>('dbos', { BENCH_N: String(n), BENCH_DB_URL: url })));
      }
      const o = median(ours.map((x) => x.stagesPerSec));
      const d = median(dbos.map((x) => x.stagesPerSec));
      const ratios = ours.map((x, i) => x.stagesPerSec / dbos[i].stagesPerSec);
      figure({ id: 'peer.ours', label: `(c) our engine in-process, PostgreSQL: ${n} × ${STAGES} stages`, value: o, unit: 'stage exec/s', runs: ours.map((x) => x.stagesPerSec) });
      figure({ id: 'peer.dbos', label: `(c) DBOS Transact 5.x, same server: ${n} × ${STAGES} steps`, value: d, unit: 'step exec/s', runs: dbos.map((x) => x.stagesPerSec) });
      const ratio = median(ratios);
      figure({ id: 'peer.ratio', label: '(c) ours / DBOS (median of per-run ratios)', value: ratio, unit: '×', runs: ratios, target: '≥ 1.0', pass: ratio >= 1 });
      details.peer = { ours, dbos };
    }
  }

  // ---------------------------------------------------------------- (d) money
  if (wanted('money')) {
    const { existsSync } = await import('node:fs');
    if (!existsSync(join(ROOT, 'server/engine/runners/send.ts'))) skip('(d) money', 'no send runner (server/engine/runners/send.ts) in this tree');
    else {
      const n = SIZES.money;
      progress(`money: ${n} instances × 2 sends (world → users:i → wallet), PGlite, HTTP`);
      const m = await moneyHttp(n, 'money');
      figure({ id: 'money.sends', label: `(d) money: ${n} × (world → account, account → wallet)`, value: m.sendsPerSec, unit: 'sends/s', note: m.balanceCheck });
      details.money = m;
    }
  }

  // ---------------------------------------------------------------- (e) latency under size
  if (wanted('latency')) {
    const { sizeInstances, sizeWorkflows } = SIZES;
    const requests = Number(process.env.BENCH_REQUESTS ?? SIZES.requests);
    const data = await pgliteDataDir('size');
    try {
      progress(`latency: writing ${sizeInstances} instances and ${sizeWorkflows} workflows with bulk SQL (PGlite)`);
      const size = await runWorker<{ fillSeconds: number; lists: { name: string; path: string; plan: string; target?: number }[]; ids: string[]; getPlans: string[] }>('size', {
        BENCH_SIZE_INSTANCES: String(sizeInstances),
        BENCH_SIZE_WORKFLOWS: String(sizeWorkflows),
        BENCH_DATA_DIR: data.dir,
      });
      progress('latency: starting the server on that data dir');
      const server = await spawnServer({ DATA_DIR: data.dir });
      const client = new Client(server.url, 1);
      const timeIt = async (name: string, paths: string[], target: number, plan?: string) => {
        for (const p of paths.slice(0, Math.max(20, paths.length / 10))) await client.json('GET', p); // warm-up, not timed
        const ms: number[] = [];
        // the server's CPU per request: what the request costs, whatever else the machine runs
        const cpu0 = cpuSeconds(server.pid);
        for (const p of paths) {
          const t = performance.now();
          await client.json('GET', p);
          ms.push(performance.now() - t);
        }
        const cpuMs = ((cpuSeconds(server.pid) - cpu0) * 1000) / paths.length;
        const p50 = percentile(ms, 50);
        const p99 = percentile(ms, 99);
        const pass = p99 <= target;
        figure({ id: `latency.${name}`, label: `(e) ${name}`, value: p99, unit: 'ms p99', target: `≤ ${target} ms`, pass, note: `p50 ${fmt(p50, 'ms')} ms, server CPU ${fmt(cpuMs, 'ms')} ms/request` });
        details[`latency.${name}`] = { p50, p99, cpuMs, max: Math.max(...ms), requests: ms.length, ...(plan ? { plan } : {}) };
        if (!pass && plan) figureLine(`  plan of that query (EXPLAIN ANALYZE before the server started):\n${plan.replace(/^/gm, '    ')}`);
      };
      try {
        const overviewOnly = process.env.BENCH_LATENCY === 'overview';
        const searchOnly = process.env.BENCH_LATENCY === 'search';
        for (const l of overviewOnly ? [] : size.lists.filter((l) => !searchOnly || l.name.startsWith('search'))) {
          progress(`latency: ${requests} × ${l.name}`);
          await timeIt(l.name, Array.from({ length: requests }, () => l.path), l.target ?? 20, l.plan);
        }
        // The overview's aggregates (GET /api/console/overview/*) on the same 100,000 instances.
        for (const [name, path] of (searchOnly ? [] : [
          ['overview now, 24 h', '/api/console/overview/now?window=24h'],
          ['overview now, 30 d', '/api/console/overview/now?window=30d'],
          ['overview runs over time, 24 h', '/api/console/overview/runs?window=24h'],
          ['overview runs over time, 30 d', '/api/console/overview/runs?window=30d'],
          ['overview failures by reason, 24 h', '/api/console/overview/failures?window=24h'],
          ['overview failures by reason, 30 d', '/api/console/overview/failures?window=30d'],
          ['overview needs attention', '/api/console/overview/attention'],
          ['overview money in flight', '/api/console/overview/money'],
        ] as const)) {
          progress(`latency: ${requests} × ${name}`);
          await timeIt(name, Array.from({ length: requests }, () => path), 50);
        }
        if (!overviewOnly && !searchOnly) {
          const ids = Array.from({ length: requests }, (_, i) => size.ids[i % size.ids.length]);
          progress(`latency: ${requests} × get instance, history, stage history (random instances)`);
          await timeIt('get instance', ids.map((id) => `/api/orchestration/v2/instances/${id}`), 10, size.getPlans.join('\n--\n'));
          await timeIt('instance history', ids.map((id) => `/api/orchestration/v2/instances/${id}/history`), 10);
          await timeIt('stage history', ids.map((id) => `/api/orchestration/v2/instances/${id}/stages/0/history`), 10);
        }
        details.size = { instances: sizeInstances, workflows: sizeWorkflows, fillSeconds: size.fillSeconds };
      } finally {
        client.close();
        await server.stop();
      }
    } finally {
      data.remove();
    }
  }

  // ---------------------------------------------------------------- (f) scaling, (g) memory at the end of the largest run
  if (wanted('scaling')) {
    const curve: { instances: number; stagesPerSec: number; msPerInstance: number; cpuMsPerInstance: number; runs: number }[] = [];
    let largest: ThroughputRun | null = null;
    for (const n of SIZES.scaling) {
      const reuse = n === SIZES.throughput ? throughputRuns.pglite : undefined;
      const runs = n >= 10_000 ? 1 : RUNS;
      const results: ThroughputRun[] = reuse ?? [];
      for (let r = results.length + 1; r <= runs; r++) {
        progress(`scaling: ${n} instances, run ${r}/${runs} (PGlite, HTTP)`);
        results.push(await throughputHttp(n, { kind: 'pglite' }, `scaling ${n}`));
      }
      const sps = median(results.map((x) => x.stagesPerSec));
      curve.push({
        instances: n,
        stagesPerSec: sps,
        msPerInstance: (1000 * STAGES) / sps,
        cpuMsPerInstance: median(results.map((x) => x.cpuMsPerStage * STAGES)),
        runs: results.length,
      });
      if (n === SIZES.scaling[SIZES.scaling.length - 1]) largest = results[results.length - 1];
    }
    for (const c of curve) {
      figure({
        id: `scaling.${c.instances}`,
        label: `(f) scaling: ${c.instances} instances, cost per instance`,
        value: c.msPerInstance,
        unit: 'ms wall',
        note: `${fmt(c.stagesPerSec, '')} stage exec/s, server CPU ${fmt(c.cpuMsPerInstance, 'ms')} ms/instance, ${c.runs} run(s)`,
      });
    }
    // Flat = does not grow with the number of instances: CPU per instance of the largest run over
    // the smallest. (Small runs cost more per instance: fixed costs, smaller group commits.)
    const growth = curve[curve.length - 1].cpuMsPerInstance / curve[0].cpuMsPerInstance;
    figure({
      id: 'scaling.growth',
      label: `(f) CPU per instance, ${curve[curve.length - 1].instances} vs ${curve[0].instances} instances`,
      value: growth,
      unit: '×',
      target: '≤ 1.5 (no growth)',
      pass: growth <= 1.5,
    });
    details.scaling = curve;
    if (largest) {
      figure({
        id: 'memory.end',
        label: `(g) server RSS at the end of the ${largest.instances}-instance run`,
        value: largest.rssEndMb,
        unit: 'MB',
        note: `peak ${fmt(largest.rssPeakMb, 'MB')} MB`,
      });
    }
  }

  // ---------------------------------------------------------------- (h) start
  if (wanted('start')) {
    const fresh: number[] = [];
    const existing: number[] = [];
    const rssFresh: number[] = [];
    const peakFresh: number[] = [];
    const rssExisting: number[] = [];
    // A new data dir is unpacked from the PGlite image (server/store/pglite-image.ts), made once
    // per machine: make sure it exists, as any earlier start or test run would have made it.
    progress('start: the PGlite image (made once when missing)');
    const warm = tempDir('start-image');
    try {
      await (await spawnServer({ DATA_DIR: `${warm.dir}/data` })).stop();
    } finally {
      warm.remove();
    }
    for (let r = 1; r <= RUNS; r++) {
      const data = tempDir('start');
      try {
        progress(`start: run ${r}/${RUNS}, new data dir`);
        const a = await spawnServer({ DATA_DIR: `${data.dir}/data` });
        fresh.push(a.startMs);
        await sleep(1000);
        const mem = rssMb(a.pid);
        rssFresh.push(mem.rss);
        peakFresh.push(mem.peak);
        await a.stop();
        progress(`start: run ${r}/${RUNS}, existing data dir`);
        const b = await spawnServer({ DATA_DIR: `${data.dir}/data` });
        existing.push(b.startMs);
        await sleep(1000);
        rssExisting.push(rssMb(b.pid).rss);
        await b.stop();
      } finally {
        data.remove();
      }
    }
    const newStart = median(fresh) / 1000;
    figure({ id: 'start.new', label: '(h) start → first 200 on /_healthcheck, new data dir', value: newStart, unit: 's', runs: fresh.map((x) => x / 1000), target: '≤ 1.5 s', pass: newStart <= 1.5, note: 'before the image: 3.42 s' });
    figure({ id: 'start.existing', label: '(h) start → first 200 on /_healthcheck, existing data dir', value: median(existing) / 1000, unit: 's', runs: existing.map((x) => x / 1000), note: 'before: 0.82 s' });
    const peak = median(peakFresh);
    figure({ id: 'memory.peak.new', label: '(g) server peak RSS, new data dir (start + 1 s)', value: peak, unit: 'MB', runs: peakFresh, target: '≤ 400 MB', pass: peak <= 400, note: 'before the image: 823 MB (RSS 1 s after start)' });
    const idle = median(rssExisting);
    figure({ id: 'memory.idle', label: '(g) server RSS idle, 1 s after start, existing data dir', value: idle, unit: 'MB', runs: rssExisting, target: '≤ 200 MB', pass: idle <= 200, note: 'before (shared_buffers 128 MB): 319 MB' });
    figure({ id: 'memory.idle.new', label: '(g) server RSS idle, 1 s after start, new data dir', value: median(rssFresh), unit: 'MB', runs: rssFresh, note: 'before the image: 823 MB' });
  }
  // ---------------------------------------------------------------- (s) simulations
  if (wanted('simulation')) {
    const p95: number[] = [];
    const p50: number[] = [];
    const backtest: number[] = [];
    let last: Awaited<ReturnType<typeof simulationFigures>> | undefined;
    for (let r = 1; r <= RUNS; r++) {
      progress(`simulation: run ${r}/${RUNS}`);
      last = await simulationFigures(SIZES.dryRuns, SIZES.backtestEvents);
      p95.push(last.dryRun.p95);
      p50.push(last.dryRun.p50);
      backtest.push(last.backtest.eventsPerSec);
    }
    figure({
      id: 'simulation.dryRun',
      label: `(s) dry-run of a ${last!.dryRun.stages}-stage workflow, HTTP, PGlite`,
      value: median(p95),
      unit: 'ms p95',
      runs: p95,
      target: '≤ 100 ms',
      pass: median(p95) <= 100,
      note: `p50 ${fmt(median(p50), 'ms')} ms; ${last!.dryRun.postings} postings, ${SIZES.dryRuns} requests`,
    });
    figure({
      id: 'simulation.backtest',
      label: `(s) backtest over ${last!.backtest.events} events, a dry-run per match`,
      value: median(backtest),
      unit: 'events/s',
      runs: backtest,
      note: `${last!.backtest.matched} matches, ${fmt(last!.backtest.seconds, 's')} s in the last run`,
    });
    details.simulation = last;
  }
  // ---------------------------------------------------------------- console: bundle, Lighthouse, list of 10,000
  if (wanted('console')) await consoleFigures();
  // ---------------------------------------------------------------- (m) the npm package
  if (wanted('package')) await packageFigures();
} finally {
  await stopAll();
}

/** (m) What `npx flows-console` downloads and installs: the tarball, and node_modules with --omit=dev. */
async function packageFigures(): Promise<void> {
  const { buildForStart } = (await import(join(ROOT, 'scripts/lib/build.mjs'))) as { buildForStart(): Promise<number> };
  progress('package: build what is stale, npm pack, npm install --omit=dev of the tarball in an empty folder');
  if ((await buildForStart()) !== 0) return skip('(m) npm package', 'the build failed');
  const { packAndInstall } = await import('../lib/package.mjs');
  const t = tempDir('package');
  try {
    const p = await packAndInstall(t.dir);
    const mb = (n: number) => n / 1e6;
    figure({ id: 'package.tarball', label: '(m) npm package: tarball (npm pack)', value: mb(p.packedBytes), unit: 'MB', note: `${p.files.length} files, ${fmt(mb(p.unpackedBytes), 'MB')} MB unpacked` });
    figure({
      id: 'package.installed',
      label: '(m) npm package installed, --omit=dev (node_modules)',
      value: mb(p.installedBytes),
      unit: 'MB',
      note: `${p.installedPackages.length} packages: ${p.installedPackages.join(', ')}`,
    });
    details.package = p;
  } catch (err) {
    skip('(m) npm package', (err as Error).message.split('\n')[0]!);
  } finally {
    t.remove();
  }
}

async function consoleFigures(): Promise<void> {
  const { existsSync } = await import('node:fs');
  if (!existsSync(join(ROOT, 'src/main.tsx'))) return skip('(i)-(k) console', 'no console (src/main.tsx) in this tree');
  if (await clientStale()) {
    progress('console: building the SPA (vite build), as npm start does when it is stale');
    if ((await buildClient()) !== 0) return skip('(i)-(k) console', 'vite build failed');
  }
  // (i) bundle
  const b = await bundleFigures();
  figure({
    id: 'console.initialJs',
    label: '(i) console initial JS (entry + preloads), gzipped',
    value: b.initialGzip / 1000,
    unit: 'kB',
    target: `≤ ${b.budget / 1000} kB`,
    pass: b.initialGzip <= b.budget && b.forbidden.length === 0,
    note: b.forbidden.length ? `heavy modules in it: ${b.forbidden.join(', ')}` : `${b.initialFiles.length} files`,
  });
  const byKind = new Map<string, { gzip: number; files: string[] }>();
  for (const l of b.lazy) {
    const k = byKind.get(l.name) ?? { gzip: 0, files: [] };
    k.gzip += l.gzip;
    k.files.push(l.file);
    byKind.set(l.name, k);
  }
  for (const [name, k] of byKind) {
    figure({ id: `console.lazy.${name}`, label: `(i) lazy chunk: ${name}, gzipped`, value: k.gzip / 1000, unit: 'kB', note: k.files.join(', ') });
  }
  details.bundle = b;

  // (j) Lighthouse on the demo data (SEED=true)
  const { ensureChromium } = (await import(join(ROOT, 'scripts/lib/chromium.mjs'))) as { ensureChromium(): Promise<{ ok: boolean; message?: string }> };
  const chromium = await ensureChromium().catch((err: Error) => ({ ok: false, message: err.message }));
  if (!chromium.ok) return skip('(j)-(k) console in Chromium', chromium.message ?? 'no Chromium');
  const demo = tempDir('lighthouse');
  try {
    const server = await spawnServer({ DATA_DIR: `${demo.dir}/data`, SEED: 'true' });
    try {
      for (const [name, path] of [['Workflows', '/workflows'], ['Instances', '/instances']] as const) {
        const runs: LighthouseScores[] = [];
        for (let r = 1; r <= RUNS; r++) {
          progress(`console: Lighthouse (desktop) on ${path}, run ${r}/${RUNS}`);
          runs.push(await lighthouse(server.url + path));
        }
        const perf = median(runs.map((x) => x.performance));
        const a11y = median(runs.map((x) => x.accessibility));
        figure({ id: `lighthouse.${name}.performance`, label: `(j) Lighthouse performance, ${name} (desktop preset)`, value: perf, unit: '/100', runs: runs.map((x) => x.performance), target: '≥ 95', pass: perf >= 95, note: `LCP ${fmt(median(runs.map((x) => x.metrics.lcpMs)), 'ms')} ms, TBT ${fmt(median(runs.map((x) => x.metrics.tbtMs)), 'ms')} ms` });
        const failures = [...new Set(runs.flatMap((x) => x.a11yFailures))];
        figure({ id: `lighthouse.${name}.accessibility`, label: `(j) Lighthouse accessibility, ${name}`, value: a11y, unit: '/100', runs: runs.map((x) => x.accessibility), target: '≥ 95', pass: a11y >= 95, ...(failures.length ? { note: `failing: ${failures.join(', ')}` } : {}) });
        details[`lighthouse.${name}`] = runs;
      }
      // (m) the first visit on the wire, compressed as served and (same run) asking for identity
      for (const [name, path] of [['Workflows', '/workflows'], ['Instances', '/instances']] as const) {
        progress(`console: first load of ${path} on the wire (Chromium, empty cache)`);
        const served = await firstLoadOnTheWire(server.url, path);
        const identity = await firstLoadOnTheWire(server.url, path, 'identity');
        const codings = Object.entries(served.encodings).map(([k, n]) => `${n} ${k}`).join(', ');
        figure({
          id: `wire.${name}`,
          label: `(m) first load on the wire, ${name} (HTML, assets, API)`,
          value: served.bytes / 1000,
          unit: 'kB',
          target: '≤ 160 kB',
          pass: served.bytes <= 160_000,
          note: `${served.requests} responses (${codings}): static ${fmt(served.staticBytes / 1000, 'kB')} kB, API ${fmt(served.apiBytes / 1000, 'kB')} kB; uncompressed (Accept-Encoding: identity, same run) ${fmt(identity.bytes / 1000, 'kB')} kB; before compression 463 kB`,
        });
        details[`wire.${name}`] = { served, identity };
      }
      // (j) Lighthouse, mobile preset: a phone on simulated slow 4G, where the bytes on the wire count
      for (const [name, path] of [['Workflows', '/workflows'], ['Instances', '/instances']] as const) {
        const runs: LighthouseScores[] = [];
        for (let r = 1; r <= RUNS; r++) {
          progress(`console: Lighthouse (mobile, slow 4G) on ${path}, run ${r}/${RUNS}`);
          runs.push(await lighthouse(server.url + path, 'mobile'));
        }
        const perf = median(runs.map((x) => x.performance));
        const at = (k: string) => fmt(median(runs.map((x) => x.metrics[k]!)), 'ms');
        figure({ id: `lighthouse.${name}.mobile`, label: `(j) Lighthouse performance, ${name} (mobile preset, slow 4G)`, value: perf, unit: '/100', runs: runs.map((x) => x.performance), target: '≥ 90', pass: perf >= 90, note: `FCP ${at('fcpMs')} ms, LCP ${at('lcpMs')} ms, TBT ${at('tbtMs')} ms` });
        details[`lighthouse.${name}.mobile`] = runs;
      }
    } finally {
      await server.stop();
    }
  } finally {
    demo.remove();
  }

  // (k) the instances list over 10,000 instances
  const data = await pgliteDataDir('list');
  try {
    progress('console: 10,000 instances for the list (bulk SQL)');
    await runWorker('size', { BENCH_SIZE_INSTANCES: '10000', BENCH_SIZE_WORKFLOWS: '100', BENCH_DATA_DIR: data.dir });
    const server = await spawnServer({ DATA_DIR: data.dir });
    try {
      progress('console: instances list — scroll until 10,000 rows are loaded, scroll them, change the status filter');
      const runs: ListFigures[] = [];
      for (let r = 1; r <= RUNS; r++) runs.push(await instancesList(server.url, 10_000, 100));
      const load = median(runs.map((x) => x.loadAllMs));
      figure({ id: 'list.load', label: '(k) list: scroll until 10,000 rows are loaded (100 pages)', value: load / 1000, unit: 's', runs: runs.map((x) => x.loadAllMs / 1000), note: `JS heap with every row loaded ${fmt(median(runs.map((x) => x.jsHeapMb)), 'MB')} MB` });
      const rows = Math.max(...runs.map((x) => x.domRows));
      figure({ id: 'list.domRows', label: '(k) list with 10,000 rows loaded: table rows in the DOM', value: rows, unit: 'rows', target: '< 100 (virtualized)', pass: rows < 100, note: `${runs[0]!.rowsLoaded} rows in ${runs[0]!.pagesLoaded} pages` });
      const scrollFigure = (mode: 'steady' | 'jump', label: string) => {
        const p95 = median(runs.map((x) => x[mode].p95FrameMs));
        const at = (k: keyof ScrollFigures) => fmt(median(runs.map((x) => x[mode][k])), 'ms');
        figure({ id: `list.scroll.${mode}`, label, value: p95, unit: 'ms', runs: runs.map((x) => x[mode].p95FrameMs), target: '≤ 33 ms (≥ 30 fps)', pass: p95 <= 33, note: `worst frame ${at('maxFrameMs')} ms; per frame: script ${at('scriptMsPerFrame')} ms, layout+style ${at('layoutStyleMsPerFrame')} ms` });
      };
      scrollFigure('steady', '(k) list: steady scroll (40 px/frame), p95 frame');
      scrollFigure('jump', '(k) list: top to bottom in 60 frames, p95 frame');
      const script = median(runs.map((x) => x.filterScriptingMs));
      figure({ id: 'list.filter', label: '(k) list: status filter change, scripting until painted', value: script, unit: 'ms', runs: runs.map((x) => x.filterScriptingMs), target: '< 100 ms', pass: script < 100, note: `with 10,000 rows loaded; wall ${fmt(median(runs.map((x) => x.filterWallMs)), 'ms')} ms incl. the request` });
      details.list = runs;

      progress('console: an open instance page while its 8 stages run');
      const live: LiveFigures[] = [];
      for (let r = 1; r <= RUNS; r++) live.push(await liveStages(server.url));
      const all = live.flatMap((x) => x.latenciesMs);
      const worst = median(live.map((x) => Math.max(...x.latenciesMs)));
      const p95 = percentile(all, 95);
      figure({ id: 'live.stage.p95', label: '(l) live instance: a new stage shown after the engine records it, p95', value: p95, unit: 'ms', target: '≤ 150 ms', pass: p95 <= 150, note: `p50 ${fmt(percentile(all, 50), 'ms')} ms over ${all.length} stages; pushed by the live stream (before: polled every 500 ms, p50 238 ms, worst 495 ms)` });
      figure({ id: 'live.stage', label: '(l) live instance: a new stage shown after the engine records it, worst', value: worst, unit: 'ms', runs: live.map((x) => Math.max(...x.latenciesMs)), target: '≤ 300 ms', pass: worst <= 300 });
      details.live = live;

      progress('console: remote mode, one and 50 open instance pages, requests reaching the stack');
      const fan = await remoteFanout(50);
      const ratio = fan.onePagePerSecond ? fan.manyPagesPerSecond / fan.onePagePerSecond : Infinity;
      figure({ id: 'live.fanout', label: '(l) remote mode: stack requests with 50 open instance pages ÷ with one', value: round(ratio, 2), unit: '×', target: '≤ 1.5×', pass: ratio <= 1.5, note: `${fmt(fan.onePagePerSecond, '/s')}/s with one page, ${fmt(fan.manyPagesPerSecond, '/s')}/s with 50 (steady ${fan.windowMs / 1000} s window; polled pages would send ~${50 * 3 * 2}/s)` });
      details.fanout = fan;
    } finally {
      await server.stop();
    }
  } finally {
    data.remove();
  }
}

// ---------------------------------------------------------------- results

const load1 = os.loadavg()[0];
const seconds = (performance.now() - started) / 1000;
const missed = figures.filter((f) => f.pass === false);
const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model.trim(), memoryGiB: round(os.totalmem() / 2 ** 30, 0), node: process.versions.node, platform: `${os.platform()} ${os.release()}` },
  config: { runs: RUNS, quick: QUICK, only: [...ONLY], sizes: SIZES, bundle: process.env.BENCH_SERVER_BUNDLE ?? 'current tree' },
  loadAverage: { start: round(load0, 1), end: round(load1, 1) },
  seconds: round(seconds, 0),
  figures,
  notes,
  details,
};
mkdirSync(join(ROOT, 'bench'), { recursive: true });
// Only a complete run replaces the published results; quick or partial runs go next to them.
const outName = QUICK || ONLY.size ? 'partial' : 'results';
writeFileSync(join(ROOT, 'bench', `${outName}.json`), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(ROOT, 'bench', `${outName}.md`), markdownTable());
figureLine(
  `done in ${seconds.toFixed(0)} s; load average ${load0.toFixed(1)} → ${load1.toFixed(1)}; ` +
    `${figures.filter((f) => f.pass === true).length} targets met, ${missed.length} missed${missed.length ? ` (${missed.map((f) => f.id).join(', ')})` : ''}; bench/${outName}.json and bench/${outName}.md written`,
);

/** The figures as a Markdown table (bench/results.md), for the README's Performance section. */
function markdownTable(): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const lines = [
    `Measured ${results.date.slice(0, 10)}: ${results.machine.cpus} CPUs (${results.machine.model}), Node ${results.machine.node}, ` +
      `${RUNS} run(s) per median${QUICK ? ', QUICK sizes' : ''}, load average ${results.loadAverage.start} → ${results.loadAverage.end}, ${results.seconds} s in all.`,
    '',
    '| figure | value | target | runs / notes |',
    '|---|---|---|---|',
    ...figures.map((f) => {
      const runs = f.runs && f.runs.length > 1 ? `runs ${f.runs.map((r) => fmt(r, f.unit)).join(', ')}` : '';
      const notes = [runs, f.note ?? ''].filter(Boolean).join('; ');
      const target = f.target ? `${f.target} ${f.pass ? '✅' : '❌'}` : '';
      return `| ${cell(f.label.trim())} | ${fmt(f.value, f.unit)} ${f.unit} | ${cell(target)} | ${cell(notes)} |`;
    }),
    ...(notes.length ? ['', ...notes.map((n) => `* ${n}`)] : []),
  ];
  return lines.join('\n') + '\n';
}
