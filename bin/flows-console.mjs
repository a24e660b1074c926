#!/usr/bin/env node
// The `flows-console` command of the npm package: the server bundle (dist/server/main.mjs, built
// by `npm run build`; the package ships it built) with source-mapped stack traces.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`flows-console needs Node.js 20.19 or later; this is ${process.version}.`);
  process.exit(1);
}
process.setSourceMapsEnabled(true);
try {
  await import('../dist/server/main.mjs');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/server/main.mjs')) {
    console.error('flows-console: the server is not built here (dist/server/main.mjs): run `npm run build` first.');
    process.exit(1);
  }
  throw err;
}
