import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { negotiateEncoding, varyOnEncoding } from './content-encoding.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Smaller JSON is sent as is: its headers weigh as much, and compressing it costs CPU. Answers of
 * 0.5–1 kB (a page's progress rows, the trigger names) still shrink by half.
 */
export const COMPRESS_JSON_MIN_BYTES = 512;
const JSON_TYPE = /^\s*application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Compresses JSON answers of at least `minBytes` with brotli (fast quality: they are made per
 * request) or gzip, as the client accepts; every JSON answer says `Vary: Accept-Encoding`. Leaves
 * alone anything already encoded, `no-transform`, partial, empty, HEAD and non-JSON answers
 * (server-sent events stream through untouched).
 */
export function compressJson(minBytes = COMPRESS_JSON_MIN_BYTES): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (!res.body || c.req.method === 'HEAD' || res.status === 206) return;
    if (!JSON_TYPE.test(res.headers.get('Content-Type') ?? '')) return;
    if (res.headers.has('Content-Encoding') || /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('Cache-Control') ?? '')) return;
    varyOnEncoding(res.headers);
    const encoding = negotiateEncoding(c, ['br', 'gzip']);
    const declared = res.headers.get('Content-Length');
    if (encoding === 'identity' || (declared !== null && Number(declared) < minBytes)) return;
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length < minBytes) {
      c.res = new Response(body, res);
      return;
    }
    const packed =
      encoding === 'br'
        ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : await gzipAsync(body, { level: 6 });
    c.res = new Response(packed, res);
    // The setter copies the old answer's headers over the new one: fix the length after it.
    c.res.headers.set('Content-Encoding', encoding);
    c.res.headers.set('Content-Length', String(packed.length));
    const etag = c.res.headers.get('ETag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
  };
}
