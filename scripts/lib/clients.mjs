// The external clients run against the real server: the Go SDK suite (compat/go) and
// schemathesis (compat/schemathesis), each against compat/server.ts on a free port.
//   const server = await startCompatServer(); … server.url, server.probe …; await server.stop();
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot } from './chromium.mjs';
import { ROOT, binPath, run, secondsSince, start } from './proc.mjs';

export const SCHEMATHESIS_VERSION = '4.32.5';
const CACHE = join(ROOT, 'node_modules', '.cache', 'schemathesis');

/** Starts compat/server.ts (the real server, in-process, temp data dir); resolves once it listens. */
export function startCompatServer({ env = process.env } = {}) {
  const child = start(process.execPath, [binPath('tsx'), join(ROOT, 'compat', 'server.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('close', resolve);
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ ...JSON.parse(line), stop });
    });
    child.once('close', (code) => reject(new Error(`compat/server.ts exited with code ${code} before listening`)));
  });
}

/** The go command: on PATH, or Go's usual install directories, or Debian's golang-go when root. */
export async function ensureGo() {
  const found = await findGo();
  if (found) return { ok: true, go: found };
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    return {
      ok: false,
      message: 'Go is missing and not running as root. Install it as root with:\n  apt-get update && apt-get install -y --no-install-recommends golang-go',
    };
  }
  console.log('Go missing: installing golang-go with apt-get…');
  const t0 = performance.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], { env });
  const install = update.code === 0 ? await run('apt-get', ['install', '-y', '--no-install-recommends', 'golang-go'], { env }) : update;
  const go = await findGo();
  const seconds = secondsSince(t0);
  if (install.code !== 0 || !go) return { ok: false, seconds, message: `apt-get could not install golang-go (exit code ${install.code}, ${seconds} s)` };
  return { ok: true, go, seconds, installed: true };
}

async function findGo() {
  for (const go of ['go', '/usr/local/go/bin/go', '/usr/lib/go/bin/go']) {
    if ((await run(go, ['version'], { capture: true })).code === 0) return go;
  }
  return null;
}

/** Runs the Go suite's tests (`go test -json`); resolves with its exit code and JSON lines. */
export function goTest(go, dir, env) {
  return run(go, ['test', '-json', '-count=1', './...'], { cwd: join(ROOT, dir), env: { ...process.env, ...env }, capture: true, timeoutMs: 15 * 60_000 });
}

/**
 * schemathesis in a project-local venv (node_modules/.cache/schemathesis, not committed),
 * installed from PyPI with pip on first use. Resolves with the path of its `st` command.
 */
export async function ensureSchemathesis() {
  const venv = join(CACHE, `venv-${SCHEMATHESIS_VERSION}`);
  const st = join(venv, 'bin', 'st');
  if (existsSync(st)) return { ok: true, st };
  if ((await run('python3', ['--version'], { capture: true })).code !== 0) {
    return { ok: false, message: 'python3 is missing: install Python 3.9+ (Debian: apt-get install python3 python3-venv) to run schemathesis' };
  }
  mkdirSync(CACHE, { recursive: true });
  const t0 = performance.now();
  console.log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}…`);
  // A venv without its own pip (quicker to create); the machine's pip installs into it.
  const steps = [
    ['python3', ['-m', 'venv', '--without-pip', venv]],
    ['python3', ['-m', 'pip', '--python', join(venv, 'bin', 'python'), 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]],
  ];
  for (const [cmd, args] of steps) {
    const r = await run(cmd, args, { capture: true, env: { ...process.env, PIP_CACHE_DIR: join(CACHE, 'pip') } });
    if (r.code !== 0) return { ok: false, message: `schemathesis install failed (${cmd} ${args.slice(0, 2).join(' ')}…, exit code ${r.code}):\n${r.out.slice(-2000)}` };
  }
  return { ok: true, st, installed: true, seconds: secondsSince(t0) };
}

/** Checks every run applies; see docs/compatibility.md for the ones left out and why. */
export const SCHEMATHESIS_EXCLUDED_CHECKS = ['positive_data_acceptance', 'use_after_free'];

/** Runs schemathesis on one spec; the JUnit report (one test case per operation) goes to `junit`. */
export function schemathesis(st, { spec, url, probe, junit, maxExamples, seed, phases }) {
  const args = [
    'run',
    join(ROOT, 'openapi', spec),
    '--url',
    url,
    '--workers',
    '1',
    '--no-color',
    ...(phases ? ['--phases', phases] : []),
    '--checks',
    'all',
    '--exclude-checks',
    SCHEMATHESIS_EXCLUDED_CHECKS.join(','),
    '--max-examples',
    String(maxExamples),
    // The sign-in routes exist only when the server requires auth (AUTH_CLIENTS); this one does not.
    // The live stream never ends by design (its own tests read it: server/http/live).
    '--exclude-path-regex',
    '^/api/(auth/|console/live$)',
    // The server refuses NUL characters and unpaired surrogates on purpose (a 400 at the door).
    '--generation-allow-x00',
    'false',
    '--generation-codec',
    'utf-8',
    '--generation-database',
    'none',
    '--report',
    'junit',
    '--report-junit-path',
    junit,
    ...(seed ? ['--seed', String(seed)] : []),
  ];
  const env = { ...process.env, SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: join(ROOT, 'compat', 'schemathesis'), FLOWS_PROBE: probe };
  return run(st, args, { env, timeoutMs: 30 * 60_000 });
}
