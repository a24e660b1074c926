/**
 * The server the external clients (compat/go, compat/schemathesis) run against: the real server,
 * started in this process on a free port with a temporary PGlite data dir (or DATABASE_URL),
 * nothing seeded. A second listener, on another loopback port and only in this test process,
 * answers `GET /counts` (row count of every table) and `GET /counts?quiet=1` (the same once the
 * engine and the trigger dispatcher have settled), so a fuzzer can check that a refused request
 * stored nothing. Prints one JSON line `{"url", "probe"}` once both listen; SIGTERM stops it.
 *
 *   npx tsx compat/server.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv } from '../server/config.js';
import { startServer } from '../server/server.js';
import { rowCounts, waitQuiet } from '../server/reliability/support.js';

const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'flows-compat-'));
const server = await startServer(configFromEnv({ ...process.env, PORT: '0', SEED: 'false', QUIET: 'true', ...(dataDir ? { DATA_DIR: dataDir } : {}) }));

const probe = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://probe');
  if (url.pathname !== '/counts') return void res.writeHead(404).end();
  (url.searchParams.has('quiet') ? waitQuiet(server.ctx.db) : rowCounts(server.ctx.db)).then(
    (counts) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts)),
    (err) => res.writeHead(500).end(String(err)),
  );
});
await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
const { port } = probe.address() as { port: number };
console.log(JSON.stringify({ url: server.url, probe: `http://127.0.0.1:${port}` }));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  probe.close();
  await server.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
