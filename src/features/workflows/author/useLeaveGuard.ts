import { useRef } from 'react';
import { useBlocker } from '@tanstack/react-router';

/**
 * Asks before leaving the page while `active()` holds: the browser's own prompt on reload or tab
 * close (beforeunload), and a dialog for navigation inside the console. Moving between the
 * page's own views (same path) is never blocked.
 */
export function useLeaveGuard(active: () => boolean) {
  const latest = useRef(active);
  latest.current = active;
  const blocker = useBlocker({
    shouldBlockFn: ({ current, next }) => current.pathname !== next.pathname && latest.current(),
    enableBeforeUnload: () => latest.current(),
    withResolver: true,
  });
  return {
    asking: blocker.status === 'blocked',
    leave: () => blocker.proceed?.(),
    stay: () => blocker.reset?.(),
  };
}
