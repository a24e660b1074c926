#!/usr/bin/env node
// `npm test`: every suite, in order, each counted; the very last line is `N passed, N failed`.
//   types     tsc --noEmit on each TypeScript project       (1 test)
//   lint      eslint . (typed rules, layer rules), then prettier --check (code, README.md, docs/*.md)   (2 tests)
//   unit      vitest run, projects server + ui            (each test case)
//   build     vite build + server bundle                  (1 test)
//   package   the npm package: npm pack, installed with --omit=dev in an empty folder, started
//             there with npx/its bin (vitest project `package`; each test case)
//   e2e       Playwright on Debian's Chromium             (each test; installs Chromium as root)
//   postgres  vitest `server` project on a throwaway PostgreSQL cluster (skipped with a note
//             when PostgreSQL is unavailable and cannot be installed quickly)
//   go        the Go client suites (compat/go/sdk, compat/go/openapi) against the real server (each Go test; installs
//             golang-go as root when Go is missing)
//   schemathesis  schemathesis on openapi/flows.yaml, sandbox.yaml and console.yaml against the real server
//             (each API operation; installs schemathesis into a venv under node_modules/.cache)
// `node scripts/test.mjs unit e2e` runs only the named suites (in the order above); options after
// the suite names go to the runner: `npm run test:e2e -- --grep smoke`, `npm test -- unit -t cursor`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClient, buildForStart, buildServer } from './lib/build.mjs';
import { ensureChromium } from './lib/chromium.mjs';
import { ensureGo, ensureSchemathesis, goTest, schemathesis, startCompatServer } from './lib/clients.mjs';
import { ensurePostgres, startTempPostgres } from './lib/postgres.mjs';
import { binPath, freePortRange, runNode, runningChildren, secondsSince } from './lib/proc.mjs';
import { countGoTest, countJUnit, countPlaywright, countVitest, readJsonReport, totalsLine } from './lib/summary.mjs';

// Plain output in logs and on CI (the child runners inherit this).
if ((process.env.CI || !process.stdout.isTTY) && !process.env.FORCE_COLOR) process.env.NO_COLOR = '1';

/** The TypeScript projects `types` checks (tsconfig.json, src/tsconfig.json, e2e/tsconfig.json). */
const TS_PROJECTS = ['.', 'src', 'e2e'];
const GO_MODULES = ['compat/go/sdk', 'compat/go/openapi'];
const SUITES = ['types', 'lint', 'unit', 'build', 'package', 'e2e', 'postgres', 'go', 'schemathesis'];
const argv = process.argv.slice(2);
const firstOption = argv.findIndex((a) => a.startsWith('-'));
const wanted = firstOption < 0 ? argv : argv.slice(0, firstOption);
// A leading `--` (as npm scripts need it) is dropped: the runner would take what follows as file names.
const passThrough = firstOption < 0 ? [] : argv.slice(firstOption).filter((a, i) => !(i === 0 && a === '--'));
const unknown = wanted.filter((s) => !SUITES.includes(s));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  process.exit(2);
}
const selected = SUITES.filter((s) => wanted.length === 0 || wanted.includes(s));

const tmp = mkdtempSync(join(tmpdir(), 'flows-test-'));
/** @type {Array<{ name: string, passed: number, failed: number, skipped: number, seconds: number, note?: string, skip?: string, failures: string[] }>} */
const results = [];
const cleanups = [];
let buildFailed = false;

async function cleanup() {
  while (cleanups.length)
    await cleanups
      .pop()()
      .catch((err) => console.error(`clean-up: ${err.message}`));
  rmSync(tmp, { recursive: true, force: true });
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: stopping…`);
    for (const child of runningChildren()) child.kill(signal);
    await cleanup();
    process.exit(130);
  });
}

function header(i, name, what) {
  console.log(`\n=== [${i}/${selected.length}] ${name}: ${what} ===`);
}

const countsText = (r) => r.skip ?? `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`;

/** Records a suite's outcome (`{ skip }` for a suite that could not run here) and prints it. */
function record(name, counts, t0) {
  const r = { passed: 0, failed: 0, skipped: 0, failures: [], ...counts, name, seconds: secondsSince(t0) };
  results.push(r);
  console.log(`--- ${name}: ${countsText(r)} (${r.seconds} s)${r.note ? ` — ${r.note}` : ''}`);
  for (const f of r.failures) console.log(`    ✗ ${f}`);
}

const one = (ok, failure) => ({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, failures: ok ? [] : [failure] });

async function vitest(extraArgs, env) {
  const out = join(tmp, `vitest-${results.length}.json`);
  const { code } = await runNode(binPath('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extraArgs, ...passThrough], {
    env: { ...process.env, ...env },
  });
  return countVitest(await readJsonReport(out), code);
}

/** Runs `body(server)` against a fresh compat server (compat/server.ts), stopped afterwards. */
async function withCompatServer(env, body) {
  const server = await startCompatServer({ env: { ...process.env, ...env } });
  cleanups.push(server.stop);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

const steps = {
  async types() {
    // Node code (.), the console (src: DOM, no Node), code that drives Chromium (e2e).
    const failed = [];
    for (const project of TS_PROJECTS) {
      const { code } = await runNode(binPath('typescript', 'tsc'), ['--noEmit', '-p', project]);
      if (code !== 0) failed.push(`tsc --noEmit -p ${project} exited with code ${code}`);
    }
    return one(failed.length === 0, failed.join('; '));
  },

  async lint() {
    const eslint = (await runNode(binPath('eslint'), ['.'])).code;
    // The formatting is checked, not fixed: `npm run format` fixes it (the same files: the code, README.md, docs/*.md).
    const prettier = (await runNode(binPath('prettier'), ['--check', '--log-level', 'warn', '**/*.{ts,tsx,js,mjs}', 'README.md', 'docs/*.md'])).code;
    const failures = [
      ...(eslint === 0 ? [] : [`eslint exited with code ${eslint}`]),
      ...(prettier === 0 ? [] : ['prettier --check: files not formatted (run `npm run format`)']),
    ];
    return { passed: 2 - failures.length, failed: failures.length, skipped: 0, failures };
  },

  async unit() {
    return vitest(['--project', 'server', '--project', 'ui']);
  },

  async build() {
    const client = await buildClient();
    const server = client === 0 ? await buildServer() : 1;
    buildFailed = client !== 0 || server !== 0;
    return one(!buildFailed, client !== 0 ? `vite build exited with code ${client}` : 'server bundle (esbuild) failed');
  },

  async package() {
    // Run alone (`node scripts/test.mjs package`), build what is stale, as `npm start` does.
    if (!selected.includes('build')) buildFailed = (await buildForStart()) !== 0;
    if (buildFailed) return { ...one(false, 'not run: the build failed'), note: 'needs a successful build' };
    return vitest(['--project', 'package']);
  },

  async e2e() {
    // Run alone (`node scripts/test.mjs e2e`), build what is stale, as `npm start` does.
    if (!selected.includes('build')) buildFailed = (await buildForStart()) !== 0;
    if (buildFailed) return { ...one(false, 'not run: the build failed'), note: 'needs a successful build' };
    const browser = await ensureChromium();
    if (!browser.ok) {
      console.log(browser.message);
      return { ...one(false, `no Chromium: ${browser.message.split('\n')[0]}`), note: 'Chromium unavailable' };
    }
    const out = join(tmp, 'playwright.json');
    // playwright.config.ts starts its servers on this port and the next four.
    const port = process.env.E2E_PORT || String(await freePortRange(5));
    const { code } = await runNode(binPath('@playwright/test', 'playwright'), ['test', `--reporter=${process.env.CI ? 'line' : 'list'},json`, ...passThrough], {
      env: { ...process.env, E2E_PORT: port, PLAYWRIGHT_JSON_OUTPUT_FILE: out },
    });
    const counts = countPlaywright(await readJsonReport(out), code);
    return browser.installed ? { ...counts, note: `Chromium installed with apt-get in ${browser.seconds} s` } : counts;
  },

  async postgres() {
    const ensured = await ensurePostgres({ maxSeconds: 60 });
    if (!ensured.ok) return { skip: `skipped: ${ensured.message}` };
    const t0 = performance.now();
    const pg = await startTempPostgres({ bin: ensured.bin });
    cleanups.push(pg.stop); // for Ctrl-C; stop() is idempotent
    console.log(`throwaway PostgreSQL at ${pg.url} (ready in ${secondsSince(t0)} s)`);
    try {
      const counts = await vitest(['--project', 'server'], { TEST_DATABASE_URL: pg.url });
      return ensured.installed ? { ...counts, note: `PostgreSQL installed with apt-get in ${ensured.seconds} s` } : counts;
    } finally {
      await pg.stop();
    }
  },

  async go() {
    const ensured = await ensureGo();
    if (!ensured.ok) {
      console.log(ensured.message);
      return { ...one(false, `no Go: ${ensured.message.split('\n')[0]}`), note: 'Go unavailable' };
    }
    // Both Go clients (compat/go/sdk, compat/go/openapi: one module each, their replace
    // directives name the same module path) against one server, counted as one suite.
    const { code, out } = await withCompatServer({}, async (server) => {
      const runs = [];
      for (const dir of GO_MODULES) {
        const t0 = performance.now();
        const run = await goTest(ensured.go, dir, { FLOWS_URL: server.url });
        console.log(`${dir}: ${countGoTest(run.out, run.code).passed} passed (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        runs.push(run);
      }
      return { code: runs.find((r) => r.code !== 0)?.code ?? 0, out: runs.map((r) => r.out).join('\n') };
    });
    const counts = countGoTest(out, code);
    console.log(`compat/go: ${counts.passed} passed, ${counts.failed} failed`);
    if (counts.failed)
      console.log(
        out
          .split('\n')
          .filter((l) => !l.startsWith('{'))
          .join('\n') || out.slice(-4000),
      );
    return ensured.installed ? { ...counts, note: `golang-go installed with apt-get in ${ensured.seconds} s` } : counts;
  },

  async schemathesis() {
    const ensured = await ensureSchemathesis();
    if (!ensured.ok) {
      console.log(ensured.message);
      return { ...one(false, `no schemathesis: ${ensured.message.split('\n')[0]}`), note: 'schemathesis unavailable' };
    }
    // Bounded and seeded here (the same cases every run): examples, a few generated cases and the
    // stateful phase. `npm run soak -- --only schemathesis` adds the (slow) coverage phase and many
    // more cases, with a new seed each time.
    const maxExamples = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES || 5);
    const phases = process.env.SCHEMATHESIS_PHASES || 'examples,fuzzing,stateful';
    const all = { passed: 0, failed: 0, skipped: 0, failures: [] };
    // A `wait=true` run blocks at most 2 s here (below the client's request timeout).
    await withCompatServer({ RUN_WAIT_MS: '2000' }, async (server) => {
      for (const spec of ['flows.yaml', 'sandbox.yaml', 'console.yaml']) {
        const junit = join(tmp, `schemathesis-${spec}.xml`);
        const { code } = await schemathesis(ensured.st, {
          spec,
          url: server.url,
          probe: server.probe,
          junit,
          maxExamples,
          phases,
          seed: process.env.SCHEMATHESIS_SEED || 1,
        });
        const c = countJUnit(readText(junit), code, spec);
        for (const k of ['passed', 'failed', 'skipped']) all[k] += c[k];
        all.failures.push(...c.failures);
      }
    });
    return ensured.installed ? { ...all, note: `schemathesis installed in ${ensured.seconds} s` } : all;
  },
};

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const WHAT = {
  types: `tsc --noEmit -p ${TS_PROJECTS.join(', ')}`,
  lint: 'eslint . (typescript-eslint with type information, layer rules)',
  unit: 'vitest run (projects server, ui)',
  build: 'vite build + server bundle',
  package: 'npm pack, npm install --omit=dev of the tarball in an empty folder, npx flows-console there',
  e2e: 'Playwright (Chromium) against the built server',
  postgres: 'vitest project server on a throwaway PostgreSQL',
  go: 'Go SDK v2.0.0-beta.10 and the Go OpenAPI client v1.0.20230302, every orchestration operation, against the real server',
  schemathesis: 'schemathesis on openapi/flows.yaml + sandbox.yaml + console.yaml against the real server',
};

const started = performance.now();
const parked = () => new Promise(() => {}); // after Ctrl-C the signal handler exits
for (const [i, name] of selected.entries()) {
  if (interrupted) await parked();
  header(i + 1, name, WHAT[name]);
  const t0 = performance.now();
  let counts;
  try {
    counts = await steps[name]();
  } catch (err) {
    counts = one(false, `${name} crashed: ${err instanceof Error ? err.message : err}`);
  }
  if (interrupted) await parked();
  record(name, counts, t0);
}
await cleanup();

console.log(`\n=== summary (${secondsSince(started)} s) ===`);
for (const r of results) console.log(`${r.name.padEnd(9)} ${countsText(r)} (${r.seconds} s)`);
const failures = results.flatMap((r) => r.failures.map((f) => `${r.name}: ${f}`));
if (failures.length) {
  console.log('\nfailures:');
  for (const f of failures) console.log(`  ✗ ${f}`);
}
console.log(totalsLine(results));
process.exitCode = results.some((r) => r.failed > 0) ? 1 : 0;
