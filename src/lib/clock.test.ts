import { afterEach, describe, expect, it } from 'vitest';
import { noteServerDate, resetServerClock, serverNow, serverOffset } from './clock';

afterEach(resetServerClock);

describe('server clock', () => {
  it('learns how far the server is ahead from Date headers (median of the last five)', () => {
    const local = Date.parse('2024-07-01T10:00:00.000Z');
    for (const skew of [6, 6, 7, 6, 30]) noteServerDate(new Date(local + skew * 1000).toUTCString(), local);
    expect(serverOffset()).toBe(6_500); // the header's whole second, plus half a second
    expect(serverNow() - Date.now()).toBeGreaterThanOrEqual(6_499);
  });

  it('ignores what the header cannot resolve (under a second) and junk', () => {
    const local = Date.parse('2024-07-01T10:00:00.400Z');
    noteServerDate(new Date(local).toUTCString(), local);
    expect(serverOffset()).toBe(0);
    noteServerDate('not a date', local);
    noteServerDate(null, local);
    expect(serverOffset()).toBe(0);
  });
});
