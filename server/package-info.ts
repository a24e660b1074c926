import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the package is, wherever it runs from: the sources (`server/…` under tsx or Vitest), the
 * bundle `npm start` builds (`dist/server/main.mjs`), or the installed npm package
 * (`node_modules/flows-console/dist/server/main.mjs`). The built console (`dist/client`) and the
 * version are found from there, not from the working directory.
 */
const PACKAGE_NAME = 'flows-console';

let cached: { root: string; version: string } | undefined;

function find(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME) return (cached = { root: dir, version: pkg.version ?? '0.0.0' });
    } catch {
      // no package.json here: keep going up
    }
    const up = dirname(dir);
    // Not inside the package (a bundle copied elsewhere): the working directory, as before.
    if (up === dir) return (cached = { root: process.cwd(), version: '0.0.0' });
    dir = up;
  }
}

/** The package's directory (holds package.json and dist/). */
export function packageRoot(): string {
  return find().root;
}

/** The package's version (package.json). */
export function packageVersion(): string {
  return find().version;
}
