import { describe, expect, it } from 'vitest';
import { fromInputValue, sinceStart, toInputValue } from './timeRange';

describe('time range', () => {
  it('computes the start of a sliding window at whole seconds', () => {
    const now = Date.parse('2024-07-01T10:00:00.750Z');
    expect(sinceStart('15m', now)).toBe('2024-07-01T09:45:00.000Z');
    expect(sinceStart('1h', now)).toBe('2024-07-01T09:00:00.000Z');
    expect(sinceStart('7d', now)).toBe('2024-06-24T10:00:00.000Z');
  });

  it('converts datetime-local values in UTC and round-trips local ones', () => {
    expect(toInputValue('2024-07-01T10:05:59.123Z', 'utc')).toBe('2024-07-01T10:05');
    expect(fromInputValue('2024-07-01T10:05', 'utc')).toBe('2024-07-01T10:05:00.000Z');
    const local = fromInputValue('2024-07-01T10:05', 'local')!;
    expect(toInputValue(local, 'local')).toBe('2024-07-01T10:05');
    expect(fromInputValue('', 'utc')).toBeUndefined();
    expect(fromInputValue('yesterday', 'local')).toBeUndefined();
    expect(toInputValue(undefined, 'utc')).toBe('');
  });
});
