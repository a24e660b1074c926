import { useSyncExternalStore } from 'react';

/** The console's resolved theme (the `dark` class on <html>), live. */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, read, () => 'light');
}

function read(): 'light' | 'dark' {
  return document.documentElement.classList.contains('dark') ? 'dark' : 'light';
}

function subscribe(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
