import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SETTINGS, type FlagValues, type Setting } from '../config.js';
import type { Command } from './command.js';
import { UsageError } from './usage-error.js';

export interface Parsed {
  help: boolean;
  version: boolean;
  flags: FlagValues;
  args: string[];
}

/** The flag a secret would have had (`--formance-client-secret`): refused with a pointer to the right way. */
const secretValueFlag = (s: Setting) => s.flag.replace(/-file$/, '');

/** The command's flags (`util.parseArgs`, strict); a mistake is a UsageError naming the flag. */
export function parseCommandLine(command: Command, argv: string[]): Parsed {
  const settings = SETTINGS.filter(command.settings);
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const s of settings) options[s.flag.slice(2)] = { type: s.boolean ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, allowNegative: true });
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string }, settings));
  }
  const { values, positionals } = parsed;
  if (values.help || values.version) return { help: !!values.help, version: !!values.version, flags: {}, args: positionals };

  const flags: FlagValues = {};
  for (const s of settings) {
    const v = values[s.flag.slice(2)];
    if (v === undefined) continue;
    if (typeof v === 'string' && v.trim() === '' && !s.keepEmpty) throw new UsageError(`${s.flag}: needs a value${s.arg ? ` (${s.arg})` : ''}`);
    if (typeof v === 'string' && hasPassword(v)) {
      throw new UsageError(
        `${s.flag}: the URL holds a password, and a command line is visible to every user of this machine: set ${s.env} instead${s.key === 'databaseUrl' ? ', or keep the password in PGPASSWORD or ~/.pgpass' : ''}`,
      );
    }
    flags[s.key] = v as string | boolean;
  }
  const expected = command.args.map((a) => `<${a.name}>`).join(' ');
  if (positionals.length > command.args.length) {
    const extra = positionals[command.args.length]!;
    throw new UsageError(
      command.args.length
        ? `unexpected argument ${JSON.stringify(extra)}: ${command.name} takes ${expected}`
        : `unexpected argument ${JSON.stringify(extra)}: ${command.name} takes no arguments`,
    );
  }
  if (positionals.length < command.args.length) throw new UsageError(`${command.name} needs ${expected}`);
  return { help: false, version: false, flags, args: positionals };
}

function describeParseError(err: Error & { code?: string }, settings: readonly Setting[]): string {
  const flag = /'(-[^'\s]*)/.exec(err.message)?.[1] ?? '';
  const name = flag.split('=')[0]!;
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const secret = settings.find((s) => s.secret && secretValueFlag(s) === name);
    if (secret) {
      return `${name}: a secret is never taken from the command line (other users see it in the process list, and it stays in shell history): set ${secret.env}, or put it in a file and pass ${secret.flag} <file>`;
    }
    return `${name || 'option'}: unknown option`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const s = settings.find((x) => x.flag === name || `--no-${x.flag.slice(2)}` === name);
    if (s?.boolean) return `${name}: takes no value (use ${s.flag} or --no-${s.flag.slice(2)})`;
    if (s) return `${name}: needs a value${s.arg ? ` (${s.arg})` : ''}`;
    return `${name || 'option'}: ${err.message}`;
  }
  return err.message;
}

/** `scheme://user:password@…` */
function hasPassword(value: string): boolean {
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}
