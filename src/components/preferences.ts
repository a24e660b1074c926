import { useEffect, useState, useSyncExternalStore } from 'react';
import { useSearch } from '@tanstack/react-router';
import { getSettings, subscribeSettings, type Settings } from '../lib/settings';
import { isTimeZoneName, type TimeZoneMode } from '../lib/time';
import { serverNow } from '../lib/clock';

export function useSettings(): Settings {
  return useSyncExternalStore(subscribeSettings, getSettings, getSettings);
}

/** Effective time zone: the `tz` search param when a link carries one (`utc`, `local`, an IANA zone), else the preference. */
export function useTimeZone(): TimeZoneMode {
  const settings = useSettings();
  const tz: unknown = useSearch({ strict: false, select: (s) => (s as { tz?: unknown }).tz });
  return tz === 'utc' || tz === 'local' || (typeof tz === 'string' && isTimeZoneName(tz)) ? tz : settings.timeZone;
}

/** Shared timers, one per refresh interval, so many relative times cost one timer. */
const tickers = new Map<number, { listeners: Set<() => void>; timer: ReturnType<typeof setInterval> }>();

/**
 * Current time on the server's clock (lib/clock), refreshed every `everyMs` by one shared timer
 * per interval (relative times stay fresh: a second for recent ones, 15 s for older ones).
 */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const tick = () => setNow(serverNow());
    let entry = tickers.get(everyMs);
    if (!entry) {
      const listeners = new Set<() => void>();
      entry = { listeners, timer: setInterval(() => listeners.forEach((t) => t()), everyMs) };
      tickers.set(everyMs, entry);
    }
    entry.listeners.add(tick);
    tick();
    return () => {
      entry.listeners.delete(tick);
      if (!entry.listeners.size) {
        clearInterval(entry.timer);
        tickers.delete(everyMs);
      }
    };
  }, [everyMs]);
  return now;
}
