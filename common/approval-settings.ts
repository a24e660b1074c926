import { parseGoDuration } from './duration.js';

/**
 * The checks of the four-eyes settings (docs/accountability.md), shared by the server, which
 * refuses a bad value with 400 naming the field, and the console's Settings page, which names the
 * field before anything is sent: one set of rules, the same words.
 */

/** Assets as the ledger writes them: `USD/2`, `EUR`, `BTC/8`. */
export const LIMIT_ASSET = /^[A-Z][A-Z0-9]{0,16}(\/\d{1,6})?$/;
export const MIN_EXPIRY_MS = 60_000;
export const MAX_EXPIRY_MS = 30 * 24 * 3600_000;

/** Why `asset` cannot have a limit, or undefined. */
export function limitAssetProblem(asset: string): string | undefined {
  return LIMIT_ASSET.test(asset) ? undefined : 'expected an asset such as USD/2 or EUR';
}

/** Why `amount` (minor units, as text) is no limit, or undefined. */
export function limitAmountProblem(amount: string): string | undefined {
  return /^\d{1,78}$/.test(amount) ? undefined : 'expected a whole amount in minor units (e.g. 100000 for 1,000.00 USD/2)';
}

/** The expiry in nanoseconds, or why it is refused (a Go duration between 1m and 720h). */
export function checkApprovalExpiry(text: string): { ns: bigint } | { problem: string } {
  const ns = parseGoDuration(text);
  if (ns === null) return { problem: `expected a duration such as '24h' or '90m'` };
  const ms = Number(ns / 1_000_000n);
  if (ms < MIN_EXPIRY_MS || ms > MAX_EXPIRY_MS) return { problem: 'must be between 1m and 720h (30 days)' };
  return { ns };
}
