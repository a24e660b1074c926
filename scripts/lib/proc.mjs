// Small process helpers shared by the project scripts (start, dev, test, benchmarks).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in scripts/lib). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Absolute path of a package's executable script under node_modules, read from its package.json
 * `bin` field, so it can be run with the current node (no npx, no shell, works on a fresh clone).
 */
export function binPath(pkg, name = pkg) {
  const dir = join(ROOT, 'node_modules', pkg);
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const rel = typeof bin === 'string' ? bin : bin?.[name];
  if (!rel) throw new Error(`package ${pkg} has no executable '${name}'`);
  return join(dir, rel);
}

const children = new Set();

/** Children started with `run`/`start` that are still running (for Ctrl-C clean-up). */
export function runningChildren() {
  return [...children];
}

/** Spawns a command (stdio inherited by default) and tracks it until it exits. */
export function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.on('error', () => children.delete(child));
  return child;
}

/**
 * Runs a command to completion; never rejects. Resolves with `{ code, signal, out }`:
 * * stdio is inherited, unless `capture: true`, which collects stdout + stderr into `out`;
 * * `timeoutMs`: past it the command gets SIGTERM and the result is code 124;
 * * a command that cannot be started at all gives code 127 (and prints why unless capturing).
 */
export function run(cmd, args, opts = {}) {
  const { capture = false, timeoutMs, ...spawnOpts } = opts;
  return new Promise((resolvePromise) => {
    const child = start(cmd, args, capture ? { ...spawnOpts, stdio: ['ignore', 'pipe', 'pipe'] } : spawnOpts);
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
    }
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => {
              timedOut = true;
              child.kill('SIGTERM');
            },
            Math.max(0, timeoutMs),
          );
    child.on('error', (err) => {
      clearTimeout(timer);
      if (!capture) console.error(`cannot run ${cmd}: ${err.message}`);
      resolvePromise({ code: 127, signal: null, out: `${out}${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: timedOut ? 124 : (code ?? 1), signal, out });
    });
  });
}

/** Runs a node script (an absolute path or a package bin) with the current node binary. */
export function runNode(script, args = [], opts = {}) {
  return run(process.execPath, [script, ...args], opts);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
function bindable(port) {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolvePromise(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePromise(true)));
  });
}

/** The first port the OS hands to outgoing connections (Linux; elsewhere a usual default). */
function ephemeralStart() {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > 2048) return first;
  } catch {
    // not Linux
  }
  return 32768;
}

/**
 * A port whose next `count - 1` neighbours are free too (the browser suite's servers bind port,
 * port + 1, … one after another, over a minute or more on a busy machine). Chosen below the
 * range the OS hands to outgoing connections: a free port in that range can be taken by any
 * connection before its server binds it.
 */
export async function freePortRange(count) {
  const top = ephemeralStart() - count;
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * Math.max(1, top - 10_000));
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await bindable(p);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Seconds since `t0` (from performance.now()), one decimal. */
export function secondsSince(t0) {
  return Math.round((performance.now() - t0) / 100) / 10;
}
