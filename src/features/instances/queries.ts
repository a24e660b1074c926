/** Query choices shared by route loaders and components (no UI imports). */
import { queryOptions, type QueryFunction } from '@tanstack/react-query';
import { instanceKeys, listInstancesQuery, type InstanceListFilter } from '../../api/instances';
import type { Page, WorkflowInstance } from '../../api/types';
import { sinceStart, type Since } from './timeRange';

export type InstanceStatusFilter = 'all' | 'running' | 'succeeded' | 'failed' | 'aborted';

/** The list's search params that select data (the refresh interval only changes how often). */
export interface InstancesListSearch {
  workflowID?: string;
  status: InstanceStatusFilter;
  q?: string;
  origin: 'all' | 'manual' | 'trigger';
  trigger?: string;
  since?: Since;
  from?: string;
  to?: string;
  order: 'desc' | 'asc';
  cursor?: string;
  pageSize: number;
}

/** Search params → server filter (every filter is server-side; see openapi/flows.yaml). */
export function instancesListFilter(search: InstancesListSearch): InstanceListFilter {
  return {
    workflowID: search.workflowID,
    status: search.status === 'all' ? undefined : search.status,
    id: search.q?.trim() || undefined,
    origin: search.trigger ? undefined : search.origin === 'all' ? undefined : search.origin,
    triggerID: search.trigger,
    startedAfter: search.since ? undefined : search.from,
    startedBefore: search.since ? undefined : search.to,
    order: search.order === 'desc' ? 'desc' : undefined,
    cursor: search.cursor,
    pageSize: search.pageSize,
  };
}

/**
 * One page of the list. A sliding window ("last hour") is part of the cache key as its name and
 * turned into a start date at each fetch, so live refreshes keep sliding it.
 */
export function instancesListQuery(search: InstancesListSearch, refreshSeconds = 0) {
  const filter = instancesListFilter(search);
  const live = { refetchInterval: refreshSeconds ? refreshSeconds * 1000 : (false as const) };
  const since = search.since;
  const queryKey: readonly unknown[] = since ? [...instanceKeys.list(filter), { since }] : instanceKeys.list(filter);
  return queryOptions<Page<WorkflowInstance>, Error, Page<WorkflowInstance>, readonly unknown[]>({
    ...live,
    queryKey,
    queryFn: (ctx) => {
      const withWindow = since && !filter.cursor ? { ...filter, startedAfter: sinceStart(since) } : filter;
      return (listInstancesQuery(withWindow).queryFn as QueryFunction<Page<WorkflowInstance>>)(ctx as never);
    },
  });
}
