/**
 * The failure reason of an instance: its error text with what varies between runs masked, so
 * that failures of the same cause group together (`insufficient funds on users:42` and
 * `… users:7` → `insufficient funds on users:{n}`). Rules, in order:
 *
 * 1. runs of white space become one space, and the ends are trimmed;
 * 2. UUIDs become `{id}`;
 * 3. words (letters, digits, `_`) of 8 characters or more that contain a digit become `{id}`
 *    (payment, wallet and transaction references);
 * 4. other runs of digits become `{n}` (amounts, account segments, counts), except right after a
 *    letter, digit or `/` (`v2`, the precision of `USD/2`);
 * 5. at most 300 characters are kept.
 *
 * The database computes the same function in SQL (`flows_error_reason`, migration
 * 004_overview) for the stored `instances.error_reason`; remote mode, which has no database,
 * uses this one. normalize.test.ts holds both to the same output.
 */
const RULES: [RegExp, string][] = [
  [/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/g, '{id}'],
  [/(^|[^A-Za-z0-9_])(?=[A-Za-z0-9_]{8})[A-Za-z_]*[0-9][A-Za-z0-9_]*/g, '$1{id}'],
  [/(^|[^A-Za-z0-9_/])[0-9]+/g, '$1{n}'],
];

export const REASON_MAX_CHARS = 300;

export function normalizeError(error: string): string {
  let s = error.replace(/[ \t\r\n\f\v]+/g, ' ').replace(/^ +| +$/g, '');
  for (const [pattern, replacement] of RULES) s = s.replace(pattern, replacement);
  const chars = Array.from(s);
  return chars.length > REASON_MAX_CHARS ? chars.slice(0, REASON_MAX_CHARS).join('') : s;
}

/** An instance's error that counts as a failure (not an abort), as the list's `failed` status. */
export function isFailure(error: string | undefined | null): error is string {
  return !!error && error !== 'canceled' && error !== 'cancelled';
}
