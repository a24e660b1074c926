import { beforeEach, describe, expect, it } from 'vitest';
import { readLive, readRefresh, rememberLive, rememberRefresh } from './preferences';

describe('instances preferences', () => {
  beforeEach(() => localStorage.clear());

  it('remembers the list refresh interval, off by default, garbage ignored', () => {
    expect(readRefresh()).toBe(0);
    rememberRefresh(5);
    expect(readRefresh()).toBe(5);
    localStorage.setItem('flows-console:instances-refresh', '7');
    expect(readRefresh()).toBe(0);
    localStorage.setItem('flows-console:instances-refresh', 'soon');
    expect(readRefresh()).toBe(0);
  });

  it('remembers live updates of an open instance, on by default', () => {
    expect(readLive()).toBe(true);
    rememberLive(false);
    expect(readLive()).toBe(false);
    rememberLive(true);
    expect(readLive()).toBe(true);
  });
});
