// A throwaway PostgreSQL cluster (Debian's binaries) for tests, benchmarks and soak runs:
//   const pg = await startTempPostgres(); … use pg.url …; await pg.stop();
// initdb refuses to run as root, so as root every server-side command runs as the `postgres`
// user (runuser, or su). The cluster listens on 127.0.0.1 on a free port, keeps its unix socket in
// its own temp dir, and is stopped and deleted by stop() — or, as a last resort, at process exit.
// Run directly (`node scripts/lib/postgres.mjs`) it starts one and prints its URL until Ctrl-C.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRoot } from './chromium.mjs';
import { freePort, run, secondsSince } from './proc.mjs';

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/** Sorts Debian's version directories ('9.6', '15', '16') newest first. Pure; tested. */
export function newestVersionFirst(versions) {
  return [...versions].sort((a, b) => parseFloat(b) - parseFloat(a));
}

/** Directory holding initdb/pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/<v>/bin; null if none. */
export function findPostgresBin(env = process.env) {
  if (env.PG_BIN) return existsSync(join(env.PG_BIN, 'initdb')) ? env.PG_BIN : null;
  if (!existsSync(DEBIAN_PG_ROOT)) return null;
  for (const v of newestVersionFirst(readdirSync(DEBIAN_PG_ROOT))) {
    const bin = join(DEBIAN_PG_ROOT, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

/**
 * Finds PostgreSQL, or installs Debian's `postgresql` with apt-get when running as root and the
 * download (apt-get update + fetching the packages) finishes within `maxSeconds`; a slower
 * download is abandoned (safe: nothing is unpacked yet) and reported. Never throws.
 * @returns {Promise<{ ok: boolean, bin?: string, seconds?: number, installed?: boolean, message?: string }>}
 */
export async function ensurePostgres({ maxSeconds = 60 } = {}) {
  const found = findPostgresBin();
  if (found) return { ok: true, bin: found };
  if (process.env.PG_BIN) return { ok: false, message: `PG_BIN=${process.env.PG_BIN} has no initdb` };
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    return {
      ok: false,
      message:
        'PostgreSQL binaries not found and not root: install them with `apt-get install postgresql` (Debian) or set PG_BIN to the directory holding initdb and pg_ctl.',
    };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  const timed = (args) => run('apt-get', args, { env, timeoutMs: deadline - performance.now() });
  console.log(`PostgreSQL not found: fetching Debian's postgresql with apt-get (budget ${maxSeconds} s)…`);
  const update = await timed(['update']);
  const download = update.code === 0 ? await timed(['install', '-y', '--no-install-recommends', '--download-only', 'postgresql']) : update;
  if (download.code !== 0) {
    const seconds = secondsSince(t0);
    return {
      ok: false,
      seconds,
      message:
        download.code === 124
          ? `fetching postgresql took longer than ${maxSeconds} s; skipped (install it with \`apt-get install postgresql\` to run this suite)`
          : `apt-get could not fetch postgresql (exit code ${download.code}, ${seconds} s)`,
    };
  }
  const { code } = await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { env });
  const seconds = secondsSince(t0);
  const bin = findPostgresBin();
  if (code !== 0 || !bin) return { ok: false, seconds, message: `apt-get install postgresql failed (exit code ${code}, ${seconds} s)` };
  console.log(`PostgreSQL installed in ${seconds} s`);
  return { ok: true, bin, seconds, installed: true };
}

/** Runs a command quietly; its output is shown only by callers, on failure. */
const capture = (cmd, args) => run(cmd, args, { capture: true });

/** `[cmd, args]` running `args` as the postgres user when we are root. */
function asPostgresUser(root, argv) {
  if (!root) return [argv[0], argv.slice(1)];
  if (existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser') || existsSync('/usr/bin/runuser')) {
    return ['runuser', ['-u', 'postgres', '--', ...argv]];
  }
  const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  return ['su', ['postgres', '-s', '/bin/sh', '-c', quoted]];
}

function postgresIds() {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error("running as root, but there is no 'postgres' user to run PostgreSQL as (initdb refuses root)");
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Starts a fresh cluster in a temp dir and creates `database`.
 * @param {{ database?: string, bin?: string, port?: number, settings?: Record<string, string | number> }} [opts]
 * @returns {Promise<{ url: string, port: number, dir: string, bin: string, stop(): Promise<void> }>}
 */
export async function startTempPostgres(opts = {}) {
  const database = opts.database ?? 'flows_test';
  const bin = opts.bin ?? findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (see ensurePostgres)');
  const root = isRoot();
  const ids = root ? postgresIds() : null;

  const dir = mkdtempSync(join(tmpdir(), 'flows-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const pgCtl = join(bin, 'pg_ctl');

  let stopped = false;
  let started = false;
  // Last resort (crash, process.exit from elsewhere): synchronous stop + delete.
  const onExit = () => {
    if (stopped) return;
    stopped = true;
    if (started) {
      const [cmd, args] = asPostgresUser(root, [pgCtl, 'stop', '-D', data, '-m', 'immediate', '-w']);
      spawnSync(cmd, args, { stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    if (started) {
      const [cmd, args] = asPostgresUser(root, [pgCtl, 'stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
      const res = await capture(cmd, args);
      if (res.code !== 0) {
        const [c2, a2] = asPostgresUser(root, [pgCtl, 'stop', '-D', data, '-m', 'immediate', '-w']);
        await capture(c2, a2);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const fail = async (what, out) => {
    let logText = '';
    try {
      logText = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
    } catch {}
    await stop();
    throw new Error(`${what}\n${out ?? ''}${logText ? `\n--- server log ---\n${logText}` : ''}`.trim());
  };

  try {
    const [ic, ia] = asPostgresUser(root, [join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
    const init = await capture(ic, ia);
    if (init.code !== 0) await fail(`initdb failed (exit code ${init.code})`, init.out);

    const port = opts.port ?? (await freePort());
    const settings = {
      listen_addresses: '127.0.0.1',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: 200,
      ...opts.settings,
    };
    const serverOpts = [`-p ${port}`, `-k ${dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    const [sc, sa] = asPostgresUser(root, [pgCtl, 'start', '-D', data, '-l', log, '-w', '-t', '60', '-o', serverOpts]);
    started = true; // from here on, stop() must try pg_ctl stop even if start reports failure
    const startRes = await capture(sc, sa);
    if (startRes.code !== 0) await fail(`pg_ctl start failed (exit code ${startRes.code})`, startRes.out);

    const created = await capture(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
    if (created.code !== 0) await fail(`createdb ${database} failed (exit code ${created.code})`, created.out);

    return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, dir, bin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// CLI: start one, print its URL, stop on Ctrl-C.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ensured = await ensurePostgres();
  if (!ensured.ok) {
    console.error(ensured.message);
    process.exit(1);
  }
  const t0 = performance.now();
  const pg = await startTempPostgres({ bin: ensured.bin, database: process.argv[2] });
  console.log(`PostgreSQL ready in ${secondsSince(t0)} s (Ctrl-C stops and deletes it):\n${pg.url}`);
  const shutdown = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  setInterval(() => {}, 1 << 30);
}
