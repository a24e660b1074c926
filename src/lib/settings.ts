/**
 * Personal preferences (theme, time zone, time style), kept in this browser's localStorage — not
 * on the server, not shared with the team — and observable for React (useSyncExternalStore).
 */
import { isTimeZoneName, type TimeStyle, type TimeZoneMode } from './time';

export type ThemePreference = 'system' | 'light' | 'dark';

export interface Settings {
  theme: ThemePreference;
  /** `local`, `utc`, or an IANA zone */
  timeZone: TimeZoneMode;
  /** how dates read where the console offers both: "3 min ago", or the date itself */
  timeStyle: TimeStyle;
}

export const DEFAULT_SETTINGS: Settings = { theme: 'system', timeZone: 'local', timeStyle: 'relative' };
const KEY = 'flows-console:settings';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // e.g. storage disabled by the browser
  }
}

/** Reads and validates stored settings; anything unknown falls back to the defaults. */
export function readSettings(store: Storage | undefined = storage()): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(store?.getItem(KEY) ?? 'null');
  } catch {
    raw = null;
  }
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  return {
    theme: r.theme === 'light' || r.theme === 'dark' || r.theme === 'system' ? r.theme : DEFAULT_SETTINGS.theme,
    timeZone: r.timeZone === 'utc' || r.timeZone === 'local' || (typeof r.timeZone === 'string' && isTimeZoneName(r.timeZone)) ? r.timeZone : DEFAULT_SETTINGS.timeZone,
    timeStyle: r.timeStyle === 'relative' || r.timeStyle === 'absolute' ? r.timeStyle : DEFAULT_SETTINGS.timeStyle,
  };
}

let current: Settings | undefined;
const listeners = new Set<() => void>();

export function getSettings(): Settings {
  current ??= readSettings();
  return current;
}

export function updateSettings(patch: Partial<Settings>): void {
  current = { ...getSettings(), ...patch };
  try {
    storage()?.setItem(KEY, JSON.stringify(current));
  } catch {
    // not persisted (private mode, quota); still applied for this session
  }
  listeners.forEach((l) => l());
}

export function subscribeSettings(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-read from storage (another tab changed it). */
export function reloadSettings(): void {
  current = readSettings();
  listeners.forEach((l) => l());
}

export function resolveTheme(pref: ThemePreference, systemDark: boolean): 'light' | 'dark' {
  return pref === 'system' ? (systemDark ? 'dark' : 'light') : pref;
}
