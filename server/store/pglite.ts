import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { JSON_TYPES, parseJsonColumn, type Db } from './db.js';
import { wrapPglite } from './pglite-db.js';
import { PGLITE_START_PARAMS, copyImageDir, pgliteImage, pgliteImageDir } from './pglite-image.js';

/**
 * Opens PGlite in `dataDir` ('memory': no directory). A new database is unpacked from the
 * migrated image (pglite-image.ts) instead of running initdb; `created` says so.
 */
/** json/jsonb read exactly (amounts beyond 2^53), as on PostgreSQL (see db.ts). */
const parsers = Object.fromEntries(JSON_TYPES.map((t) => [t, parseJsonColumn]));

export async function openPglite(dataDir: string): Promise<{ db: Db; created: boolean }> {
  const memory = dataDir === 'memory';
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const created = memory || !existsSync(join(dataDir, 'PG_VERSION'));
  // A new directory: a copy of the unpacked image; in memory (or without that cache): the tar.
  const imageDir = created && !memory ? await pgliteImageDir() : undefined;
  if (imageDir) copyImageDir(imageDir, dataDir);
  const loadDataDir = created && !imageDir ? await pgliteImage() : undefined;
  // One options object: `new PGlite(undefined, options)` drops the options (its constructor takes
  // the first argument as the options when it is not a string), so an in-memory database would
  // lose the json parsers (amounts beyond 2^53 read as floats) and the image.
  const pg = new PGlite({ dataDir: memory ? undefined : dataDir, parsers, startParams: PGLITE_START_PARAMS, ...(loadDataDir ? { loadDataDir } : {}) });
  await pg.waitReady;
  return { db: wrapPglite(pg, !memory), created };
}
