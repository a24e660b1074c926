/**
 * The audit log (server/http/console-accountability.ts): every write through the console, newest
 * first, with filters; an export link; and the header that carries a write's reason.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, data } from './client';
import { compact } from './meta';
import type { AuditEntry } from './types';

export interface AuditFilter {
  actor?: string;
  /** an action (`instance.abort`) or a family (`instance`) */
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'succeeded' | 'refused' | 'failed' | 'unknown';
  requestId?: string;
  /** RFC 3339 */
  since?: string;
  until?: string;
}

export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (filter: AuditFilter, pageSize: number) => [...auditKeys.lists(), compact(filter), pageSize] as const,
};

/** Pages of entries, newest first; `fetchNextPage` goes further back. */
export function auditQuery(filter: AuditFilter = {}, pageSize = 50) {
  return infiniteQueryOptions({
    queryKey: auditKeys.list(filter, pageSize),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      data(
        api().console.GET('/api/console/audit', {
          params: { query: pageParam ? { cursor: pageParam } : compact({ ...filter, pageSize }) },
          signal,
        }),
      ).then((r) => r.cursor),
    getNextPageParam: (page) => (page.hasMore ? page.next : undefined),
  });
}

/** The entries about one workflow, instance or trigger (its own and what created it), newest first. */
export function auditTrailQuery(targetType: string, targetId: string) {
  return queryOptions({
    queryKey: [...auditKeys.lists(), 'trail', targetType, targetId] as const,
    queryFn: ({ signal }): Promise<AuditEntry[]> =>
      data(api().console.GET('/api/console/audit', { params: { query: { targetType, targetId, pageSize: 20 } }, signal })).then((r) => r.cursor.data),
    refetchInterval: 15_000,
  });
}

/** Where the browser downloads the filtered log. */
export function auditExportUrl(filter: AuditFilter, format: 'csv' | 'ndjson' = 'csv'): string {
  return `/api/console/audit/export?${new URLSearchParams({ format, ...compact(filter) } as Record<string, string>).toString()}`;
}

/** The header that gives a write its reason (percent-encoded: any language fits a header). */
export function reasonHeaders(reason: string | undefined): Record<string, string> {
  const text = reason?.trim();
  return text ? { 'X-Audit-Reason': encodeURIComponent(text) } : {};
}
