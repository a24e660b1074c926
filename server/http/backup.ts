import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { EmbeddedContext } from '../context.js';
import { backupArchive } from '../store/backup.js';

/**
 * `POST /_backup` (embedded mode on a PGlite data directory): a consistent backup of the running
 * server's store, gzipped (store/backup.ts). Outside `/api`: it is not part of the API but the
 * channel of `flows-console backup`, authorized by the key the server wrote into its data
 * directory (only who can read the data directory can ask for a copy of it), with or without
 * AUTH_CLIENTS. Anything else gets an empty 401.
 */
export function backupRoutes(ctx: EmbeddedContext, key: string): Hono {
  const app = new Hono();
  const expected = digest(key);
  app.post('/_backup', async (c) => {
    const given = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) return c.body(null, 401);
    const archive = await backupArchive(ctx.db);
    ctx.log.info('backup taken', { bytes: archive.length });
    return c.body(new Uint8Array(archive), 200, {
      'Content-Type': 'application/gzip',
      'Content-Disposition': 'attachment; filename="flows-console-backup.tar.gz"',
      'Cache-Control': 'no-store',
    });
  });
  return app;
}

/** Equal-length digests, so that the comparison takes the same time whatever was sent. */
const digest = (s: string) => createHash('sha256').update(s).digest();
