/** The list's time-range filter: a sliding "last …" window, or an absolute from/to. */
import type { TimeZoneMode } from '../../lib/time';

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

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO date → `<input type="datetime-local">` value, in the chosen zone. */
export function toInputValue(iso: string | undefined, tz: TimeZoneMode): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (tz === 'utc') return d.toISOString().slice(0, 16);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `<input type="datetime-local">` value (in the chosen zone) → ISO date; undefined when empty or invalid. */
export function fromInputValue(value: string, tz: TimeZoneMode): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const date = tz === 'utc' ? new Date(Date.UTC(y, mo - 1, d, h, mi, s)) : new Date(y, mo - 1, d, h, mi, s);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
