/** Query choices shared by route loaders and components (no UI imports). */
import { infiniteQueryOptions } from '@tanstack/react-query';
import { fetchInstancesPage, instanceKeys, instancesTopic, type InstanceListFilter } from '../../api/instances';
import { liveStream } from '../../api/live';
import type { Page, WorkflowInstance } from '../../api/types';
import { sinceStart, type Since } from './timeRange';
import { parseVariableFilter, VariableFilterError } from '../../../common/variable-filter';

/** The parse error of a variables query, or undefined when it is valid (or empty). */
export function variablesError(query: string): string | undefined {
  try {
    parseVariableFilter(query);
    return undefined;
  } catch (err) {
    if (err instanceof VariableFilterError) return err.message;
    throw err;
  }
}

export type InstanceStatusFilter = 'all' | 'running' | 'succeeded' | 'failed' | 'aborted';
export type InstanceStateFilter = 'waiting' | 'delayed' | 'retrying';

/**
 * Filters the overview links to (each figure → exactly its rows), beyond the list's own
 * controls; shown as removable chips (ExtraFilters.tsx).
 */
export interface InstancesExtraFilters {
  stageStartedBefore?: string;
  minRetries?: number;
  resumesAfter?: string;
  reason?: string;
  endedAfter?: string;
  endedBefore?: string;
  pendingAsset?: string;
  pendingSource?: string;
}
export const EXTRA_FILTER_KEYS = [
  'stageStartedBefore',
  'minRetries',
  'resumesAfter',
  'reason',
  'endedAfter',
  'endedBefore',
  'pendingAsset',
  'pendingSource',
] as const satisfies readonly (keyof InstancesExtraFilters)[];

export const hasExtraFilters = (f: InstancesExtraFilters) => EXTRA_FILTER_KEYS.some((k) => f[k] !== undefined);

/** The list's search params that select data (the refresh interval only changes how often). */
export interface InstancesListSearch extends InstancesExtraFilters {
  workflowID?: string;
  status: InstanceStatusFilter;
  /** running instances in this state (waiting for an event, delayed, retrying) */
  state?: InstanceStateFilter;
  q?: string;
  origin: 'all' | 'manual' | 'trigger';
  trigger?: string;
  since?: Since;
  from?: string;
  to?: string;
  order: 'desc' | 'asc';
  /** search by run variables (server-side in embedded mode) */
  vars?: string;
  /** `<column>:asc|desc` from the table headers. */
  sort?: string;
  cursor?: string;
  pageSize: number;
}

/** Columns the service sorts instances by (v2 list `sort`, a console extra). */
export const SERVER_SORTS = ['createdAt', 'duration', 'id', 'workflow', 'origin'] as const;

/** The URL's sort when the service can apply it, else undefined. */
export function serverSort(sort: string | undefined): string | undefined {
  const [by] = (sort ?? '').split(':');
  return (SERVER_SORTS as readonly string[]).includes(by!) ? sort : undefined;
}

/**
 * Search params → server filter (every filter and the sort are server-side; see
 * openapi/flows.yaml). Upstream Flows (remote mode) only knows `workflowID` and `running`, lists
 * oldest first, cannot sort, and ignores the console's other parameters: with `consoleFilters`
 * off, only what it honours is sent (the table then sorts the rows it has, and says so).
 */
export function instancesListFilter(search: InstancesListSearch, consoleFilters = true): InstanceListFilter {
  if (!consoleFilters) {
    return { workflowID: search.workflowID, running: search.status === 'running' || undefined, cursor: search.cursor, pageSize: search.pageSize };
  }
  return {
    workflowID: search.workflowID,
    status: search.status === 'all' ? undefined : search.status,
    id: search.q?.trim() || undefined,
    origin: search.trigger ? undefined : search.origin === 'all' ? undefined : search.origin,
    triggerID: search.trigger,
    startedAfter: search.since ? undefined : search.from,
    startedBefore: search.since ? undefined : search.to,
    order: search.order === 'desc' ? 'desc' : undefined,
    state: search.state,
    ...Object.fromEntries(EXTRA_FILTER_KEYS.map((k) => [k, search[k]])),
    // A malformed query (a hand-edited URL) is not sent: the search box shows what is wrong.
    vars: search.vars?.trim() && !variablesError(search.vars) ? search.vars.trim() : undefined,
    sort: serverSort(search.sort),
    cursor: search.cursor,
    pageSize: search.pageSize,
  };
}

/** Live refresh reloads every loaded page; past this many it pauses (the list says so). */
export const LIVE_MAX_PAGES = 5;

/**
 * The list: pages loaded one after another from the URL's cursor ("load more", and on reaching the
 * end of a long list). A sliding window ("last hour") is part of the cache key as its name and
 * turned into a start date at each fetch of the first page, so live refreshes keep sliding it;
 * later pages follow their cursor, which carries the filters.
 */
export function instancesListQuery(search: InstancesListSearch, refreshSeconds = 0, consoleFilters = true) {
  const filter = instancesListFilter(search, consoleFilters);
  const since = consoleFilters ? search.since : undefined;
  const queryKey: readonly unknown[] = since ? [...instanceKeys.pages(filter), { since }] : instanceKeys.pages(filter);
  const topic = instancesTopic(filter);
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam, signal }) => {
      if (pageParam) return fetchInstancesPage({ cursor: pageParam }, signal);
      return fetchInstancesPage(since ? { ...filter, startedAfter: sinceStart(since) } : filter, signal);
    },
    initialPageParam: filter.cursor,
    getNextPageParam: (last: Page<WorkflowInstance>) => (last.hasMore && last.next ? last.next : undefined),
    // Kept fresh by the live stream while it carries the list's first page, else by polling.
    meta: refreshSeconds ? { live: { topic } } : undefined,
    refetchInterval: (query) => (refreshSeconds && (query.state.data?.pages.length ?? 1) <= LIVE_MAX_PAGES && !liveStream.carries(topic) ? refreshSeconds * 1000 : false),
  });
}
