import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/lib/chromium.mjs';

// Browser journeys against the real built server (`npm run build` first; `npm test` and
// `npm run test:e2e` do it). Debian's Chromium: Playwright cannot download its own browser here.
const port = Number(process.env.E2E_PORT ?? 3199);
const baseURL = `http://127.0.0.1:${port}`;
// Shared with e2e/remote*.spec.ts (imported there): ports next to the main one. The stack is the
// upstream double (e2e/fixtures/upstream): Flows answering as upstream does, behind a gateway with
// the stack's OAuth2 token endpoint and scope checks.
const FULL_SCOPES = 'orchestration:read orchestration:write ledger:read ledger:write wallets:read wallets:write payments:read payments:write';
export const remoteStack = {
  port: port + 1,
  url: `http://127.0.0.1:${port + 1}`,
  clientId: 'e2e-console',
  clientSecret: 'e2e-secret-must-not-leak-7f3a',
  /** a client the stack gave only `ledger:read` */
  limitedClientId: 'e2e-ledger-only',
  limitedClientSecret: 'e2e-ledger-only-secret',
  version: 'v2.2.4',
};
export const remoteConsole = { port: port + 2, url: `http://127.0.0.1:${port + 2}` };
/**
 * The embedded server with AUTH_CLIENTS and AUTH_USERS: the console's own sign-in and roles
 * (e2e/auth.spec.ts, e2e/roles.spec.ts, e2e/approvals.spec.ts). `clientId` has no role (full access).
 */
export const authServer = {
  port: port + 4,
  url: `http://127.0.0.1:${port + 4}`,
  clientId: 'e2e-console',
  clientSecret: 'e2e-secret-must-not-leak-7f3a',
  /** two operators, for four eyes (e2e/approvals.spec.ts) */
  operators: [
    { clientId: 'e2e-alice', clientSecret: 'e2e-alice-secret' },
    { clientId: 'e2e-bob', clientSecret: 'e2e-bob-secret' },
  ],
  viewer: { id: 'e2e-viewer', secret: 'e2e-viewer-secret-41d0' },
  operator: { id: 'e2e-operator', secret: 'e2e-operator-secret-8b2e' },
  /** a person of AUTH_USERS; the hash is `npm run hash-password` of the password (scrypt, N = 2^14) */
  person: {
    name: 'alice',
    password: 'e2e-alice-password-3c9d',
    role: 'operator',
    hash: 'scrypt.16384.8.1.z63vXxWUDDwMbhUZldswgg.SbTo31I9RHtyN5w06TOI4Hmu92ugFjSMM7rQD9TjGuc',
  },
};
/** A console whose client lacks the orchestration scopes (health must say so). */
export const remoteConsoleLimited = { port: port + 3, url: `http://127.0.0.1:${port + 3}` };

// A fresh data dir per run, created once by the runner process (workers inherit the variable)
// and deleted when the runner exits. An E2E_DATA_DIR given by the caller is used and kept.
const dataDir = process.env.E2E_DATA_DIR ?? freshDataDir();

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flows-e2e-'));
  process.env.E2E_DATA_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  },
};

export default defineConfig({
  testDir: 'e2e',
  // Journeys only: e2e/fixtures holds Vitest suites of its own (the upstream double's).
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  timeout: 30_000,
  // CI is a 2-core machine running three servers and two browsers: a first page load there can
  // take several seconds. Waiting longer only slows a test that would fail anyway.
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // Never retry: a retry would turn a failure into a pass ("flaky").
  retries: 0,
  // All tests share one server (and its data): journeys create uniquely named data.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  // A journey tagged @exclusive changes what every other journey sees (a list's default view
  // applies to whoever opens the bare list): it runs after all the others, never beside them.
  // `--no-deps` runs one alone.
  projects: [
    { name: 'chromium', grepInvert: /@exclusive/, use: chromium },
    { name: 'exclusive', grep: /@exclusive/, dependencies: ['chromium'], use: chromium },
  ],
  webServer: [
    builtServer(port, { DATA_DIR: dataDir, SEED: 'true' }),
    // Remote mode (e2e/remote*.spec.ts): the upstream double plays the Formance stack; consoles
    // proxy to it with their own credentials.
    {
      ...builtServer(remoteStack.port, {
        DATA_DIR: 'memory',
        SEED: 'true',
        UPSTREAM_VERSION: remoteStack.version,
        UPSTREAM_CLIENTS: `${remoteStack.clientId}:${remoteStack.clientSecret}:${FULL_SCOPES};${remoteStack.limitedClientId}:${remoteStack.limitedClientSecret}:ledger:read`,
      }),
      command: 'node --import tsx e2e/fixtures/upstream/start.ts',
      url: `${remoteStack.url}/api/orchestration/_info`,
    },
    builtServer(authServer.port, {
      DATA_DIR: 'memory',
      SEED: 'true',
      AUTH_CLIENTS: [
        `${authServer.clientId}:${authServer.clientSecret}`,
        ...authServer.operators.map((o) => `${o.clientId}:${o.clientSecret}:operator`),
        `${authServer.viewer.id}:${authServer.viewer.secret}:viewer`,
        `${authServer.operator.id}:${authServer.operator.secret}:operator`,
      ].join(','),
      AUTH_USERS: `${authServer.person.name}:${authServer.person.hash}:${authServer.person.role}`,
    }),
    builtServer(remoteConsole.port, {
      FORMANCE_URL: remoteStack.url,
      FORMANCE_CLIENT_ID: remoteStack.clientId,
      FORMANCE_CLIENT_SECRET: remoteStack.clientSecret,
    }),
    builtServer(remoteConsoleLimited.port, {
      FORMANCE_URL: remoteStack.url,
      FORMANCE_CLIENT_ID: remoteStack.limitedClientId,
      FORMANCE_CLIENT_SECRET: remoteStack.limitedClientSecret,
    }),
  ],
});

/** The real built server on 127.0.0.1:port with extra environment. */
function builtServer(serverPort: number, env: Record<string, string>) {
  return {
    command: 'node --enable-source-maps dist/server/main.mjs',
    url: `http://127.0.0.1:${serverPort}/_healthcheck`,
    reuseExistingServer: false,
    // A cold PGlite start on a busy 2-core machine can take a minute; this bounds a hung start only.
    timeout: 180_000,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: { PORT: String(serverPort), HOST: '127.0.0.1', QUIET: 'true', ...env },
  };
}
