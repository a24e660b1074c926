import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientIsStale, newestMtime } from './build.mjs';

let root: string;
const at = (path: string, seconds: number) => {
  const p = join(root, path);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, path);
  utimesSync(p, seconds, seconds);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'flows-build-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('newestMtime', () => {
  it('walks directories and ignores missing paths', () => {
    at('src/a.ts', 1000);
    at('src/deep/b.tsx', 3000);
    at('index.html', 2000);
    expect(newestMtime([join(root, 'src'), join(root, 'index.html'), join(root, 'nope')])).toBe(3000 * 1000);
    expect(newestMtime([join(root, 'nope')])).toBe(0);
  });
});

describe('clientIsStale', () => {
  it('is stale when the SPA was never built', () => {
    at('src/main.tsx', 1000);
    expect(clientIsStale(root)).toBe(true);
  });

  it('is fresh when the built index.html is newer than every input', () => {
    at('src/main.tsx', 1000);
    at('index.html', 1000);
    at('vite.config.ts', 1000);
    at('dist/client/index.html', 2000);
    expect(clientIsStale(root)).toBe(false);
  });

  it('is stale when any input (src/, index.html, public/, vite.config.ts) changed since', () => {
    at('dist/client/index.html', 2000);
    at('src/main.tsx', 1000);
    expect(clientIsStale(root)).toBe(false);
    at('public/favicon.svg', 3000);
    expect(clientIsStale(root)).toBe(true);
    at('public/favicon.svg', 1000);
    at('vite.config.ts', 2500);
    expect(clientIsStale(root)).toBe(true);
  });

  it('is stale when a module shared with the server (common/) changed since', () => {
    at('dist/client/index.html', 2000);
    at('src/main.tsx', 1000);
    at('common/status.ts', 3000);
    expect(clientIsStale(root)).toBe(true);
  });
});
