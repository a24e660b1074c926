import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamDouble, type UpstreamDouble } from '../../e2e/fixtures/upstream/server.js';
import { configFromEnv } from '../config.js';
import { rawRequest } from '../http/raw-request.js';
import { startServer, type RunningServer } from '../main.js';

/**
 * The console server in remote mode against a stand-in that answers as upstream Flows and the
 * stack's auth do: the stack drops scopes a client does not hold when it issues a token, and
 * refuses the calls that need them with an empty 401.
 */

const FLOWS = ['orchestration:read', 'orchestration:write'];
const DATA = ['ledger:read', 'ledger:write', 'wallets:read', 'wallets:write', 'payments:read', 'payments:write'];

let stack: UpstreamDouble;
const consoles: RunningServer[] = [];

async function consoleFor(clientId: string): Promise<RunningServer> {
  const server = await startServer(
    configFromEnv({ PORT: '0', QUIET: 'true', FORMANCE_URL: stack.url, FORMANCE_CLIENT_ID: clientId, FORMANCE_CLIENT_SECRET: `${clientId}-secret` }),
  );
  consoles.push(server);
  return server;
}

const health = async (server: RunningServer) => (await rawRequest(server.url, '/api/console/info')).json().health;

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) return;
  stack = await startUpstreamDouble({
    seed: false,
    clients: [
      { id: 'all', secret: 'all-secret', scopes: [...FLOWS, ...DATA] },
      { id: 'ledger-only', secret: 'ledger-only-secret', scopes: ['ledger:read'] },
      { id: 'reader', secret: 'reader-secret', scopes: ['orchestration:read', ...DATA] },
      { id: 'flows-only', secret: 'flows-only-secret', scopes: FLOWS },
    ],
  });
}, 120_000);

afterAll(async () => {
  for (const c of consoles) await c.close();
  await stack?.close();
});

// The double is about HTTP, not the database: the PostgreSQL re-run skips it.
describe.skipIf(!!process.env.TEST_DATABASE_URL)('remote health and scopes against the upstream double', () => {
  it('is healthy when a real authenticated read succeeds with every scope asked for', async () => {
    expect(await health(await consoleFor('all'))).toEqual({ ok: true });
  });

  it('is unhealthy, naming orchestration:read, when the stack refuses the read (the token itself was issued)', async () => {
    const h = await health(await consoleFor('ledger-only'));
    expect(h.ok).toBe(false);
    expect(h.message).toMatch(/refused the console's token on a read of its workflows \(HTTP 401\): the client needs the orchestration:read scope \(its token grants ledger:read\)/);
  });

  it('is unhealthy, naming orchestration:write, when reads work but the stack left the write scope out of the token', async () => {
    const server = await consoleFor('reader');
    const h = await health(server);
    expect(h).toEqual({ ok: false, message: expect.stringContaining('did not grant the console\'s client orchestration:write') });
    // And a write through the proxy says which scope it needed.
    const r = await rawRequest(server.url, '/api/orchestration/v2/workflows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stages":[]}' });
    expect(r.status).toBe(502);
    expect(r.json().errorMessage).toMatch(/lacks a scope \(POST \/api\/orchestration needs orchestration:write\)/);
  });

  it('stays healthy without the stack-data scopes, and says which pages will be refused', async () => {
    const h = await health(await consoleFor('flows-only'));
    expect(h.ok).toBe(true);
    expect(h.message).toMatch(/did not grant the console's client ledger:read, ledger:write, wallets:read.*payments:write: the pages that need them will be refused/);
  });
});
