import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Two projects: `server` (Node: the server, its HTTP API over real sockets, the scripts) and `ui`
// (jsdom: the SPA, built with the same Vite plugins as the app). `npm test` runs both; the
// PostgreSQL suite re-runs `server` with TEST_DATABASE_URL set.
const uiSetup = 'src/test/setup.ts';

export default defineConfig({
  test: {
    passWithNoTests: true,
    projects: [
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts', 'scripts/**/*.test.ts', 'common/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: existsSync('vite.config.ts') ? './vite.config.ts' : undefined,
        test: {
          name: 'ui',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: existsSync(uiSetup) ? [uiSetup] : [],
        },
      },
    ],
  },
});
