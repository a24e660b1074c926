import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, data } from './client';

export const infoKeys = {
  all: ['info'] as const,
  console: () => [...infoKeys.all, 'console'] as const,
  server: () => [...infoKeys.all, 'server'] as const,
};

/** How the console is connected (embedded / remote), server version and health. Polled. */
export function consoleInfoQuery() {
  return queryOptions({
    queryKey: infoKeys.console(),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/console/info', { signal })),
    refetchInterval: 15_000,
    retry: false,
  });
}

/**
 * Whether the console proxies to a Formance stack. Upstream Flows lacks the console's extras
 * (status, time and id filters, newest-first order, instance provenance), so views adapt.
 */
export function useIsRemote(): boolean {
  return useQuery(consoleInfoQuery()).data?.mode === 'remote';
}

/**
 * The Flows service's own `/_info`: the stack's version in remote mode. Upstream mounts it at the
 * service root only (`/api/orchestration/_info`); its `/v2/_info` is a 404.
 */
export function serverInfoQuery() {
  return queryOptions({
    queryKey: infoKeys.server(),
    queryFn: ({ signal }) => data(api().flows.GET('/api/orchestration/_info', { signal })),
    staleTime: 60_000,
    retry: false,
  });
}
