import { parseJsonLossless as parseExact } from '../../common/json';

/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact, whatever their length:
 * they come back as decimal strings (ledger amounts and balances may exceed 2^53), which every
 * money formatter of the console reads. Everything else is identical to JSON.parse.
 */
export function parseJsonLossless(text: string): unknown {
  return parseExact(text, (digits) => digits);
}
