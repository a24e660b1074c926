import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, openAsBlob, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import { wrapPglite } from './pglite-db.js';
import './wasm-tiering.js';

/**
 * A new PGlite database used to cost an initdb: a second PostgreSQL (WASM) plus initdb's own, ~3.4 s
 * and ~820 MB peak RSS per new data dir (and per in-memory test server). Instead, one image — the
 * data dir right after initdb and every migration, as PGlite's tar dump — is made once per PGlite
 * version, start parameters and set of migrations, and each new database is unpacked from it
 * (`loadDataDir`). The first server (or test) that finds none makes it and caches it.
 *
 * A new database in a directory is a plain copy of the image unpacked once (`pgliteImageDir`):
 * PGlite's `loadDataDir` reads the whole tar into memory, parses it in JavaScript and writes every
 * file through its emulated file system, which cost ~0.4 s of CPU and ~130 MB of peak RSS per new
 * data dir; copying the files costs a few tens of ms. In memory (tests) the tar is still used.
 */

/**
 * Postgres' default 128 MB of shared buffers live in PGlite's WASM memory and are touched at start:
 * they were most of the ~320 MB an idle server held (32 MB still left it at ~210 MB). 16 MB keeps
 * it under 200 MB; pages beyond it come from the OS page cache (PGlite reads its data dir through
 * Node's fs).
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const require = createRequire(import.meta.url);
/** node_modules/@electric-sql/pglite (resolved from its entry: the package exports no package.json). */
function pglitePackageDir(): string {
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** What the image depends on: a change to any of them makes a new image. */
export function imageKey(): string {
  const version = (JSON.parse(readFileSync(join(pglitePackageDir(), 'package.json'), 'utf8')) as { version: string }).version;
  const hash = createHash('sha256').update(JSON.stringify({ version, params: PGLITE_START_PARAMS, migrations }));
  return hash.digest('hex').slice(0, 16);
}

/** PGLITE_IMAGE_DIR, else node_modules/.cache/flows-console (the usual home of build caches). */
export function imageDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGLITE_IMAGE_DIR || join(pglitePackageDir(), '..', '..', '.cache', 'flows-console');
}

export function imagePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(imageDir(env), `pglite-${imageKey()}.tar`);
}

/** Where the image is cached unpacked (`pgliteImageDir`). */
export function imageDirPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(imageDir(env), `pglite-${imageKey()}`);
}

/** Makes the image: initdb and every migration in memory, dumped as a tar. */
async function makeImage(): Promise<Blob> {
  const pg = new PGlite({ startParams: PGLITE_START_PARAMS });
  try {
    await pg.waitReady;
    await migrate(wrapPglite(pg));
    await pg.query('checkpoint');
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

/**
 * The image, from the cache (a file-backed Blob: not copied into memory before PGlite reads it,
 * ~80 MB less at the peak) or made now (and cached: written to a temporary name and renamed, so a
 * reader never sees half a file; a cache that cannot be written only costs time).
 */
export async function pgliteImage(env: NodeJS.ProcessEnv = process.env): Promise<Blob> {
  const path = imagePath(env);
  if (existsSync(path)) return openAsBlob(path);
  const image = await makeImage();
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, Buffer.from(await image.arrayBuffer()));
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    console.warn(`PGlite image not cached (${(err as Error).message}): the next new database makes it again`);
  }
  return image;
}

/**
 * The image unpacked as a data dir (PGlite opened on it once from the tar, then shut down cleanly),
 * cached next to the tar; undefined when it cannot be cached (the caller then loads the tar).
 * Made under a temporary name and renamed, so a reader never sees half a directory.
 */
export async function pgliteImageDir(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const path = imageDirPath(env);
  if (existsSync(join(path, 'PG_VERSION'))) return path;
  const loadDataDir = await pgliteImage(env);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    const pg = new PGlite({ dataDir: tmp, startParams: PGLITE_START_PARAMS, loadDataDir });
    await pg.waitReady;
    await pg.close();
    renameSync(tmp, path);
    return path;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    // another process made it at the same time: theirs is as good
    if (existsSync(join(path, 'PG_VERSION'))) return path;
    console.warn(`PGlite image directory not cached (${(err as Error).message}): the new database is loaded from the tar`);
    return undefined;
  }
}

/**
 * Copies the unpacked image into `dataDir` (new or empty). PG_VERSION, by which a data dir counts
 * as existing (pglite.ts), is copied last: a copy cut short is made again at the next start.
 */
export function copyImageDir(imageDir: string, dataDir: string): void {
  const version = join(imageDir, 'PG_VERSION');
  cpSync(imageDir, dataDir, { recursive: true, filter: (src) => src !== version });
  copyFileSync(version, join(dataDir, 'PG_VERSION'));
}
