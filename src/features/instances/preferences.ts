/**
 * Remembered choices of the Instances pages (localStorage): the list's live-refresh interval and
 * whether an open instance updates live. A `refresh` search param, when a link carries one, wins.
 */
import { useCallback, useState } from 'react';

export const REFRESH_CHOICES = [0, 1, 5, 30] as const;
export type RefreshSeconds = (typeof REFRESH_CHOICES)[number];

const REFRESH_KEY = 'flows-console:instances-refresh';
const LIVE_KEY = 'flows-console:instance-live';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function isRefreshSeconds(v: unknown): v is RefreshSeconds {
  return (REFRESH_CHOICES as readonly unknown[]).includes(v);
}

/** `key`: another page's own remembered interval (the overview's), with its own default. */
export function readRefresh(store: Storage | undefined = storage(), key = REFRESH_KEY, fallback: RefreshSeconds = 0): RefreshSeconds {
  const raw = store?.getItem(key);
  const v = raw === null || raw === undefined ? NaN : Number(raw);
  return isRefreshSeconds(v) ? v : fallback;
}

export function rememberRefresh(v: RefreshSeconds, store: Storage | undefined = storage(), key = REFRESH_KEY): void {
  try {
    store?.setItem(key, String(v));
  } catch {
    // not persisted (private mode, quota): still applied to this view
  }
}

export function readLive(store: Storage | undefined = storage()): boolean {
  return store?.getItem(LIVE_KEY) !== 'false';
}

export function rememberLive(v: boolean, store: Storage | undefined = storage()): void {
  try {
    store?.setItem(LIVE_KEY, String(v));
  } catch {
    // see rememberRefresh
  }
}

/** Live updates of an open instance: on unless the user turned them off (remembered). */
export function useLivePreference(): [boolean, (v: boolean) => void] {
  const [live, setLive] = useState(readLive);
  const update = useCallback((v: boolean) => {
    rememberLive(v);
    setLive(v);
  }, []);
  return [live, update];
}
