import { useDeferredValue, type ReactNode } from 'react';

/**
 * Shows `fallback` at once, then renders `children` in a background pass that React splits into
 * small tasks and interrupts for input. A list page's first render (its rows, cells, links) is one
 * task of ~100 ms on a phone otherwise, during which a tap waits.
 */
export function DeferredMount({ fallback, children }: { fallback: ReactNode; children: ReactNode }) {
  const mounted = useDeferredValue(true, false);
  return mounted ? children : fallback;
}
