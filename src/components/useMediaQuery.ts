import { useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now, updated as it changes (e.g. the window is resized). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia?.(query);
      list?.addEventListener('change', onChange);
      return () => list?.removeEventListener('change', onChange);
    },
    () => window.matchMedia?.(query).matches ?? false,
    () => false,
  );
}

/** Phone-sized screens (Tailwind's `sm` breakpoint and below). */
export const NARROW_SCREEN = '(max-width: 639.98px)';

/** Where the sidebar shows (Tailwind's `md` breakpoint and above); below it, the compact navigation. */
export const WIDE_SCREEN = '(min-width: 48rem)';
