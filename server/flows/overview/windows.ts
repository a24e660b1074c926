import { validation } from '../../errors.js';

/**
 * The overview's time windows. A window ends now and starts on a boundary of its alignment, so
 * that its chart buckets and the rollups' grains (5 min, 1 h, 1 day) line up exactly: every
 * figure is a sum of whole rollup rows, and every bucket is a plain `startedAfter` /
 * `startedBefore` range of the instance list.
 *
 * | window | buckets | starts at | rollup grain (chart / whole window) |
 * |---|---|---|---|
 * | 1h | 12 × 5 min | 55 min before the current 5 minutes | 5 min / 5 min |
 * | 24h | 24 × 1 h | 23 h before the current hour | 1 h / 1 h |
 * | 7d | 6 h, up to 28 | midnight UTC 6 days ago | 1 h / 1 day |
 * | 30d | 1 day, up to 30 | midnight UTC 29 days ago | 1 day / 1 day |
 */
export const WINDOW_KEYS = ['1h', '24h', '7d', '30d'] as const;
export type WindowKey = (typeof WINDOW_KEYS)[number];

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;

const SPECS: Record<WindowKey, { bucket: number; align: number; span: number; chartGrain: number; grain: number }> = {
  '1h': { bucket: 5 * MIN, align: 5 * MIN, span: HOUR, chartGrain: 5 * MIN, grain: 5 * MIN },
  '24h': { bucket: HOUR, align: HOUR, span: DAY, chartGrain: HOUR, grain: HOUR },
  '7d': { bucket: 6 * HOUR, align: DAY, span: 7 * DAY, chartGrain: HOUR, grain: DAY },
  '30d': { bucket: DAY, align: DAY, span: 30 * DAY, chartGrain: DAY, grain: DAY },
};

export interface Window {
  key: WindowKey;
  from: Date;
  to: Date;
  /** chart bucket, seconds */
  bucketSeconds: number;
  /** rollup grain for per-bucket figures */
  chartGrain: number;
  /** rollup grain for whole-window figures */
  grain: number;
  /** bucket starts, oldest first (none in the future) */
  buckets: Date[];
}

export function windowAt(key: WindowKey, now: Date = new Date()): Window {
  const s = SPECS[key];
  const t = Math.floor(now.getTime() / 1000);
  const fromSec = Math.floor(t / s.align) * s.align + s.align - s.span;
  const buckets: Date[] = [];
  for (let b = fromSec; b <= t; b += s.bucket) buckets.push(new Date(b * 1000));
  return { key, from: new Date(fromSec * 1000), to: now, bucketSeconds: s.bucket, chartGrain: s.chartGrain, grain: s.grain, buckets };
}

/** `window` query param (default 24h when absent); anything else, empty included, is 400 naming it. */
export function parseWindow(raw: string | undefined): WindowKey {
  if (raw === undefined) return '24h';
  if ((WINDOW_KEYS as readonly string[]).includes(raw)) return raw as WindowKey;
  throw validation(`invalid 'window' query param: expected one of ${WINDOW_KEYS.join(', ')}, got '${raw.slice(0, 40)}'`);
}

const UNITS: Record<string, number> = { m: MIN, h: HOUR, d: DAY };

/** A threshold such as `30m`, `2h`, `7d` (1 minute to 365 days), in seconds; 400 naming `name` (an empty value too). */
export function parseSpan(name: string, raw: string | undefined, fallback: string): number {
  const v = raw === undefined ? fallback : raw;
  const m = /^(\d{1,6})([mhd])$/.exec(v);
  const seconds = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!m || seconds < MIN || seconds > 365 * DAY) {
    throw validation(`invalid '${name}' query param: expected a duration such as 30m, 2h or 7d (1 minute to 365 days), got '${v.slice(0, 40)}'`);
  }
  return seconds;
}

/** A whole number from `min` to `max`; 400 naming `name` (an empty value too). */
export function parseCount(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw validation(`invalid '${name}' query param: expected a whole number from ${min} to ${max}, got '${raw.slice(0, 40)}'`);
  }
  return Number(raw);
}
