import { useSyncExternalStore } from 'react';
import { getSettings, reloadSettings, resolveTheme, subscribeSettings } from '../../lib/settings';

const query = () => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined);

export function applyTheme(): 'light' | 'dark' {
  const theme = resolveTheme(getSettings().theme, query()?.matches ?? false);
  const root = document.documentElement;
  root.classList.toggle('dark', theme === 'dark');
  root.dataset.theme = theme;
  return theme;
}

/** Keeps <html class="dark"> in sync with the preference, the system setting and other tabs. */
export function startThemeSync(): () => void {
  applyTheme();
  const media = query();
  const onMedia = () => applyTheme();
  media?.addEventListener?.('change', onMedia);
  const offSettings = subscribeSettings(() => applyTheme());
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key.startsWith('flows-console:')) reloadSettings();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    media?.removeEventListener?.('change', onMedia);
    offSettings();
    window.removeEventListener('storage', onStorage);
  };
}

/** The console's resolved theme: the `dark` class on <html> (the one place it is read). */
export function currentTheme(): 'light' | 'dark' {
  return document.documentElement.classList.contains('dark') ? 'dark' : 'light';
}

function subscribeTheme(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

/** The resolved theme, live: re-renders when it changes (editors and the graph follow it). */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribeTheme, currentTheme, () => 'light');
}
