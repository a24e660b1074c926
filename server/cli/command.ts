import type { Config, Setting } from '../config.js';

/** What a command writes to (stdout/stderr; tests capture them). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A `flows-console <command>`: the settings it reads (as flags and environment variables), its
 * positional arguments, and what it does. `serve` is the default command; `backup <file>` and
 * `restore <file>` read only the database settings.
 */
export interface Command {
  name: string;
  /** one line for the command list */
  summary: string;
  /** positional arguments, in order, all required */
  args: { name: string; help: string }[];
  /** the settings this command takes */
  settings: (s: Setting) => boolean;
  /** resolves with the exit code (serve resolves when the server has shut down) */
  run(input: { config: Config; args: string[]; io: Io }): Promise<number>;
}

/** The settings that say which database to use (for commands such as backup and restore). */
export const DATABASE_SETTINGS = (s: Setting) => s.key === 'dataDir' || s.key === 'databaseUrl' || s.key === 'logFormat' || s.key === 'logLevel';
