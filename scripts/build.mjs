#!/usr/bin/env node
// `npm run build`: the SPA (vite → dist/client) and the server bundle (esbuild → dist/server).
import { buildClient, buildServer } from './lib/build.mjs';

const client = await buildClient();
if (client !== 0) {
  console.error('build: vite build failed');
  process.exit(client);
}
process.exit(await buildServer());
