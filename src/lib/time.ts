/** One date formatter for the whole console: relative text plus exact RFC 3339, local or UTC. */

export type TimeZoneMode = 'local' | 'utc';

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

export function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** RFC 3339 (UTC) of a timestamp in ms, or undefined when no date can hold it (never throws). */
export function toIso(ms: number): string | undefined {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Exact RFC 3339 text in UTC (`…Z`) or in the browser's zone (`…+02:00`), milliseconds kept. */
export function formatExact(value: string | number | Date, mode: TimeZoneMode): string {
  // Server dates carry microseconds; show them untouched when they are already UTC.
  if (mode === 'utc' && typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return value;
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  if (mode === 'utc') return d.toISOString();
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/**
 * Short absolute text for tables, always with its zone: `2024-07-01 10:00:05 UTC` in UTC mode,
 * `2024-07-01 12:00:05 GMT+2` (or `EDT`, …) in local time.
 */
export function formatShort(value: string | number | Date, mode: TimeZoneMode): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  if (mode === 'utc') return d.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${localZoneName(d)}`;
}

let zoneFormat: Intl.DateTimeFormat | undefined;

/** The browser's zone at that date, short (`GMT+2`, `CEST`, `EDT`, `UTC`); the offset as a fallback. */
export function localZoneName(d: Date): string {
  try {
    zoneFormat ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
    const name = zoneFormat.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
    if (name) return name;
  } catch {
    // no Intl zone data: fall through
  }
  const offset = -d.getTimezoneOffset();
  return `UTC${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

const UNITS: [limitSeconds: number, unitSeconds: number, label: string][] = [
  [60, 1, 's'],
  [3600, 60, 'min'],
  [86400, 3600, 'h'],
  [86400 * 30, 86400, 'd'],
  [86400 * 365, 86400 * 30, 'mo'],
  [Infinity, 86400 * 365, 'y'],
];

/**
 * `just now`, `3 min ago`, `in 2 h` — relative to `now`. `past`: the time is known to have
 * happened (the server reported it), so a value ahead of `now` (clocks a little apart) reads
 * `just now`, never `in 5 s`.
 */
export function formatRelative(value: string | number | Date, now: number = Date.now(), options: { past?: boolean } = {}): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const diff = options.past ? Math.min(0, (d.getTime() - now) / 1000) : (d.getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 5) return 'just now';
  for (const [limit, unit, label] of UNITS) {
    if (abs < limit) {
      const n = Math.floor(abs / unit);
      return diff < 0 ? `${n} ${label} ago` : `in ${n} ${label}`;
    }
  }
  return formatExact(d, 'utc');
}

/** Human duration: `850 ms`, `12.3 s`, `4 min 5 s`, `2 h 10 min`, `3 d 4 h`, `2 y 14 d`; never throws. */
export function formatDuration(ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  // Truncated, never rounded up, like relative times: "took 31 s" never outgrows "31 s ago".
  if (abs < 1000) return `${sign}${Math.floor(abs)} ms`;
  if (abs < 10_000) return `${sign}${(Math.floor(abs / 100) / 10).toFixed(1)} s`;
  if (abs < 60_000) return `${sign}${Math.floor(abs / 1000)} s`;
  const s = Math.floor(abs / 1000);
  const both = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    `${sign}${big.toLocaleString('en-US')} ${bigUnit}${small ? ` ${small} ${smallUnit}` : ''}`;
  if (s < 3600) return both(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86400) return both(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  if (s < YEAR_S) return both(Math.floor(s / 86400), 'd', Math.floor((s % 86400) / 3600), 'h');
  const years = Math.floor(s / YEAR_S);
  // Past a few millennia the days are noise (and the figure is a typo anyway).
  return years > 9999 ? `${sign}over 9,999 y` : both(years, 'y', Math.floor((s % YEAR_S) / 86400), 'd');
}

const YEAR_S = 365 * 86400;
