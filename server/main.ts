import { runCli } from './cli/cli.js';

/**
 * The `flows-console` command (and `npm start`): see cli/cli.ts. Exits with the command's code;
 * `serve` resolves once the server has shut down.
 */
process.exit(await runCli(process.argv.slice(2)));
