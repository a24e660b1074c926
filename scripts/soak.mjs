#!/usr/bin/env node
// `npm run soak`: the long versions of the reliability suites (server/reliability/*.test.ts),
// then their figures in one block. Bounded: every suite has a time budget, and the whole run
// stops after --max-minutes.
//
//   npm run soak                              fuzz, crash, load, shutdown on PGlite
//   npm run soak -- --postgres                the same again on a throwaway PostgreSQL
//   npm run soak -- --only load --load-seconds 120
//   npm run soak -- --only schemathesis   schemathesis, every phase (coverage included), new seed
//
// Options (defaults in brackets): --only fuzz,crash,load,shutdown  --fuzz-runs [300] (per route)
//   --crash-instances [1000]  --crash-kills [6]  --load-seconds [30]  --load-clients [50]
//   --shutdown-clients [50]  --seed N (replays a run)  --postgres  --max-minutes [30]
import { parseArgs } from 'node:util';
import { ensureSchemathesis, schemathesis, startCompatServer } from './lib/clients.mjs';
import { ensurePostgres, startTempPostgres } from './lib/postgres.mjs';
import { binPath, start } from './lib/proc.mjs';

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string', default: 'fuzz,crash,load,shutdown' },
    'fuzz-runs': { type: 'string', default: '300' },
    'crash-instances': { type: 'string', default: '1000' },
    'crash-kills': { type: 'string', default: '6' },
    'load-seconds': { type: 'string', default: '30' },
    'load-clients': { type: 'string', default: '50' },
    'shutdown-clients': { type: 'string', default: '50' },
    'schemathesis-examples': { type: 'string', default: '50' },
    seed: { type: 'string' },
    postgres: { type: 'boolean', default: false },
    'max-minutes': { type: 'string', default: '30' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(`npm run soak -- [options]: long versions of the reliability suites (server/reliability), then their figures.
  --only fuzz,crash,load,shutdown   suites to run (all)
  --fuzz-runs N          generated requests per API route (300)
  --crash-instances N    instances of the crash test (1000)
  --crash-kills N        kill -9 rounds (6)
  --load-seconds N       load duration (30)
  --load-clients N       concurrent clients (50)
  --shutdown-clients N   busy clients at SIGTERM (50)
  --schemathesis-examples N  generated cases per API operation (50); --only schemathesis to run it
  --seed N               replay a run (RELIABILITY_SEED / FUZZ_SEED)
  --postgres             repeat everything on a throwaway PostgreSQL
  --max-minutes N        bound for the whole run (30)`);
  process.exit(0);
}

const SUITES = {
  fuzz: 'server/reliability/fuzz.test.ts',
  crash: 'server/reliability/crash-money.test.ts',
  load: 'server/reliability/load.test.ts',
  shutdown: 'server/reliability/shutdown.test.ts',
};
const wanted = opts.only
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = wanted.filter((s) => !SUITES[s] && s !== 'schemathesis');
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; choose from ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
const positive = (name) => {
  const n = Number(opts[name]);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number, got '${opts[name]}'`);
    process.exit(2);
  }
  return n;
};
const maxMinutes = positive('max-minutes');
const env = {
  FUZZ_RUNS: String(positive('fuzz-runs')),
  CRASH_INSTANCES: String(positive('crash-instances')),
  CRASH_KILLS: String(positive('crash-kills')),
  LOAD_SECONDS: String(positive('load-seconds')),
  LOAD_CLIENTS: String(positive('load-clients')),
  SHUTDOWN_CLIENTS: String(positive('shutdown-clients')),
  // per-test budget: the whole run's, so a test never outlives --max-minutes
  RELIABILITY_TIMEOUT_MS: String(maxMinutes * 60_000),
  ...(opts.seed ? { RELIABILITY_SEED: opts.seed, FUZZ_SEED: opts.seed } : {}),
};
if ((process.env.CI || !process.stdout.isTTY) && !process.env.FORCE_COLOR) process.env.NO_COLOR = '1';

/** The suites' own figure lines: `fuzz: …`, `crash-money (…)`, `load (…)`, `shutdown (…)` and their indented continuations. */
function figureLines(output) {
  const out = [];
  let inFigure = false;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
    if (/^(fuzz: |crash-money \(|load \(|shutdown \()/.test(line)) {
      out.push(line.trim());
      inFigure = true;
    } else if (inFigure && /^ {2}\S/.test(line)) out.push(line.trim());
    else inFigure = false;
  }
  return out;
}
const figures = [];
const deadline = Date.now() + maxMinutes * 60_000;
let failed = 0;
let child;

async function runSuites(label, extraEnv) {
  for (const name of wanted.filter((n) => SUITES[n])) {
    const left = deadline - Date.now();
    if (left <= 0) {
      console.log(`--- ${label} ${name}: not run, --max-minutes ${maxMinutes} reached`);
      failed++;
      continue;
    }
    console.log(`\n=== soak: ${name} (${label}) ===`);
    const t0 = performance.now();
    child = start(process.execPath, [binPath('vitest'), 'run', '--project', 'server', SUITES[name]], {
      env: { ...process.env, ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      buffered += d;
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), left);
    const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    clearTimeout(timer);
    figures.push(`[${label}] ${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${Math.round((performance.now() - t0) / 1000)} s`);
    figures.push(...figureLines(buffered).map((l) => `    ${l}`));
    if (code !== 0) failed++;
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child?.kill(signal));

await runSuites('PGlite', { TEST_DATABASE_URL: '' });
if (wanted.includes('schemathesis')) await soakSchemathesis();

/** schemathesis, every phase, against the compat server (PGlite), a new seed each run. */
async function soakSchemathesis() {
  console.log('\n=== soak: schemathesis (PGlite) ===');
  const ensured = await ensureSchemathesis();
  if (!ensured.ok) {
    figures.push(`[PGlite] schemathesis: not run: ${ensured.message.split('\n')[0]}`);
    failed++;
    return;
  }
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'flows-soak-st-'));
  const server = await startCompatServer({ env: { ...process.env, RUN_WAIT_MS: '2000' } });
  try {
    for (const spec of ['flows.yaml', 'sandbox.yaml', 'console.yaml']) {
      const t0 = performance.now();
      const seed = opts.seed ?? String(Math.floor(Math.random() * 2 ** 31));
      const examples = positive('schemathesis-examples');
      const { code } = await schemathesis(ensured.st, { spec, url: server.url, probe: server.probe, junit: join(dir, `${spec}.xml`), maxExamples: examples, seed });
      figures.push(
        `[PGlite] schemathesis ${spec}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${Math.round((performance.now() - t0) / 1000)} s (${examples} cases per operation, seed ${seed})`,
      );
      if (code !== 0) failed++;
    }
  } finally {
    await server.stop();
  }
}
if (opts.postgres) {
  const ensured = await ensurePostgres({ maxSeconds: 60 });
  if (!ensured.ok) {
    console.log(`PostgreSQL: ${ensured.message}`);
    figures.push(`[PostgreSQL] not run: ${ensured.message}`);
  } else {
    const pg = await startTempPostgres({ bin: ensured.bin });
    try {
      await runSuites('PostgreSQL', { TEST_DATABASE_URL: pg.url });
    } finally {
      await pg.stop();
    }
  }
}

console.log('\n=== soak figures ===');
for (const line of figures) console.log(line);
console.log(failed ? `${failed} soak suite(s) failed` : 'all soak suites passed');
process.exitCode = failed ? 1 : 0;
