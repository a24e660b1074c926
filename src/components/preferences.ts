import { useEffect, useState, useSyncExternalStore } from 'react';
import { useSearch } from '@tanstack/react-router';
import { getSettings, subscribeSettings, type Settings } from '../lib/settings';
import type { TimeZoneMode } from '../lib/time';

export function useSettings(): Settings {
  return useSyncExternalStore(subscribeSettings, getSettings, getSettings);
}

/** Effective time zone: the `tz` search param when a link carries one, else the preference. */
export function useTimeZone(): TimeZoneMode {
  const settings = useSettings();
  const tz: unknown = useSearch({ strict: false, select: (s) => (s as { tz?: unknown }).tz });
  return tz === 'utc' || tz === 'local' ? tz : settings.timeZone;
}

const tickers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

/** Current time, refreshed every 15 s by one shared timer (relative times stay fresh). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tickers.add(tick);
    timer ??= setInterval(() => tickers.forEach((t) => t()), 15_000);
    return () => {
      tickers.delete(tick);
      if (!tickers.size && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return now;
}
