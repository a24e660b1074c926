/**
 * Money amounts: non-negative integers in minor units (`USD/2` 1250 = 12.50 USD), as the ledger
 * keeps them. The ledger stores arbitrary precision; the service bounds amounts at 2^256 − 1 (78
 * digits, the largest unsigned 256-bit integer), far beyond any real balance (a
 * billion billions of an asset with 18 decimals), so a typo of thousands of digits is refused
 * where it enters instead of being stored (docs/limits.md).
 */

export const MAX_AMOUNT = 2n ** 256n - 1n;

/** The bound in words, for messages. */
export const MAX_AMOUNT_TEXT = '2^256 − 1 (78 digits)';

/**
 * The amount as a bigint, or why it is refused: not an integer, negative, or above the bound.
 * Accepts what JSON and variables carry: a number, a bigint (from the lossless parser) or a
 * decimal string.
 */
export function checkAmount(value: unknown): { amount: bigint } | { problem: string } {
  let amount: bigint;
  if (typeof value === 'bigint') amount = value;
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { problem: `amount must be an integer in minor units, got ${value}` };
    amount = BigInt(value);
  } else if (typeof value === 'string') {
    if (!/^-?\d+$/.test(value)) return { problem: `amount must be an integer in minor units, got '${clip(value)}'` };
    if (value.startsWith('-') && /[1-9]/.test(value)) return { problem: 'negative amount' };
    // No need to build a bigint of thousands of digits to know it is too large.
    const digits = value.replace(/^-?0+(?=\d)/, '').length;
    if (digits > MAX_DIGITS) return { problem: tooLarge(digits) };
    amount = BigInt(value);
  } else return { problem: `amount must be an integer number, got ${value === null ? 'null' : typeof value}` };
  if (amount < 0n) return { problem: 'negative amount' };
  if (amount > MAX_AMOUNT) return { problem: tooLarge(String(amount).length) };
  return { amount };
}

const MAX_DIGITS = String(MAX_AMOUNT).length;
const tooLarge = (digits: number) => `amount too large: ${digits.toLocaleString('en-US')} digits, at most ${MAX_AMOUNT_TEXT}`;

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
