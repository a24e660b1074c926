import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../store/db.js';
import { openStore } from '../../store/open.js';
import { normalizeError, REASON_MAX_CHARS } from './normalize.js';

// The failure-reason normalizer, in TypeScript (remote mode) and in SQL (the stored
// `instances.error_reason`, migration 004_overview): what it masks, and that both agree.

let db: Db;
beforeAll(async () => {
  db = (await openStore({ dataDir: 'memory' })).db;
});
afterAll(async () => {
  await db?.close();
});

const inSql = async (texts: string[]): Promise<string[]> =>
  (await db.query<{ r: string }>(`select flows_error_reason(t) as r from unnest($1::text[]) with ordinality as u(t, o) order by o`, [texts])).map((r) => r.r);

const CASES: [string, string][] = [
  ['insufficient funds on users:42', 'insufficient funds on users:{n}'],
  ['insufficient funds on users:7', 'insufficient funds on users:{n}'],
  [
    'running numscript: script execution failed: account(s) @users:002 had/have insufficient funds',
    'running numscript: script execution failed: account(s) @users:{n} had/have insufficient funds',
  ],
  ["send.amount.amount: unable to parse '12.50' as big int", "send.amount.amount: unable to parse '{n}.{n}' as big int"],
  ['reading account: 7f3a2b1c-1111-2222-3333-444455556666: wallet not found', 'reading account: {id}: wallet not found'],
  ['payment pi_3Q9seed42 not found', 'payment {id} not found'],
  // the asset's precision and version suffixes are kept
  ['cannot move [USD/2 100] with v2', 'cannot move [USD/2 {n}] with v2'],
  ['order-1001 failed', 'order-{n} failed'],
  // white space: runs collapsed, ends trimmed (multi-line validator text)
  ["  Key: 'Send.Amount' Error:\n\tField validation failed  ", "Key: 'Send.Amount' Error: Field validation failed"],
  // words without digits, and short ones, stay
  ['wallet not found', 'wallet not found'],
  ['ab12 xy', 'ab12 xy'],
  ['', ''],
];

describe('failure reason normalizer', () => {
  it('masks amounts, ids and account segments, keeps the rest', async () => {
    for (const [input, expected] of CASES) expect(normalizeError(input), input).toBe(expected);
    expect(await inSql(CASES.map(([input]) => input))).toEqual(CASES.map(([, expected]) => expected));
  });

  it('groups failures that differ only by account, amount or id', () => {
    expect(normalizeError('insufficient funds on users:42')).toBe(normalizeError('insufficient funds on users:7'));
    expect(normalizeError('wallet 3f1c9e2a-0000-4000-8000-000000000001 not found')).toBe(normalizeError('wallet 9b7d1e44-aaaa-4bbb-8ccc-123456789abc not found'));
    expect(normalizeError('insufficient funds on users:42')).not.toBe(normalizeError('account users:42 not found'));
  });

  it(`keeps at most ${REASON_MAX_CHARS} characters`, async () => {
    const long = 'é'.repeat(400);
    expect(Array.from(normalizeError(long))).toHaveLength(REASON_MAX_CHARS);
    expect(await inSql([long])).toEqual([normalizeError(long)]);
  });

  it('TypeScript and SQL agree on generated error texts', async () => {
    // An alphabet that exercises every rule: digits, hex letters, word characters, the
    // separators ids and accounts use, white space, and some non-ASCII.
    const piece = fc.oneof(
      fc.constantFrom('users:', '@', ':', '/', '-', '_', '.', ' ', '  ', '\n', '\t', '[', ']', "'", 'USD/2', 'v2', 'é', '€', '{', '}'),
      fc.stringMatching(/^[0-9]{1,12}$/),
      fc.stringMatching(/^[a-fA-F0-9]{1,10}$/),
      fc.stringMatching(/^[A-Za-z_]{1,10}$/),
      fc.uuid(),
    );
    const texts = fc.sample(
      fc.array(piece, { maxLength: 14 }).map((parts) => parts.join('')),
      { numRuns: 400, seed: 18 },
    );
    const sql = await inSql(texts);
    texts.forEach((t, i) => expect(sql[i], JSON.stringify(t)).toBe(normalizeError(t)));
  });
});
