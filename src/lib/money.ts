/** Money in minor units with a ledger-style asset (`USD/2` 12345 → `123.45 USD`). */
import { MAX_AMOUNT } from '../../common/amount';
import { formatCount, groupDigits } from './count';

export type Amount = number | string | bigint;

export interface ParsedAsset {
  /** Asset code without the decimals hint (`USD`). */
  code: string;
  /** Number of decimals (`USD/2` → 2, `JPY` → 0). */
  precision: number;
}

export function parseAsset(asset: string): ParsedAsset {
  const m = /^(.*)\/(\d{1,6})$/.exec(asset);
  if (!m) return { code: asset, precision: 0 };
  return { code: m[1]!, precision: Number(m[2]) };
}

/** Exact BigInt of an integer amount; null when the value is not an integer. */
export function toBigInt(amount: Amount): bigint | null {
  if (typeof amount === 'bigint') return amount;
  if (typeof amount === 'number') return Number.isInteger(amount) ? BigInt(amount) : null;
  const s = amount.trim();
  return /^-?\d+$/.test(s) ? BigInt(s) : null;
}

/** The amount in major units as text, without the asset code (`12345`, `USD/2` → `123.45`). */
export function formatAmount(amount: Amount, asset: string): string {
  const { precision } = parseAsset(asset);
  const value = toBigInt(amount);
  if (value === null) return String(amount);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  const fraction = precision > 0 ? '.' + digits.slice(digits.length - precision) : '';
  return `${negative ? '-' : ''}${groupDigits(whole)}${fraction}`;
}

/**
 * Minor units from major-unit text, the inverse of formatAmount (`123.45`, `USD/2` → 12345n;
 * `1,250` with `JPY` → 1250n): exact at any size; null when the text is not such an amount or
 * has more decimals than the asset.
 */
export function parseAmount(text: string, asset: string): bigint | null {
  const { precision } = parseAsset(asset);
  const m = /^(-?)(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = m[3] ?? '';
  if (fraction.length > precision) return null;
  const value = BigInt(m[2]!.replaceAll(',', '') + fraction.padEnd(precision, '0'));
  return m[1] ? -value : value;
}

/** `USD/2` 12345 → `123.45 USD`; amounts of any size, from number, string or bigint. */
export function formatMoney(amount: Amount, asset: string): string {
  return `${formatAmount(amount, asset)} ${parseAsset(asset).code}`;
}

/**
 * The amount for a narrow place (a table cell): exact and whole up to the service's bound
 * (78 digits, common/amount.ts); beyond it (rows stored before the bound) the middle digits give
 * way to an ellipsis and the digit count, so one absurd value cannot push a page sideways.
 */
export function formatAmountCompact(amount: Amount, asset: string): string {
  const full = formatAmount(amount, asset);
  const digits = full.replace(/\D/g, '').length;
  if (digits <= String(MAX_AMOUNT).length) return full;
  const [whole = '', fraction] = full.split('.');
  const groups = whole.split(',');
  const shown = `${groups.slice(0, 3).join(',')}…${groups.slice(-3).join(',')}${fraction === undefined ? '' : `.${fraction}`}`;
  return `${shown} (${formatCount(digits)} digits)`;
}

/** Sign of an amount (-1, 0, 1), for colouring. */
export function amountSign(amount: Amount): -1 | 0 | 1 {
  const value = toBigInt(amount);
  if (value === null) return 0;
  return value < 0n ? -1 : value > 0n ? 1 : 0;
}
