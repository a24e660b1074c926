/** Formats of the ledger's identifiers (docs/compatibility.md: sandbox identifiers). */

const ADDRESS = /^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)*$/;
const ASSET = /^[A-Z][A-Z0-9]{0,16}(_[A-Z]{1,16})?(\/\d{1,6})?$/;
const LEDGER = /^[0-9A-Za-z_-]{1,63}$/;

export const isValidAddress = (a: string) => ADDRESS.test(a);
export const isValidAsset = (a: string) => ASSET.test(a);
export const isValidLedgerName = (n: string) => LEDGER.test(n) && !['_', '_info', '_healthcheck'].includes(n);

/** A JSON amount: a non-negative integer (number or bigint from the lossless parser). */
export function parseAmount(v: unknown): bigint | string {
  if (typeof v === 'bigint') return v < 0n ? 'negative amount' : v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return `amount must be an integer, got ${v}`;
    if (v < 0) return 'negative amount';
    return BigInt(v);
  }
  if (v === undefined || v === null) return 'amount is required';
  return `amount must be an integer number, got ${typeof v}`;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string → string map, or the name of the first offending key. */
export function checkStringMap(v: unknown): Record<string, string> | string {
  if (!isPlainObject(v)) return 'expected an object of strings';
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') return `value of '${k}' must be a string`;
  return v as Record<string, string>;
}
