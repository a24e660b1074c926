// Building the SPA (vite) and the server bundle (esbuild). Used by start, build and test.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, binPath, runNode } from './proc.mjs';

/** Where vite.config.ts builds the SPA; the server serves it from here (STATIC_DIR's default). */
export const CLIENT_OUT_DIR = 'dist/client';
export const SERVER_ENTRY = 'server/main.ts';
export const SERVER_BUNDLE = 'dist/server/main.mjs';

/** The inputs of the SPA build: when any is newer than the built index.html, rebuild. */
export const CLIENT_INPUTS = ['src', 'common', 'index.html', 'public', 'vite.config.ts'];

/** Newest modification time (ms) of the given files/directories (walked recursively), 0 if none exist. */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return; // missing input: nothing to compare
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) visit(join(p, name));
    } else if (st.mtimeMs > newest) {
      newest = st.mtimeMs;
    }
  };
  for (const p of paths) visit(p);
  return newest;
}

/** True when `<root>/dist/client/index.html` is missing or older than any SPA input. */
export function clientIsStale(root = ROOT) {
  const built = join(root, CLIENT_OUT_DIR, 'index.html');
  if (!existsSync(built)) return true;
  return newestMtime(CLIENT_INPUTS.map((p) => join(root, p))) > statSync(built).mtimeMs;
}

/** `vite build` (vite.config.ts sets outDir to dist/client). Resolves with the exit code. */
export async function buildClient() {
  const { code } = await runNode(binPath('vite'), ['build']);
  return code;
}

/**
 * Packages the server bundle leaves to npm (the package's only runtime dependencies): PGlite
 * loads its WebAssembly and data files from its own directory, and pg is kept whole (its
 * optional native binding is looked up at run time). Everything else the server imports (Hono,
 * prom-client, yaml, …) is bundled into dist/server/main.mjs, so an installed package needs no
 * other dependency.
 */
export const SERVER_EXTERNALS = ['@electric-sql/pglite', 'pg', 'pg-native'];

/**
 * esbuild options of the server bundle that `npm start` and the npm package run (the bench builds
 * the same to `outfile`): server/main.ts with its dependencies but SERVER_EXTERNALS, one ESM file.
 * Bundled CommonJS modules call `require`, which ESM lacks: the banner provides one. Source maps
 * without the sources' text (stack traces only need the mappings).
 */
export function serverBuildOptions(outfile) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [SERVER_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: SERVER_EXTERNALS,
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  };
}

export async function buildServer() {
  const esbuild = await import('esbuild');
  try {
    await esbuild.build(serverBuildOptions(SERVER_BUNDLE));
    return 0;
  } catch {
    // esbuild has already printed the errors (logLevel warning).
    return 1;
  }
}

/**
 * What `npm start` does before serving: `vite build` only when the SPA is missing or stale, then
 * always the (fast) server bundle. Resolves with 0, or the failing step's exit code.
 */
export async function buildForStart() {
  if (clientIsStale()) {
    console.log('Building the console (vite build)…');
    const code = await buildClient();
    if (code !== 0) {
      console.error('vite build failed.');
      return code;
    }
  }
  const code = await buildServer();
  if (code !== 0) console.error('server bundle (esbuild) failed.');
  return code;
}
