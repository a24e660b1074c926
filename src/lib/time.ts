/**
 * The one date formatter of the console: every date it shows goes through this module (and the
 * `<Time>` component over it) — relative text, exact RFC 3339, short absolute dates, datetime
 * inputs — in the chosen zone: the browser's (`local`), `utc`, or an IANA zone (`Europe/Paris`).
 */
import { formatCount } from './count';

/** `local`, `utc`, or an IANA zone name (checked by {@link isTimeZoneName}). */
export type TimeZoneMode = 'local' | 'utc' | (string & {});

/** Relative text ("3 min ago") or absolute dates where the console offers both. */
export type TimeStyle = 'relative' | 'absolute';

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

export function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** RFC 3339 (UTC) of a timestamp in ms, or undefined when no date can hold it (never throws). */
export function toIso(ms: number): string | undefined {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether the browser knows this IANA zone (`Europe/Paris`, `America/New_York`). */
export function isTimeZoneName(name: string): boolean {
  if (!name || name === 'local' || name === 'utc') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zones the browser knows (for a picker), or a few common ones when it cannot list them. */
export function knownTimeZones(): string[] {
  try {
    const list = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone');
    if (list?.length) return list;
  } catch {
    // fall through
  }
  return ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Paris', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** minutes east of UTC */
  offset: number;
}

/** The wall clock of `d` in a zone, with that zone's offset at that instant. */
function wallClock(d: Date, zone: TimeZoneMode): WallClock {
  if (zone === 'utc') {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
      offset: 0,
    };
  }
  if (zone !== 'local' && isTimeZoneName(zone)) {
    let format = zoneFormats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      zoneFormats.set(zone, format);
    }
    const parts = Object.fromEntries(format.formatToParts(d).map((p) => [p.type, p.value]));
    const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) => Number(parts[k]));
    const ms = d.getUTCMilliseconds();
    const asUtc = Date.UTC(year!, month! - 1, day!, hour! % 24, minute!, second!, ms);
    return { year: year!, month: month!, day: day!, hour: hour! % 24, minute: minute!, second: second!, ms, offset: Math.round((asUtc - d.getTime()) / 60_000) };
  }
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    ms: d.getMilliseconds(),
    offset: -d.getTimezoneOffset(),
  };
}

const offsetText = (offset: number) => `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
const dayText = (w: WallClock) => `${w.year}-${pad(w.month)}-${pad(w.day)}`;

/** Exact RFC 3339 text in UTC (`…Z`) or in the zone (`…+02:00`), milliseconds kept. */
export function formatExact(value: string | number | Date, mode: TimeZoneMode): string {
  // Server dates carry microseconds; show them untouched when they are already UTC.
  if (mode === 'utc' && typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return value;
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  if (mode === 'utc') return d.toISOString();
  const w = wallClock(d, mode);
  return `${dayText(w)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.ms, 3)}${offsetText(w.offset)}`;
}

/**
 * Short absolute text for tables, always with its zone: `2024-07-01 10:00:05 UTC` in UTC mode,
 * `2024-07-01 12:00:05 GMT+2` (or `EDT`, `CEST`, …) in local time or a chosen zone.
 */
export function formatShort(value: string | number | Date, mode: TimeZoneMode): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  if (mode === 'utc') return d.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  const w = wallClock(d, mode);
  return `${dayText(w)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} ${zoneName(d, mode)}`;
}

const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at that date (`GMT+2`, `CEST`, `EDT`, `UTC`); the offset as a fallback. */
export function zoneName(d: Date, mode: TimeZoneMode = 'local'): string {
  if (mode === 'utc') return 'UTC';
  const zone = mode !== 'local' && isTimeZoneName(mode) ? mode : undefined;
  try {
    let format = zoneNameFormats.get(zone ?? '');
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short', ...(zone ? { timeZone: zone } : {}) });
      zoneNameFormats.set(zone ?? '', format);
    }
    const name = format.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
    if (name) return name;
  } catch {
    // no Intl zone data: fall through
  }
  return `UTC${offsetText(wallClock(d, mode).offset)}`;
}

/** The browser's zone at that date, short (see {@link zoneName}). */
export const localZoneName = (d: Date) => zoneName(d, 'local');

/** What a zone choice is called in the console: `UTC`, `local time (Europe/Paris)`, `Asia/Tokyo`. */
export function zoneLabel(mode: TimeZoneMode): string {
  if (mode === 'utc') return 'UTC';
  if (mode === 'local') return `local time (${Intl.DateTimeFormat().resolvedOptions().timeZone})`;
  return mode;
}

/** A chart bucket's start, short (`14:00`, `Mon 06:00`, `Jul 1`), in the zone. */
export function formatBucket(iso: string, bucketSeconds: number, mode: TimeZoneMode): string {
  const d = new Date(iso);
  const timeZone = mode === 'utc' ? 'UTC' : mode !== 'local' && isTimeZoneName(mode) ? mode : undefined;
  const opts: Intl.DateTimeFormatOptions = { timeZone, hourCycle: 'h23' };
  if (bucketSeconds < 86400) {
    if (bucketSeconds >= 6 * 3600) return d.toLocaleString('en-US', { ...opts, weekday: 'short', hour: '2-digit', minute: '2-digit' });
    return d.toLocaleTimeString('en-US', { ...opts, hour: '2-digit', minute: '2-digit' });
  }
  return d.toLocaleDateString('en-US', { ...opts, month: 'short', day: 'numeric' });
}

/** ISO date → `<input type="datetime-local">` value, in the zone. */
export function toInputValue(iso: string | undefined, mode: TimeZoneMode): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallClock(d, mode);
  return `${dayText(w)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** `<input type="datetime-local">` value (a wall clock in the zone) → ISO date; undefined when empty or invalid. */
export function fromInputValue(value: string, mode: TimeZoneMode): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wall)) return undefined;
  if (mode === 'utc') return new Date(wall).toISOString();
  if (mode === 'local' || !isTimeZoneName(mode)) {
    const date = new Date(y, mo - 1, d, h, mi, s);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  // The zone's offset at the wall clock, taken twice: once near it, once at the instant found
  // (right across a daylight-saving change as well).
  let at = wall - wallClock(new Date(wall), mode).offset * 60_000;
  at = wall - wallClock(new Date(at), mode).offset * 60_000;
  return new Date(at).toISOString();
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
  const both = (big: number, bigUnit: string, small: number, smallUnit: string) => `${sign}${formatCount(big)} ${bigUnit}${small ? ` ${small} ${smallUnit}` : ''}`;
  if (s < 3600) return both(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86400) return both(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  if (s < YEAR_S) return both(Math.floor(s / 86400), 'd', Math.floor((s % 86400) / 3600), 'h');
  const years = Math.floor(s / YEAR_S);
  // Past a few millennia the days are noise (and the figure is a typo anyway).
  return years > 9999 ? `${sign}over 9,999 y` : both(years, 'y', Math.floor((s % YEAR_S) / 86400), 'd');
}

const YEAR_S = 365 * 86400;
