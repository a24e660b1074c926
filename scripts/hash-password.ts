// Prints a password hash for AUTH_USERS (`name:<hash>:role`): `npm run hash-password`, then type
// the password (not echoed when run in a terminal), or pipe it on standard input.
import { createInterface } from 'node:readline';
import { hashPassword } from '../server/lib/password.js';

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stderr.write('Password: ');
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  }
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  rl.close();
  if (process.stdin.isTTY) process.stderr.write('\n');
  return line;
}

const password = await readPassword();
if (!password) {
  console.error('hash-password: the password is empty');
  process.exit(1);
}
console.log(await hashPassword(password));
