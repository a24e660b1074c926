/**
 * Which sign-ins the server accepts (`GET /api/auth/methods`, an open route: asked before anyone
 * is signed in). Only the lazily loaded sign-in screen asks, so this stays out of the first load.
 */
import { queryOptions } from '@tanstack/react-query';
import { api, data } from './client';

export const signInMethodsKeys = {
  all: ['sign-in-methods'] as const,
};

export function signInMethodsQuery() {
  return queryOptions({
    queryKey: signInMethodsKeys.all,
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/auth/methods', { signal })),
    staleTime: Infinity,
    retry: false,
  });
}
