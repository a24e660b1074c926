import { TokenIssuer } from '../http/auth.js';
import { defaultLogger, errorFields, Logger, setDefaultLogger } from '../lib/log.js';
import { remoteSettings } from '../remote/settings.js';
import { startServer } from '../server.js';
import { VERSION } from '../version.js';
import type { Config } from '../config.js';
import type { Command } from './command.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from './usage-error.js';

/** How long a shutdown may take before the process gives up and exits 1. */
const SHUTDOWN_BUDGET_MS = 15_000;

/** `flows-console [serve]`: serves the console and the API until SIGINT or SIGTERM. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the console and the API (the default command)',
  args: [],
  settings: () => true,
  async run({ config }) {
    checkSettings(config);
    const log = new Logger({ format: config.logFormat, level: config.logLevel });
    setDefaultLogger(log);
    let running;
    try {
      running = await startServer(config);
    } catch (err) {
      log.error(`cannot start: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT_FAILED;
    }
    const mode = config.formanceUrl
      ? `remote stack ${running.context.mode === 'remote' ? running.context.remote.stackUrl : ''}`
      : config.databaseUrl
        ? 'embedded (PostgreSQL)'
        : `embedded (PGlite, ${config.dataDir})`;
    log.info(`Flows Console ${VERSION} — ${mode}`, { version: VERSION });
    if (running.metricsUrl) log.info(`Metrics on ${running.metricsUrl}/metrics`, { metricsUrl: running.metricsUrl });
    // Scripts and tests read this line to find the port (text format).
    log.info(`Listening on ${running.url}`, { url: running.url });
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info(`${signal}: shutting down`);
        const timer = setTimeout(() => {
          log.error('shutdown took too long; exiting');
          resolve(EXIT_FAILED);
        }, SHUTDOWN_BUDGET_MS);
        try {
          await running.close();
          resolve(EXIT_OK);
        } catch (err) {
          defaultLogger().error('shutdown failed', errorFields(err));
          resolve(EXIT_FAILED);
        } finally {
          clearTimeout(timer);
        }
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
  },
};

/**
 * Checks that need several settings together (as the server would at start, but before anything
 * opens, so that a mistake is a usage error, exit 2). Messages never include a secret.
 */
function checkSettings(config: Config): void {
  try {
    if (config.formanceUrl) remoteSettings(config);
    else TokenIssuer.fromConfig(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (config.metricsPort !== undefined && config.metricsPort !== 0 && config.metricsPort === config.port && (config.metricsHost ?? config.host) === config.host) {
    throw new UsageError(`--metrics-port (METRICS_PORT) must differ from --port (PORT): both are ${config.port}`);
  }
}
