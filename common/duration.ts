/**
 * Go durations, exactly as Flows reads them (Go's `time.ParseDuration`): a signed sequence of
 * decimal numbers with a unit each (`300ms`, `1h30m`, `1.5s`; units ns, us/µs, ms, s, m, h; no
 * days), held in int64 nanoseconds. A value beyond int64 is "invalid duration" in Go, so it is
 * refused here too, rather than wrapping or turning into an endless timer.
 *
 * Pure and dependency-free: the server validates with it and the console displays with it, so
 * the two always agree.
 */

/** The longest Go duration: 2562047h47m16.854775807s (about 292 years). */
export const MAX_DURATION_NS = (1n << 63n) - 1n;
const LIMIT = 1n << 63n;

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * Nanoseconds of a Go duration, or null where Go's parser answers an error (syntax, unknown or
 * missing unit, or a value outside int64). Negative durations parse (Go accepts them); callers
 * that must refuse them check the sign.
 */
export function parseGoDuration(text: string): bigint | null {
  if (typeof text !== 'string') return null;
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return null;
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return null;
    // Integer part: Go fails when it exceeds 2^63.
    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > LIMIT) return null;
      i++;
    }
    const hasWhole = i > 0;
    s = s.slice(i);
    // Fraction: digits past int64 precision are read but ignored, as in Go.
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        if (!overflow) {
          const next = fraction * 10n + BigInt(s.charCodeAt(j) - 48);
          if (fraction > (LIMIT - 1n) / 10n || next > LIMIT) overflow = true;
          else {
            fraction = next;
            scale *= 10;
          }
        }
        j++;
      }
      hasFraction = j > 0;
      s = s.slice(j);
    }
    if (!hasWhole && !hasFraction) return null;
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    if (u === 0) return null; // missing unit
    const unit = UNIT_NS[s.slice(0, u)];
    if (unit === undefined) return null; // unknown unit
    s = s.slice(u);
    if (whole > LIMIT / unit) return null;
    let value = whole * unit;
    if (fraction > 0n) {
      // Go computes the fraction's share in float64 and truncates it.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > LIMIT) return null;
    }
    total += value;
    if (total > LIMIT) return null;
  }
  if (negative) return -total;
  if (total > MAX_DURATION_NS) return null;
  return total;
}

/** Go's `Duration.String()`: `5s`, `1m0s`, `1h30m0s`, `300ms`, `1.5µs`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const negative = ns < 0n;
  let u = negative ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1_000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = `${decimal(u, div as bigint)}${unit}`;
  } else {
    const hours = u / UNIT_NS.h!;
    u %= UNIT_NS.h!;
    const minutes = u / UNIT_NS.m!;
    u %= UNIT_NS.m!;
    const seconds = `${decimal(u, UNIT_NS.s!)}s`;
    out = hours > 0n ? `${hours}h${minutes}m${seconds}` : minutes > 0n ? `${minutes}m${seconds}` : seconds;
  }
  return negative ? `-${out}` : out;
}

/** `value / div` in decimal, trailing zeros of the fraction dropped. */
function decimal(value: bigint, div: bigint): string {
  const whole = value / div;
  const rest = value % div;
  if (rest === 0n) return String(whole);
  const width = String(div).length - 1;
  return `${whole}.${String(rest).padStart(width, '0').replace(/0+$/, '')}`;
}

/** Milliseconds of a parsed duration as a JS number (exact to the millisecond in int64 range). */
export function durationMs(ns: bigint): number {
  return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
}

const SYNTAX = /^[-+]?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

export type DelayDurationIssue = 'syntax' | 'too-long' | 'negative';

/**
 * A delay's duration: a valid, non-negative Go duration. Upstream reads a negative delay as "no
 * wait"; the console and its service refuse it as the typo it almost always is
 * (docs/limits.md).
 */
export function checkDelayDuration(text: string): { ns: bigint } | { issue: DelayDurationIssue } {
  const ns = parseGoDuration(text);
  if (ns === null) return { issue: SYNTAX.test(text) ? 'too-long' : 'syntax' };
  if (ns < 0n) return { issue: 'negative' };
  return { ns };
}

/** The service's wording of a refused delay duration (400 VALIDATION, or the stage's error). */
export function delayDurationProblem(text: string): string | undefined {
  const checked = checkDelayDuration(text);
  if (!('issue' in checked)) return undefined;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const why = {
    syntax: 'use Go durations such as 300ms, 90s, 1h30m (no days)',
    'too-long': `longer than the longest duration Go accepts (${formatGoDuration(MAX_DURATION_NS)})`,
    negative: 'a delay cannot be negative',
  }[checked.issue];
  return `invalid duration '${shown}': ${why}`;
}
