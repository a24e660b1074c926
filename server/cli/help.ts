import { fileEnv, SETTINGS, type Setting } from '../config.js';
import { VERSION } from '../version.js';
import type { Command } from './command.js';

const BIN = 'flows-console';

/** `flows-console [command] --help`: usage, commands, every flag with its variable and default. */
export function helpText(command: Command, commands: readonly Command[]): string {
  const settings = SETTINGS.filter(command.settings);
  const plain = settings.filter((s) => !s.secret);
  const secrets = settings.filter((s) => s.secret);
  const args = command.args.map((a) => ` <${a.name}>`).join('');
  const lines: string[] = [];
  const isDefault = command === commands[0];
  lines.push(`Usage: ${BIN} ${isDefault ? `[${command.name}]` : command.name}${args} [options]`);
  if (isDefault) lines.push(`       ${BIN} <command> --help`);
  lines.push('', `Flows Console ${VERSION}: the web console of Formance Flows, with an embedded Flows-compatible service.`, '');
  if (isDefault) {
    lines.push('Commands:');
    const w = Math.max(...commands.map((c) => c.name.length));
    for (const c of commands) lines.push(`  ${c.name.padEnd(w)}  ${c.summary}`);
    lines.push('');
  } else lines.push(`${command.name}: ${command.summary}`, '');
  if (command.args.length) {
    lines.push('Arguments:');
    for (const a of command.args) lines.push(`  <${a.name}>  ${a.help}`);
    lines.push('');
  }
  lines.push('Options (each flag has an environment variable; a flag wins over its variable):');
  for (const s of plain) lines.push(...optionLines(s));
  if (secrets.length) {
    lines.push('', 'Secrets, never on the command line: from their environment variable, or from a file');
    lines.push('(the file flag, or the variable with _FILE; the file holds the value alone):');
    for (const s of secrets) {
      lines.push(`  ${s.env}, ${s.flag} ${s.arg ?? '<file>'} or ${fileEnv(s)}`);
      lines.push(`      ${s.help.replace(/`/g, '')}${s.shown !== '—' ? ` (default: ${s.shown})` : ''}`);
    }
  }
  lines.push('', '  -h, --help       this help', '  -v, --version    print the version', '');
  lines.push('Exit codes: 0 done, 1 failed while running (cannot listen, database unreachable), 2 bad usage or setting.');
  return `${lines.join('\n')}\n`;
}

function optionLines(s: Setting): string[] {
  const flag = s.boolean ? `${s.flag}, --no-${s.flag.slice(2)}` : `${s.flag} ${s.arg ?? '<value>'}`;
  const meta = `${s.env}${s.shown !== '—' ? `, default ${s.shown}` : ''}`;
  return [`  ${flag.padEnd(34)} ${meta}`, `      ${s.help.replace(/`/g, '')}`];
}
