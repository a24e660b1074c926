import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { auditKeys } from './api/audit';
import { errorText, isSignInRequired, isTransientError } from './api/errors';
import { markSignInRequired } from './api/session';
import { toast } from './components/toast';
import './api/meta';

/** Retry only what may succeed on a second try: network failures and 5xx, once. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 1) return false;
  return isTransientError(error);
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
    // The server wants a session (AUTH_CLIENTS): any refused query shows the sign-in screen.
    queryCache: new QueryCache({
      onError: (error) => {
        if (isSignInRequired(error)) markSignInRequired();
      },
    }),
    // Toasts for every mutation, driven by its `meta` (see src/api/meta.ts).
    mutationCache: new MutationCache({
      onSuccess: (data, _vars, _ctx, mutation) => {
        const meta = mutation.meta?.success;
        const success = typeof meta === 'function' ? meta(data) : meta;
        if (success) toast({ tone: 'success', title: success });
      },
      // Every write is in the audit log, refused ones too: its views refresh after any of them.
      onSettled: () => client.invalidateQueries({ queryKey: auditKeys.all }),
      onError: (error, _vars, _ctx, mutation) => {
        // The session ended: the sign-in screen says so, a toast would only repeat it.
        if (isSignInRequired(error)) return markSignInRequired();
        toast({ tone: 'error', title: mutation.meta?.error ?? 'Request failed', description: errorText(error) });
      },
    }),
  });
  return client;
}
