import { describe, expect, it } from 'vitest';
import { formatDuration, formatExact, formatRelative, formatShort, fromInputValue, isTimeZoneName, knownTimeZones, localZoneName, toInputValue, zoneName } from './time';

describe('time', () => {
  const now = Date.parse('2024-07-01T10:00:00Z');

  it('never reads a past time as future: clocks a few seconds apart say "just now"', () => {
    expect(formatRelative('2024-07-01T10:00:05Z', now, { past: true })).toBe('just now');
    expect(formatRelative('2024-07-01T10:05:00Z', now, { past: true })).toBe('just now');
    expect(formatRelative('2024-07-01T09:59:30Z', now, { past: true })).toBe('30 s ago');
  });

  it('shows every short time with its zone, local ones too', () => {
    const local = formatShort('2024-07-01T10:00:05Z', 'local');
    const zone = localZoneName(new Date('2024-07-01T10:00:05Z'));
    expect(zone).toMatch(/^(UTC|GMT|GMT[+-]\d{1,2}(:\d\d)?|[A-Z]{2,5}|UTC[+-]\d\d:\d\d)$/);
    expect(local).toMatch(new RegExp(`^2024-07-0[12] \\d\\d:\\d\\d:05 ${zone.replace('+', '\\+')}$`));
  });

  it('truncates durations as relative times do, so "took" never outgrows "ago"', () => {
    expect(formatDuration(30_600)).toBe('30 s');
    expect(formatRelative(now - 30_600, now)).toBe('30 s ago');
    expect(formatDuration(9_960)).toBe('9.9 s');
    expect(formatDuration(59_999)).toBe('59 s');
  });

  it('formats huge and broken durations without throwing', () => {
    expect(formatDuration(2 * 365 * 86400_000 + 14 * 86400_000)).toBe('2 y 14 d');
    expect(formatDuration(3.6e28)).toBe('over 9,999 y');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('formats relative times', () => {
    expect(formatRelative('2024-07-01T09:59:58Z', now)).toBe('just now');
    expect(formatRelative('2024-07-01T09:59:30Z', now)).toBe('30 s ago');
    expect(formatRelative('2024-07-01T09:57:00Z', now)).toBe('3 min ago');
    expect(formatRelative('2024-07-01T07:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2024-06-28T10:00:00Z', now)).toBe('3 d ago');
    expect(formatRelative('2024-07-01T10:05:00Z', now)).toBe('in 5 min');
  });

  it('keeps the exact server value in UTC mode', () => {
    expect(formatExact('2024-07-01T10:00:00.123456Z', 'utc')).toBe('2024-07-01T10:00:00.123456Z');
    expect(formatExact('2024-07-01T12:00:00+02:00', 'utc')).toBe('2024-07-01T10:00:00.000Z');
  });

  it('formats local time as RFC 3339 with the offset', () => {
    const text = formatExact('2024-07-01T10:00:00Z', 'local');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(Date.parse(text)).toBe(now);
  });

  it('formats short table dates', () => {
    expect(formatShort('2024-07-01T10:00:05Z', 'utc')).toBe('2024-07-01 10:00:05 UTC');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(5_300)).toBe('5.3 s');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe('3 d 4 h');
  });

  it('leaves invalid dates readable', () => {
    expect(formatRelative('nope', now)).toBe('nope');
    expect(formatExact('nope', 'local')).toBe('nope');
  });
});

describe('time in a chosen zone', () => {
  it('formats exact and short dates in an IANA zone, daylight saving included', () => {
    expect(formatExact('2024-07-01T10:00:00Z', 'Europe/Paris')).toBe('2024-07-01T12:00:00.000+02:00');
    expect(formatExact('2024-01-15T10:00:00.250Z', 'Europe/Paris')).toBe('2024-01-15T11:00:00.250+01:00');
    expect(formatExact('2024-07-01T10:00:00Z', 'Asia/Kolkata')).toBe('2024-07-01T15:30:00.000+05:30');
    expect(formatShort('2024-07-01T02:00:05Z', 'America/New_York')).toBe('2024-06-30 22:00:05 EDT');
    expect(Date.parse(formatExact('2024-07-01T10:00:00Z', 'America/New_York'))).toBe(Date.parse('2024-07-01T10:00:00Z'));
  });

  it('reads and writes datetime inputs as wall clocks in the zone', () => {
    expect(toInputValue('2024-07-01T10:00:00Z', 'utc')).toBe('2024-07-01T10:00');
    expect(toInputValue('2024-07-01T10:00:00Z', 'Europe/Paris')).toBe('2024-07-01T12:00');
    expect(fromInputValue('2024-07-01T12:00', 'Europe/Paris')).toBe('2024-07-01T10:00:00.000Z');
    expect(fromInputValue('2024-01-15T11:00', 'Europe/Paris')).toBe('2024-01-15T10:00:00.000Z');
    expect(fromInputValue('2024-07-01T10:00', 'utc')).toBe('2024-07-01T10:00:00.000Z');
    expect(fromInputValue('nope', 'Europe/Paris')).toBeUndefined();
  });

  it('knows which zone names are real', () => {
    expect(isTimeZoneName('Europe/Paris')).toBe(true);
    expect(isTimeZoneName('Mars/Olympus')).toBe(false);
    expect(isTimeZoneName('utc')).toBe(false);
    expect(knownTimeZones()).toContain('Europe/Paris');
    expect(zoneName(new Date('2024-07-01T10:00:00Z'), 'utc')).toBe('UTC');
  });
});
