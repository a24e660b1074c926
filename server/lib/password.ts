import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes for `AUTH_USERS`, with Node's built-in scrypt (no native addon). A hash reads
 *
 *     scrypt.<N>.<r>.<p>.<salt>.<key>          salt and key in base64url
 *
 * so it carries its own cost parameters (a later default never breaks an existing hash) and holds
 * no character that a shell, an `.env` file or the `AUTH_USERS` list (`:` and `,`) treats
 * specially. `npm run hash-password` prints one. Hashing runs on libuv's thread pool: a sign-in
 * never blocks the event loop.
 */

/** Cost of new hashes: N = 2^15, r = 8 (32 MiB, about 0.1 s on one core), p = 1. */
export const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Bounds on the parameters a configured hash may ask for (a typo must not take the server down). */
const MAX = { N: 2 ** 20, r: 32, p: 16 };

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

interface ParsedHash extends ScryptCost {
  salt: Buffer;
  key: Buffer;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A new hash of `password` (random salt). */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  if (password.length === 0) throw new Error('the password is empty');
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('.');
}

/** The parts of a hash, or the problem with it (never repeating the hash itself). */
export function parsePasswordHash(text: string): ParsedHash | string {
  const parts = text.split('.');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return "expected a hash made by 'npm run hash-password' (scrypt.N.r.p.salt.key)";
  const [N, r, p] = parts.slice(1, 4).map((n) => (/^\d{1,8}$/.test(n) ? Number(n) : NaN)) as [number, number, number];
  if (!(N >= 2 && N <= MAX.N && (N & (N - 1)) === 0)) return `the scrypt cost N must be a power of 2 up to ${MAX.N}`;
  if (!(r >= 1 && r <= MAX.r)) return `the scrypt block size r must be between 1 and ${MAX.r}`;
  if (!(p >= 1 && p <= MAX.p)) return `the scrypt parallelism p must be between 1 and ${MAX.p}`;
  const b64 = /^[A-Za-z0-9_-]+$/;
  if (!b64.test(parts[4]!) || !b64.test(parts[5]!)) return 'the salt and key must be base64url';
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8) return 'the salt is too short (at least 8 bytes)';
  if (key.length !== KEY_LENGTH) return `the key must be ${KEY_LENGTH} bytes`;
  return { N, r, p, salt, key };
}

/** Whether `password` matches `hash` (constant time in the key). A malformed hash never matches. */
export async function verifyPassword(password: string, hash: string | ParsedHash): Promise<boolean> {
  const parsed = typeof hash === 'string' ? parsePasswordHash(hash) : hash;
  if (typeof parsed === 'string') return false;
  const key = await derive(password, parsed.salt, parsed);
  return timingSafeEqual(key, parsed.key);
}
