// Shared helpers of the benchmark (scripts/bench.mjs → scripts/bench/run.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bench's own server bundle (same esbuild settings as `npm start`), so dist/ is left alone. */
export const BENCH_BUNDLE = process.env.BENCH_SERVER_BUNDLE ? resolve(process.env.BENCH_SERVER_BUNDLE) : join(ROOT, '.tmp', 'bench', 'main.mjs');
export const HOST = '127.0.0.1';

// ---------------------------------------------------------------- output

const t0 = performance.now();
const clock = () => `${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s`;
/** A progress line (stderr-free: everything goes to stdout, in order). */
export function progress(msg: string): void {
  process.stdout.write(`  ${clock()}  … ${msg}\n`);
}
export function figureLine(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

// ---------------------------------------------------------------- stats

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1];
}
export const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

// ---------------------------------------------------------------- processes

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, HOST, () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `flows-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let template: Promise<string> | null = null;

/**
 * A PGlite data dir with the schema already in place: a copy of one made once per bench run by
 * starting the server on a new dir (initdb + migrations take seconds; a copy is instant). For
 * every measurement that is not about a new data dir (start time, seeding).
 */
export async function pgliteDataDir(prefix: string): Promise<{ dir: string; remove(): void }> {
  template ??= (async () => {
    const t = tempDir('template');
    process.on('exit', () => t.remove());
    const server = await spawnServer({ DATA_DIR: join(t.dir, 'data') });
    await server.stop();
    return join(t.dir, 'data');
  })();
  const source = await template;
  const d = tempDir(prefix);
  const dir = join(d.dir, 'data');
  cpSync(source, dir, { recursive: true });
  return { dir, remove: d.remove };
}

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15; clock ticks of 1/100 s
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

export interface ServerChild {
  url: string;
  pid: number;
  child: ChildProcess;
  /** ms from spawn to the first 200 on /_healthcheck */
  startMs: number;
  stop(): Promise<void>;
  output(): string;
}

/** Spawns the bundled server (`node .tmp/bench/main.mjs`; main.mjs: the server only runs itself under that name) and waits for /_healthcheck = 200. */
export async function spawnServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerChild> {
  const port = await freePort();
  const started = performance.now();
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=.tmp/prof`).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, BENCH_BUNDLE], {
    cwd: ROOT,
    env: { ...process.env, HOST, PORT: String(port), SEED: 'false', QUIET: 'true', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://${HOST}:${port}`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start:\n${out}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server not healthy within ${timeoutMs} ms:\n${out}`);
    }
    const ok = await probe(`${url}/_healthcheck`);
    if (ok) break;
    await sleep(5);
  }
  const startMs = performance.now() - started;
  return {
    url,
    pid: child.pid!,
    child,
    startMs,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function probe(url: string): Promise<boolean> {
  return new Promise((res) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode === 200));
    });
    req.on('error', () => res(false));
    req.on('timeout', () => req.destroy());
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a TypeScript bench worker (`scripts/bench/<name>.ts`) in its own node process; resolves with its JSON result. */
export async function runWorker<T>(name: string, env: Record<string, string>): Promise<T> {
  const { dir, remove } = tempDir('out');
  const outFile = join(dir, 'result.json');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench', `${name}.ts`)], {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_OUT: outFile },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
    if (code !== 0) throw new Error(`bench worker ${name} failed (exit code ${code})`);
    return JSON.parse(readFileSync(outFile, 'utf8')) as T;
  } finally {
    remove();
  }
}

// ---------------------------------------------------------------- HTTP client

/** Keep-alive HTTP/1.1 client over node:http (lighter than fetch, so latencies are the server's). */
export class Client {
  private readonly agent: http.Agent;
  constructor(
    readonly baseUrl: string,
    sockets = 16,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }
  request<T = any>(method: string, path: string, body?: unknown, retried = false): Promise<{ status: number; body: T }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((res, rej) => {
      const req = http.request(
        this.baseUrl + path,
        {
          method,
          agent: this.agent,
          headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c) => chunks.push(c));
          r.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON */
            }
            res({ status: r.statusCode ?? 0, body: parsed });
          });
          r.on('error', rej);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed as idle just as this request went out: the server
        // never read it, so it is sent once more on a new socket (Node's documented pattern).
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') this.request<T>(method, path, body, true).then(res, rej);
        else rej(err);
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
  async json<T = any>(method: string, path: string, body?: unknown, expect = [200, 201, 204]): Promise<T> {
    const r = await this.request<T>(method, path, body);
    if (!expect.includes(r.status)) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  }
  close() {
    this.agent.destroy();
  }
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------- PostgreSQL

/** A fresh database in the temp cluster (the tests' helper); `drop()` removes it. */
export { createTestDatabase as createDatabase } from '../../server/test/database.js';

/** Worker side: writes the result where the orchestrator reads it. */
export function writeResult(value: unknown): void {
  const out = process.env.BENCH_OUT;
  if (!out) {
    console.log(JSON.stringify(value, null, 2));
    return;
  }
  writeFileSync(out, JSON.stringify(value));
}
