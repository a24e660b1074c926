#!/usr/bin/env node
// Bundles the server: server/main.ts → dist/server/main.mjs (esbuild, node20 ESM, deps external).
import { SERVER_BUNDLE, buildServer } from './lib/build.mjs';

const t0 = performance.now();
const code = await buildServer();
if (code === 0) console.log(`server bundle: ${SERVER_BUNDLE} (${Math.round(performance.now() - t0)} ms)`);
process.exit(code);
