/** Value formats of stage fields, as the server parses them (server/stages). */
import { checkAmount, MAX_AMOUNT_TEXT } from '../../../common/amount';
import { checkDelayDuration, formatGoDuration, MAX_DURATION_NS } from '../../../common/duration';

/**
 * Why a delay duration is refused, in the builder's words, or undefined when it is a valid,
 * non-negative Go duration (the server's rule: common/duration.ts).
 */
export function delayDurationMessage(text: string): string | undefined {
  const checked = checkDelayDuration(text);
  if (!('issue' in checked)) return undefined;
  return {
    syntax: 'Go duration: 300ms, 90s, 1h30m (no days)',
    'too-long': `Longer than Go allows: at most ${formatGoDuration(MAX_DURATION_NS)} (about 292 years)`,
    negative: 'A delay cannot be negative',
  }[checked.issue];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date with a zone, or null. */
export function parseRfc3339Date(text: string): Date | null {
  if (!RFC3339.test(text)) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A `${name}` placeholder somewhere in the text: the value is only known at run time. */
export const hasPlaceholder = (text: string) => /\$\{[^}]+\}/.test(text);

/** Amounts: non-negative integers in minor units, as digits, within the service's bound. */
export const isAmountText = (text: string) => amountMessage(text) === undefined;

/** Why an amount is refused, in the builder's words (the server's rule: common/amount.ts). */
export function amountMessage(text: string): string | undefined {
  if (!/^\d+$/.test(text)) return 'Integer in minor units (1250 = 12.50 for USD/2)';
  const checked = checkAmount(text);
  return 'problem' in checked ? `Too large: at most ${MAX_AMOUNT_TEXT}` : undefined;
}
