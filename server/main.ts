import { configFromEnv } from './config.js';
import { startServer } from './server.js';
import { VERSION } from './version.js';

/** The process: reads the environment, starts the server (server.ts), shuts down on a signal. */
async function main() {
  const config = configFromEnv();
  const running = await startServer(config);
  const mode = config.formanceUrl ? `remote stack ${config.formanceUrl}` : config.databaseUrl ? 'embedded (PostgreSQL)' : `embedded (PGlite, ${config.dataDir})`;
  console.log(`Flows Console ${VERSION} — ${mode}`);
  console.log(`Listening on ${running.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const timer = setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    await running.close();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
