import { existsSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

// Projects: `server` (Node: the server, its HTTP API over real sockets, the scripts) and `ui`
// (jsdom: the SPA, built with the same Vite plugins as the app), which the `unit` suite of
// `npm test` runs; the PostgreSQL suite re-runs `server` with TEST_DATABASE_URL set. `package`
// (the npm package, packed and installed) needs the build: its own suite runs it after `build`.
const uiSetup = 'src/test/setup.ts';

export default defineConfig({
  test: {
    passWithNoTests: true,
    projects: [
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts', 'scripts/**/*.test.ts', 'common/**/*.test.ts', 'e2e/fixtures/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'scripts/package/**'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'package',
          include: ['scripts/package/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 480_000,
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
