import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from './db.js';
import './wasm-tiering.js';

/**
 * Backups of the embedded store (PGlite on a data directory): the directory as one tar, gzipped.
 * PGlite copies it while no query or transaction runs (pglite.ts), so the copy is what a crash at
 * that instant would have left: PostgreSQL's recovery opens it with every committed transaction
 * and nothing of one in progress. A server that runs on the directory makes the copy itself (its
 * PGlite owns the files); `flows-console backup` asks it over HTTP (see ServerFile), or opens
 * the directory itself when no server runs there. PostgreSQL is backed up with pg_dump.
 */

/** The backup of an open PGlite store, gzipped (compressed off the event loop). */
export async function backupArchive(db: Db): Promise<Buffer> {
  if (!db.dumpDataDir) throw new Error('only a PGlite data directory is backed up this way (PostgreSQL: pg_dump)');
  return promisify(gzip)(await db.dumpDataDir());
}

/** What a restored store holds. */
export interface RestoredSummary {
  workflows: number;
  triggers: number;
  instances: number;
  /** instances not terminated: they go on when a server starts on the restored directory */
  running: number;
}

/**
 * Unpacks a backup into `dataDir` (new or empty) and checks that it opens as a Flows Console
 * store. Throws (leaving whatever was written for the caller to remove) otherwise.
 */
export async function restoreArchive(archive: Buffer, dataDir: string): Promise<RestoredSummary> {
  let tar: Buffer;
  try {
    tar = await promisify(gunzip)(archive);
  } catch {
    throw new Error('not a Flows Console backup (not gzip-compressed)');
  }
  // A tar (ustar) of a PostgreSQL data directory: PGlite is given nothing else (it fails on other
  // input with errors it does not all report to the caller).
  if (tar.length < 512 || tar.toString('latin1', 257, 262) !== 'ustar' || !tar.includes('PG_VERSION\0')) {
    throw new Error('not a Flows Console backup (not a tar of a data directory)');
  }
  let pg: PGlite;
  try {
    pg = new PGlite(dataDir, { loadDataDir: new Blob([new Uint8Array(tar)]) });
    await pg.waitReady;
  } catch (err) {
    throw new Error(`not a Flows Console backup (PGlite cannot open it: ${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    const [r] = await pg
      .query<RestoredSummary>(
        `select (select count(*) from workflows where deleted_at is null)::int as workflows,
                (select count(*) from triggers where deleted_at is null)::int as triggers,
                (select count(*) from instances)::int as instances,
                (select count(*) from instances where not terminated)::int as running`,
      )
      .then((res) => res.rows)
      .catch(() => {
        throw new Error('not a Flows Console backup (a PostgreSQL data directory without its tables)');
      });
    return r!;
  } finally {
    await pg.close();
    // The copy was taken from a running server: its address and key mean nothing here.
    ServerFile.remove(dataDir);
  }
}

/**
 * A server running on a PGlite data directory says so in a file inside it (the process id, its
 * URL, and a random key that authorizes `POST /_backup`), readable by the directory's owner only:
 * whoever can read it can read the data itself. Removed when the server stops; a server killed
 * with SIGKILL leaves it behind with a process id that no longer runs.
 */
export interface ServerFileInfo {
  pid: number;
  url: string;
  key: string;
}

export const ServerFile = {
  FILE: 'flows-console.server.json',

  /** A new random key for `POST /_backup`. */
  newKey(): string {
    return randomBytes(32).toString('base64url');
  },

  write(dataDir: string, info: ServerFileInfo): void {
    const file = join(dataDir, this.FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(info)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  },

  /** Removes the file, when `key` is given only if it is still that server's. */
  remove(dataDir: string, key?: string): void {
    const file = join(dataDir, this.FILE);
    if (key !== undefined && this.read(dataDir)?.key !== key) return;
    rmSync(file, { force: true });
  },

  read(dataDir: string): ServerFileInfo | undefined {
    try {
      const info = JSON.parse(readFileSync(join(dataDir, this.FILE), 'utf8')) as Partial<ServerFileInfo>;
      return typeof info.pid === 'number' && typeof info.url === 'string' && typeof info.key === 'string' ? (info as ServerFileInfo) : undefined;
    } catch {
      return undefined;
    }
  },

  /** The server running on `dataDir` now, if any (its file names a live process). */
  live(dataDir: string): ServerFileInfo | undefined {
    const info = this.read(dataDir);
    return info && processRuns(info.pid) ? info : undefined;
  },

  /**
   * Whether PGlite has the directory open (its lock file), which a server does from the moment
   * it opens the store; after a SIGKILL the lock file stays.
   */
  pgliteLocked(dataDir: string): boolean {
    return existsSync(join(dataDir, 'postmaster.pid'));
  },
};

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
