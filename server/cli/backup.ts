import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { backupArchive, restoreArchive, ServerFile } from '../store/backup.js';
import { openPglite } from '../store/pglite.js';
import { DATABASE_SETTINGS, type Command } from './command.js';
import { EXIT_OK, UsageError } from './usage-error.js';

/**
 * `flows-console backup <file>` / `restore <file>`: the embedded store (a PGlite data directory)
 * to and from one file (store/backup.ts). A backup is consistent while a server runs on the
 * directory: that server takes it (the CLI asks it through `POST /_backup`); with none running,
 * the CLI opens the directory itself. A restore goes into a new (or empty) data directory only.
 * PostgreSQL has its own tools: pg_dump and pg_restore (README, "Backups").
 */

const PG_DUMP = 'pg_dump --format=custom --file=<file> "$DATABASE_URL"';
const PG_RESTORE = 'createdb <new database>, then pg_restore --no-owner --no-privileges --dbname=<new database URL> <file>';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write a consistent backup of the data directory to <file> (also while a server runs on it)',
  args: [{ name: 'file', help: 'where to write the backup (a .tar.gz; replaced if it exists)' }],
  settings: DATABASE_SETTINGS,
  async run({ config, args, io }) {
    const dataDir = pgliteDir(config, 'backup', PG_DUMP);
    if (!existsSync(resolve(dataDir, 'PG_VERSION'))) throw new UsageError(`--data-dir (DATA_DIR): ${dataDir} holds no data directory`);
    const file = resolve(args[0]!);
    const t0 = performance.now();
    const server = ServerFile.live(dataDir);
    let archive: Buffer;
    if (server) {
      archive = await backupFromServer(server.url, server.key);
    } else {
      // A server that is starting (before it listens) or was killed has PGlite's lock file in
      // place and no live server file: opening the directory beside a running server would
      // corrupt it, so only a directory that is known closed (or whose server is dead) is opened.
      if (ServerFile.pgliteLocked(dataDir) && !ServerFile.read(dataDir)) {
        throw new Error(
          `${dataDir} is open (PGlite's postmaster.pid is there) but no server announces itself in it: wait until a starting server listens, or, if none runs (it was killed), start and stop it once`,
        );
      }
      const { db } = await openPglite(dataDir);
      try {
        archive = await backupArchive(db);
      } finally {
        await db.close();
      }
    }
    const tmp = `${file}.partial`;
    writeFileSync(tmp, archive, { mode: 0o600 });
    renameSync(tmp, file);
    const how = server ? `taken by the server running on it (${server.url})` : 'no server was running on it';
    io.out(`Backup of ${dataDir} written to ${file}: ${mb(archive.length)} in ${seconds(t0)} (${how}).\n`);
    return EXIT_OK;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup from <file> into a new data directory',
  args: [{ name: 'file', help: 'a backup written by flows-console backup' }],
  settings: DATABASE_SETTINGS,
  async run({ config, args, io }) {
    const dataDir = pgliteDir(config, 'restore', PG_RESTORE);
    const existed = existsSync(dataDir);
    if (existed && (!statSync(dataDir).isDirectory() || readdirSync(dataDir).length > 0)) {
      throw new UsageError(`--data-dir (DATA_DIR): ${dataDir} is not empty; restore into a new data directory (nothing was changed)`);
    }
    const file = resolve(args[0]!);
    if (!existsSync(file)) throw new UsageError(`${args[0]}: no such file`);
    const t0 = performance.now();
    mkdirSync(dataDir, { recursive: true });
    let restored;
    try {
      restored = await restoreArchive(readFileSync(file), dataDir);
    } catch (err) {
      // Leave nothing half-restored behind.
      rmSync(dataDir, { recursive: true, force: true });
      if (existed) mkdirSync(dataDir);
      throw err;
    }
    io.out(
      `Restored ${file} into ${dataDir} in ${seconds(t0)}: ${restored.workflows} workflows, ${restored.triggers} triggers, ${restored.instances} instances (${restored.running} not finished: they go on when the server starts).\n` +
        `Start it with: flows-console --data-dir ${JSON.stringify(dataDir).slice(1, -1)}\n`,
    );
    return EXIT_OK;
  },
};

/** The PGlite data directory of the command, or a usage error that points PostgreSQL users to their tools. */
function pgliteDir(config: Config, command: string, postgresTool: string): string {
  if (config.databaseUrl) throw new UsageError(`${command}: DATABASE_URL is a PostgreSQL database: use PostgreSQL's tools (${postgresTool}; see the README, "Backups")`);
  if (config.dataDir === 'memory') throw new UsageError(`${command}: DATA_DIR=memory keeps nothing on disk`);
  return resolve(config.dataDir);
}

/** Asks the server running on the directory for the backup (its key authorizes the request). */
async function backupFromServer(url: string, key: string): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(`${url}/_backup`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  } catch (err) {
    throw new Error(`the server running on the data directory (${url}) did not answer: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok) throw new Error(`the server running on the data directory (${url}) answered HTTP ${res.status} to the backup request`);
  return Buffer.from(await res.arrayBuffer());
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
