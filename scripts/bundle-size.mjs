#!/usr/bin/env node
// Initial JS of the production build: the entry script of dist/client/index.html plus every chunk
// it preloads or statically imports, gzipped. Fails (exit 1) above the budget, or when a heavy
// module that must load lazily (Monaco, xyflow, yaml) is found in the initial chunks.
//   node scripts/bundle-size.mjs [distDir]      (after `npm run build`)
// The same check runs in `npm test` as e2e/bundle.spec.ts, right after the build suite.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// 150 kB until the command palette and the list dialogs became lazy (141 kB then), 145 kB until the
// search schemas moved from zod to valibot and other pages' loaders left it (135.6 kB then), 136.5 kB
// until the Workflows and Instances loaders asked for their rows' roles, views and names alongside
// them (137.3 kB; those modules loaded with those pages anyway): what is left is React, the router,
// TanStack Query and the app's shell.
export const BUDGET_BYTES = 138 * 1000; // gzipped, as Vite reports sizes

/** Text that survives minification and betrays a heavy module. */
export const FORBIDDEN = [
  { name: 'monaco-editor', pattern: /monaco-editor|vs\/editor\/|MonacoEnvironment/ },
  { name: '@xyflow/react', pattern: /react-flow__|xyflow/ },
  { name: 'yaml', pattern: /Implicit keys need to be on a single line|YAMLParseError/ },
];

/** Same-directory chunks a chunk imports statically (`import … from "./x.js"`, `import "./x.js"`). */
function staticImports(code) {
  const found = new Set();
  const re = /(?:^|[;\s}])(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["'](\.\.?\/[^"']+\.js)["']/g;
  for (const m of code.matchAll(re)) found.add(m[1]);
  return [...found];
}

export function measureInitialBundle(distDir) {
  const htmlPath = path.join(distDir, 'index.html');
  if (!existsSync(htmlPath)) throw new Error(`${htmlPath} not found: run \`npm run build\` first`);
  const html = readFileSync(htmlPath, 'utf8');
  const roots = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ];
  const seen = new Map();
  const queue = roots.map((src) => path.join(distDir, src.replace(/^\//, '')));
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    const code = readFileSync(file);
    seen.set(file, { file: path.relative(distDir, file), bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, code: code.toString('utf8') });
    for (const rel of staticImports(code.toString('utf8'))) queue.push(path.join(path.dirname(file), rel));
  }
  const files = [...seen.values()].sort((a, b) => b.gzip - a.gzip);
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  const forbidden = [];
  for (const f of files) for (const { name, pattern } of FORBIDDEN) if (pattern.test(f.code)) forbidden.push(`${name} in ${f.file}`);
  return { files: files.map(({ code, ...rest }) => rest), total, budget: BUDGET_BYTES, forbidden };
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const distDir = path.resolve(process.argv[2] ?? path.join(root, 'dist/client'));
  const result = measureInitialBundle(distDir);
  for (const f of result.files) console.log(`${kb(f.gzip).padStart(10)} gz  ${kb(f.bytes).padStart(10)}  ${f.file}`);
  console.log(`initial JS: ${kb(result.total)} gzipped (budget ${kb(result.budget)})`);
  let ok = true;
  if (result.total > result.budget) {
    console.error(`over budget by ${kb(result.total - result.budget)}`);
    ok = false;
  }
  for (const f of result.forbidden) {
    console.error(`heavy module in the initial bundle: ${f}`);
    ok = false;
  }
  process.exit(ok ? 0 : 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
