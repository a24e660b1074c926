import { createRootRouteWithContext, retainSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import type { RouterContext } from '../router';
import { AppShell } from '../components/layout/AppShell';
import { NotFound } from '../components/layout/NotFound';
import { AuthGate } from '../features/auth/AuthGate';
import { SessionMenu } from '../features/auth/SessionMenu';
import { tzParam } from '../lib/search';

export const Route = createRootRouteWithContext<RouterContext>()({
  // `?tz=utc|local` on any link overrides the time zone preference, and sticks while navigating.
  validateSearch: z.object({ tz: tzParam }),
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
