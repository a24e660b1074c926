import { beforeEach, describe, expect, it } from 'vitest';
import { getSettings, readSettings, reloadSettings, resolveTheme, subscribeSettings, updateSettings } from './settings';

describe('settings', () => {
  beforeEach(() => {
    localStorage.clear();
    reloadSettings();
  });

  it('defaults to the system theme and local time', () => {
    expect(getSettings()).toEqual({ theme: 'system', timeZone: 'local', timeStyle: 'relative' });
  });

  it('persists updates and notifies subscribers', () => {
    let calls = 0;
    const off = subscribeSettings(() => calls++);
    updateSettings({ theme: 'dark' });
    off();
    updateSettings({ timeZone: 'utc' });
    expect(calls).toBe(1);
    expect(readSettings()).toEqual({ theme: 'dark', timeZone: 'utc', timeStyle: 'relative' });
  });

  it('ignores corrupt or unknown stored values', () => {
    localStorage.setItem('flows-console:settings', '{"theme":"purple","timeZone":3}');
    expect(readSettings()).toEqual({ theme: 'system', timeZone: 'local', timeStyle: 'relative' });
    localStorage.setItem('flows-console:settings', '{"timeZone":"Mars/Olympus","timeStyle":"sideways"}');
    expect(readSettings()).toEqual({ theme: 'system', timeZone: 'local', timeStyle: 'relative' });
    localStorage.setItem('flows-console:settings', '{"timeZone":"Asia/Tokyo","timeStyle":"absolute"}');
    expect(readSettings()).toMatchObject({ timeZone: 'Asia/Tokyo', timeStyle: 'absolute' });
    localStorage.setItem('flows-console:settings', 'not json');
    expect(readSettings()).toEqual({ theme: 'system', timeZone: 'local', timeStyle: 'relative' });
  });

  it('resolves the theme', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });
});
