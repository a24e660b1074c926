import { checkAmount } from '../../common/amount.js';

/** Formats of the ledger's identifiers (docs/compatibility.md: sandbox identifiers). */

const ADDRESS = /^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)*$/;
const ASSET = /^[A-Z][A-Z0-9]{0,16}(_[A-Z]{1,16})?(\/\d{1,6})?$/;
const LEDGER = /^[0-9A-Za-z_-]{1,63}$/;

export const isValidAddress = (a: string) => ADDRESS.test(a);
export const isValidAsset = (a: string) => ASSET.test(a);
export const isValidLedgerName = (n: string) => LEDGER.test(n) && !['_', '_info', '_healthcheck'].includes(n);

/**
 * A JSON amount: a non-negative integer (number or bigint from the lossless parser) within the
 * service's bound (common/amount.ts); otherwise the problem.
 */
export function parseAmount(v: unknown): bigint | string {
  if (v === undefined || v === null) return 'amount is required';
  if (typeof v === 'string') return `amount must be an integer number, got string`;
  const checked = checkAmount(v);
  return 'problem' in checked ? checked.problem : checked.amount;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string → string map, or the name of the first offending key. */
export function checkStringMap(v: unknown): Record<string, string> | string {
  if (!isPlainObject(v)) return 'expected an object of strings';
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') return `value of '${k}' must be a string`;
  return v as Record<string, string>;
}
