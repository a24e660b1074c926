import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import { openPglite } from '../store/pglite.js';
import { openPostgres } from '../store/postgres.js';
import { Api, createTestDatabase } from './harness.js';

/**
 * Real server processes (`node --import tsx server/main.ts`) for crash, shutdown and load tests:
 * they can be killed with SIGKILL or SIGTERM and restarted on the same store.
 *
 *     const store = await childStore('crash');       // a temp PGlite dir, or a fresh PostgreSQL
 *     let server = await startChildServer(store);     // database when TEST_DATABASE_URL is set
 *     await server.kill9();
 *     server = await startChildServer(store);         // same data
 *     await server.stop();                            // SIGTERM → exit code
 *     await store.cleanup();
 */

/** Where a child server keeps its data, shared by its successive incarnations. */
export interface ChildStore {
  kind: 'pglite' | 'postgres';
  /** DATA_DIR or DATABASE_URL for the child */
  env: Record<string, string>;
  /**
   * Opens the store directly. On PGlite only while no child server runs (one process per dir).
   * Close it before starting a server again.
   */
  open(): Promise<Db>;
  cleanup(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * A temp PGlite dir, or (TEST_DATABASE_URL set, unless `pgliteOnly`) a fresh PostgreSQL database.
 * On PostgreSQL a killed server's leases are not reclaimed by the next one before they expire
 * (30 s): other processes may share the database.
 */
export async function childStore(label: string, opts: { pgliteOnly?: boolean } = {}): Promise<ChildStore> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl && !opts.pgliteOnly) {
    const { url, drop } = await createTestDatabase(adminUrl);
    return { kind: 'postgres', env: { DATABASE_URL: url }, open: () => openPostgres(url), cleanup: drop };
  }
  const dir = mkdtempSync(join(tmpdir(), `flows-${label}-`));
  return {
    kind: 'pglite',
    env: { DATA_DIR: dir },
    open: async () => (await openPglite(dir)).db,
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  api: Api;
  /** stdout + stderr so far */
  output(): string;
  /** true once the process has exited */
  readonly exited: boolean;
  /** SIGKILL; resolves when the process is gone. */
  kill9(): Promise<void>;
  /** Sends `signal` (SIGTERM) and waits up to `timeoutMs`; SIGKILL after that. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts `server/main.ts` on `store` and a free port; resolves once it listens. */
export function startChildServer(store: ChildStore, env: Record<string, string> = {}, startTimeoutMs = 90_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SEED: 'false', QUIET: 'true', ...store.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      live.delete(child);
      resolve({ code, signal });
    });
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${startTimeoutMs} ms: ${out}`));
    }, startTimeoutMs);
    const onData = () => {
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const url = m[1];
      resolve({
        child,
        url,
        api: new Api(url),
        output: () => out,
        get exited() {
          return exited;
        },
        async kill9() {
          if (!exited) child.kill('SIGKILL');
          await exit;
        },
        async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
          const t0 = performance.now();
          if (!exited) child.kill(signal);
          const hard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          const r = await exit;
          clearTimeout(hard);
          return { ...r, ms: Math.round(performance.now() - t0) };
        },
      });
    };
    child.stdout!.on('data', onData);
    void exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${signal ?? code}) before listening: ${out}`));
    });
  });
}
