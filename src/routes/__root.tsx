import { createRootRouteWithContext, retainSearchParams } from '@tanstack/react-router';
import type { RouterContext } from '../router';
import { AppShell } from '../components/layout/AppShell';
import { NotFound } from '../components/layout/NotFound';
import { AuthGate } from '../features/auth/AuthGate';
import { SessionMenu } from '../features/auth/SessionMenu';
import { tzParam, v } from '../lib/search';

export const Route = createRootRouteWithContext<RouterContext>()({
  // `?tz=utc|local` on any link overrides the time zone preference, and sticks while navigating.
  validateSearch: v.object({ tz: tzParam }),
  search: { middlewares: [retainSearchParams(['tz'])] },
  component: Root,
  notFoundComponent: NotFound,
});

/** The console, behind the sign-in screen when the server requires credentials (AUTH_CLIENTS). */
function Root() {
  return (
    <AuthGate>
      <AppShell account={<SessionMenu />} />
    </AuthGate>
  );
}
