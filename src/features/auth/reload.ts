import type { QueryClient } from '@tanstack/react-query';
import type { AnyRouter } from '@tanstack/react-router';
import { markSignedIn, markSignInRequired, signOut } from '../../api/session';

/**
 * Signed in: everything loads again with the new session, on the page that was open. The
 * current route's loaders run before the console shows, so the page never flashes the 401s it
 * got before; other queries were marked stale and refetch as they show.
 */
export async function reloadAfterSignIn(router: Pick<AnyRouter, 'invalidate'>, queryClient: QueryClient): Promise<void> {
  try {
    await queryClient.invalidateQueries();
    await router.invalidate();
  } finally {
    markSignedIn();
  }
}

/** Ends the session and forgets every answer given under it; the sign-in screen shows. */
export async function signOutAndForget(queryClient: QueryClient): Promise<void> {
  await signOut();
  markSignInRequired();
  queryClient.clear();
}
