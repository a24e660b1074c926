// The npm package as a user gets it: `npm pack` of this tree (already built: dist/client and
// dist/server), then `npm install <tarball> --omit=dev` in an empty folder, as `npx flows-console`
// would. Used by the `package` suite of `npm test` and by the bench (package size).
import { existsSync, mkdirSync, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_OUT_DIR, SERVER_BUNDLE } from './build.mjs';
import { ROOT, run, secondsSince } from './proc.mjs';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Apparent size in bytes of every file under `dir` (symbolic links not followed). */
export function treeBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    total += st.isDirectory() ? treeBytes(p) : st.size;
  }
  return total;
}

/**
 * Packs the built tree into `dir` and installs the tarball into `dir/app` (production
 * dependencies only, from npm's cache when it has them). Throws with npm's output on failure.
 * Resolves with the tarball, its sizes, where it is installed, and the seconds each step took.
 */
export async function packAndInstall(dir) {
  for (const built of [join(CLIENT_OUT_DIR, 'index.html'), SERVER_BUNDLE]) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  mkdirSync(dir, { recursive: true });
  let t0 = performance.now();
  // --ignore-scripts: the tree is built already (prepack would build it again).
  const pack = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { capture: true, timeoutMs: 180_000 });
  if (pack.code !== 0) throw new Error(`npm pack exited with ${pack.code}:\n${pack.out.slice(-3000)}`);
  const [info] = JSON.parse(pack.out.slice(pack.out.indexOf('[')));
  const packSeconds = secondsSince(t0);

  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'try-flows-console', private: true }));
  t0 = performance.now();
  const install = await run(NPM, ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', join(dir, info.filename)], {
    cwd: app,
    capture: true,
    timeoutMs: 300_000,
  });
  if (install.code !== 0) throw new Error(`npm install of the tarball exited with ${install.code}:\n${install.out.slice(-3000)}`);
  return {
    tarball: join(dir, info.filename),
    files: info.files.map((f) => f.path),
    packedBytes: info.size,
    unpackedBytes: info.unpackedSize,
    app,
    installedBytes: treeBytes(join(app, 'node_modules')),
    installedPackages: readdirSync(join(app, 'node_modules')).flatMap((n) =>
      n.startsWith('@') ? readdirSync(join(app, 'node_modules', n)).map((m) => `${n}/${m}`) : n.startsWith('.') ? [] : [n],
    ),
    packSeconds,
    installSeconds: secondsSince(t0),
  };
}
