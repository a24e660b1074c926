// Brotli and gzip siblings (`x.js.br`, `x.js.gz`) of the built SPA's files, made once at build
// time so the server never compresses a static file per request (server/http/static.ts serves them).
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Extensions worth compressing (text, and binary formats that are not compressed already). */
export const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.map', '.txt', '.xml', '.wasm', '.ico', '.ttf', '.otf', '.webmanifest']);
/** Below this a file is sent as is: the saving does not pay for a second representation. */
export const MIN_BYTES = 256;
/** Brotli's best quality is slow on large files (the Monaco workers are megabytes, lazy and cached): those get quality 9. */
const BEST_QUALITY_UP_TO = 512 * 1024;

async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Writes `.br` and `.gz` next to every compressible file of `dir` (recursively) that is at least
 * MIN_BYTES; a sibling that would not be smaller than the file is not kept (stale ones removed).
 * Returns the totals, in bytes.
 */
export async function precompressDir(dir) {
  const files = (await listFiles(dir)).filter((f) => COMPRESSIBLE.has(extname(f).toLowerCase()));
  const totals = { files: 0, bytes: 0, br: 0, gzip: 0 };
  await Promise.all(
    files.map(async (file) => {
      const size = (await stat(file)).size;
      if (size < MIN_BYTES) return;
      const data = await readFile(file);
      const quality = size <= BEST_QUALITY_UP_TO ? constants.BROTLI_MAX_QUALITY : 9;
      const [br, gz] = await Promise.all([
        brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: size } }),
        gzipAsync(data, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      totals.files++;
      totals.bytes += size;
      for (const [suffix, body, key] of [
        ['.br', br, 'br'],
        ['.gz', gz, 'gzip'],
      ]) {
        if (body.length < size) {
          await writeFile(file + suffix, body);
          totals[key] += body.length;
        } else {
          await unlink(file + suffix).catch(() => {});
          totals[key] += size;
        }
      }
    }),
  );
  return totals;
}

/** Vite plugin: precompresses the output directory once the bundle is written (`vite build` only). */
export function precompress() {
  let outDir = '';
  return {
    name: 'flows-console:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir); // --outDir may be absolute
    },
    async closeBundle() {
      const t = await precompressDir(outDir);
      const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
      console.log(`precompressed ${t.files} files: ${kb(t.bytes)} → brotli ${kb(t.br)}, gzip ${kb(t.gzip)}`);
    },
  };
}
