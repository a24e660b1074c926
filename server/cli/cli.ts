import { configFromEnv, ConfigError } from '../config.js';
import { VERSION } from '../version.js';
import { backupCommand, restoreCommand } from './backup.js';
import type { Command, Io } from './command.js';
import { helpText } from './help.js';
import { parseCommandLine } from './parse.js';
import { serveCommand } from './serve.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './usage-error.js';

/**
 * `flows-console [command] [options]`. The first command is the default one (`serve`); a command
 * is added to this list with the settings it reads and its arguments (see command.ts).
 */
export const COMMANDS: readonly Command[] = [serveCommand, backupCommand, restoreCommand];

const stdio: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs the command line; resolves with the exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, io: Io = stdio): Promise<number> {
  const named = argv[0] !== undefined && !argv[0].startsWith('-') ? COMMANDS.find((c) => c.name === argv[0]) : undefined;
  if (argv[0] !== undefined && !argv[0].startsWith('-') && !named) {
    return usage(io, `unknown command ${JSON.stringify(argv[0])}: choose from ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  const command = named ?? COMMANDS[0]!;
  const rest = named ? argv.slice(1) : argv;
  try {
    const parsed = parseCommandLine(command, rest);
    if (parsed.help) {
      io.out(helpText(command, COMMANDS));
      return EXIT_OK;
    }
    if (parsed.version) {
      io.out(`${VERSION}\n`);
      return EXIT_OK;
    }
    const config = configFromEnv(env, parsed.flags);
    return await command.run({ config, args: parsed.args, io });
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) return usage(io, err.message);
    io.err(`flows-console: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILED;
  }
}

function usage(io: Io, message: string): number {
  io.err(`flows-console: ${message}\nRun flows-console --help for the options.\n`);
  return EXIT_USAGE;
}
