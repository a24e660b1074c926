import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { getMimeType } from 'hono/utils/mime';
import type { Encoding } from './content-encoding.js';

/** One way of sending a file: the file itself, or its precompressed sibling. */
export interface Representation {
  path: string;
  size: number;
  /** Strong validator: the file's content hash, tagged by coding (each coding is its own body). */
  etag: string;
  encoding?: Encoding;
}

export interface StaticFile {
  contentType: string;
  lastModified: Date;
  identity: Representation;
  /** precompressed siblings, best first (empty: nothing to negotiate) */
  encoded: Representation[];
}

/** The siblings the build writes (scripts/lib/precompress.mjs), best coding first. */
const SIBLINGS: { encoding: Encoding; suffix: string; tag: string }[] = [
  { encoding: 'br', suffix: '.br', tag: 'br' },
  { encoding: 'gzip', suffix: '.gz', tag: 'gz' },
];

function statFile(path: string): Stats | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files of the built SPA under `root`, each hashed once (again only when its size or mtime
 * changes, as after a rebuild), with the `.br`/`.gz` siblings that are not older than it.
 */
export class StaticFiles {
  private readonly root: string;
  private readonly cache = new Map<string, { mtimeMs: number; size: number; file: StaticFile }>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file at URL path `urlPath`, or undefined (missing, a directory, outside the root, or a sibling asked for by name). */
  lookup(urlPath: string): StaticFile | undefined {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (rel.includes('\0') || rel.includes('\\') || /(?:^|\/)\.\.?(?:\/|$)/.test(rel)) return undefined;
    const path = join(this.root, rel);
    if (!path.startsWith(this.root + sep)) return undefined;
    const st = statFile(path);
    if (!st) return undefined;
    const cached = this.cache.get(path);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.file;
    const file = this.describe(path, st);
    this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, file });
    return file;
  }

  private describe(path: string, st: Stats): StaticFile {
    const hash = createHash('sha256').update(readFileSync(path)).digest('base64url').slice(0, 22);
    const encoded: Representation[] = [];
    for (const s of SIBLINGS) {
      const sibling = statFile(path + s.suffix);
      if (sibling && sibling.mtimeMs >= st.mtimeMs) encoded.push({ path: path + s.suffix, size: sibling.size, etag: `"${hash}-${s.tag}"`, encoding: s.encoding });
    }
    return {
      contentType: getMimeType(path) ?? 'application/octet-stream',
      lastModified: st.mtime,
      identity: { path, size: st.size, etag: `"${hash}"` },
      encoded,
    };
  }
}
