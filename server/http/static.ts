import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Config } from '../config.js';
import { negotiateEncoding } from './content-encoding.js';
import { StaticFiles, type Representation, type StaticFile } from './static-files.js';

/** Hashed build output never changes under its name: cache it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html (and the other unhashed files) may change with any deploy: revalidate every time (a 304 is cheap). */
const REVALIDATE = 'no-cache';

/**
 * Serves the built SPA; unknown non-API paths get index.html (client-side routing). Each file is
 * sent as its build-time brotli or gzip sibling when the client accepts one, with strong ETags
 * per coding, `Last-Modified`, `Vary: Accept-Encoding`, 304 on a matching validator, and byte
 * ranges (of the uncompressed file).
 */
export function staticRoutes(config: Pick<Config, 'staticDir'>): Hono {
  const app = new Hono();
  const files = new StaticFiles(resolve(config.staticDir));
  app.get('/*', (c) => {
    const found = files.lookup(c.req.path);
    if (found) return send(c, found, c.req.path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
    // A missing hashed asset is a stale page asking for an old build: 404, never index.html as JavaScript.
    if (c.req.path.startsWith('/assets/')) return c.text('Not Found', 404);
    const index = files.lookup('/index.html');
    if (!index) return c.text('The console is not built. Run `npm start` (it builds it) or `npm run build`.', 503);
    return send(c, index, REVALIDATE);
  });
  return app;
}

function send(c: Context, file: StaticFile, cacheControl: string): Response {
  const range = c.req.method === 'GET' ? byteRange(c, file) : undefined;
  // A range is of the file itself (byte offsets of a compressed body are of no use to a client).
  const rep: Representation = range ? file.identity : selectRepresentation(c, file);
  const headers = new Headers({
    'Content-Type': file.contentType,
    'Cache-Control': cacheControl,
    ETag: rep.etag,
    'Last-Modified': file.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
  });
  if (file.encoded.length) headers.set('Vary', 'Accept-Encoding');
  if (rep.encoding) headers.set('Content-Encoding', rep.encoding);

  if (notModified(c, rep, file)) return new Response(null, { status: 304, headers });
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${rep.size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers.set('Content-Range', `bytes ${range.start}-${range.end}/${rep.size}`);
    headers.set('Content-Length', String(range.end - range.start + 1));
    return new Response(stream(rep.path, range), { status: 206, headers });
  }
  headers.set('Content-Length', String(rep.size));
  return new Response(c.req.method === 'HEAD' ? null : stream(rep.path), { status: 200, headers });
}

function selectRepresentation(c: Context, file: StaticFile): Representation {
  if (!file.encoded.length) return file.identity;
  const coding = negotiateEncoding(
    c,
    file.encoded.map((r) => r.encoding!),
  );
  return file.encoded.find((r) => r.encoding === coding) ?? file.identity;
}

/** RFC 9110 §13.1.2: If-None-Match (weak comparison) wins over If-Modified-Since. */
function notModified(c: Context, rep: Representation, file: StaticFile): boolean {
  const inm = c.req.header('If-None-Match');
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    return inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === rep.etag);
  }
  const ims = c.req.header('If-Modified-Since');
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(file.lastModified.getTime() / 1000) * 1000 <= since;
}

/**
 * One `bytes=` range of the file (multiple ranges, or a failed If-Range, get the whole file:
 * RFC 9110 allows ignoring Range).
 */
function byteRange(c: Context, file: StaticFile): { start: number; end: number } | 'unsatisfiable' | undefined {
  const header = c.req.header('Range');
  if (!header) return undefined;
  const ifRange = c.req.header('If-Range');
  if (ifRange !== undefined && ifRange.trim() !== file.identity.etag && ifRange.trim() !== file.lastModified.toUTCString()) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const size = file.identity.size;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(size - suffix, 0);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size || size === 0) return 'unsatisfiable';
  return { start, end };
}

function stream(path: string, range?: { start: number; end: number }): ReadableStream {
  return Readable.toWeb(createReadStream(path, range)) as ReadableStream;
}
