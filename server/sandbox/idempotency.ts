import { createHash } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { invalid } from './errors.js';

/**
 * Idempotency keys of the sandbox's writes, as upstream's ledger: a key used again with the same
 * input answers the first result; with another input it is refused. The input is compared by a
 * hash of its canonical JSON (keys sorted, bigints as digits, dates as ISO text).
 */

export function hashOf(op: string, input: unknown): string {
  return createHash('sha256').update(op).update('\u0000').update(canonical(input)).digest('hex');
}

function canonical(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The stored result when `key` was used with the same input; VALIDATION when with another. */
export async function idempotencyHit(tx: Queryable, ledger: string, key: string, hash: string): Promise<unknown> {
  const [row] = await tx.query<{ hash: string; result: unknown }>(`select hash, result from sb_idempotency where ledger = $1 and key = $2`, [ledger, key]);
  if (!row) return null;
  if (row.hash !== hash) throw invalid(`invalid idempotency hash when using idempotency key '${key}'`);
  return row.result;
}

export async function saveIdempotency(tx: Queryable, ledger: string, key: string, hash: string, result: unknown) {
  await tx.query(`insert into sb_idempotency (ledger, key, hash, result, created_at) values ($1, $2, $3, $4::jsonb, $5)`, [
    ledger,
    key,
    hash,
    JSON.stringify(result),
    new Date(),
  ]);
}
