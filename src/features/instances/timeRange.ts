/** The list's time-range filter: a sliding "last …" window, or an absolute from/to. */

export const SINCE_CHOICES = {
  '15m': { label: 'Last 15 min', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
} as const;
export type Since = keyof typeof SINCE_CHOICES;
export const SINCE_KEYS = Object.keys(SINCE_CHOICES) as [Since, ...Since[]];

/** Start of a sliding window, at whole seconds. */
export function sinceStart(since: Since, now: number = Date.now()): string {
  return new Date(Math.floor((now - SINCE_CHOICES[since].ms) / 1000) * 1000).toISOString();
}

/** Datetime inputs read and write wall clocks in the chosen zone (the one date formatter). */
export { fromInputValue, toInputValue } from '../../lib/time';
