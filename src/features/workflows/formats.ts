/** Value formats of stage fields, as the server parses them (server/stages). */

const UNIT = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Go durations (`300ms`, `1h30m`, `0`, `-2s`; no days). */
export function isGoDuration(text: string): boolean {
  const s = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (s === '0') return true;
  if (s === '') return false;
  let pos = 0;
  while (pos < s.length) {
    UNIT.lastIndex = pos;
    const m = UNIT.exec(s);
    if (!m) return false;
    pos = UNIT.lastIndex;
  }
  return true;
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

/** Amounts: non-negative integers in minor units, as digits. */
export const isAmountText = (text: string) => /^\d+$/.test(text);
