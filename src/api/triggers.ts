import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { reasonHeaders } from './audit';
import { api, data } from './client';
import { liveOptions } from './live';
import { compact, queryString } from './meta';
import { walkList, type ListWalk } from './walk';
import type { Page, PageParams, Trigger, TriggerData, TriggerOccurrence, TriggerPreviewRequest } from './types';

export interface TriggerListFilter extends PageParams {
  /** Case-insensitive substring of the name (server-side). */
  name?: string;
}

export const triggerKeys = {
  all: ['triggers'] as const,
  lists: () => [...triggerKeys.all, 'list'] as const,
  list: (filter: TriggerListFilter) => [...triggerKeys.lists(), compact(filter)] as const,
  everything: () => [...triggerKeys.lists(), 'all'] as const,
  details: () => [...triggerKeys.all, 'detail'] as const,
  detail: (id: string) => [...triggerKeys.details(), id] as const,
  occurrences: (id: string, page: PageParams) => [...triggerKeys.detail(id), 'occurrences', compact(page)] as const,
  eventTypes: () => [...triggerKeys.all, 'event-types'] as const,
};

/** One page of the v2 list. */
export function fetchTriggersPage(filter: TriggerListFilter, signal?: AbortSignal): Promise<Page<Trigger>> {
  return data(api().flows.GET('/api/orchestration/v2/triggers', { params: { query: compact(filter) }, signal })).then((r) => r.cursor as Page<Trigger>);
}

export function listTriggersQuery(filter: TriggerListFilter = {}) {
  return queryOptions({
    queryKey: triggerKeys.list(filter),
    queryFn: ({ signal }) => fetchTriggersPage(filter, signal),
  });
}

/** Triggers fetched by `fetchAllTriggers`, at most (pages of 100). */
const ALL_TRIGGERS_CAP = 5_000;

/**
 * Every trigger, paging through the v2 list (upstream's v1 list stops at 15 without saying so),
 * with what the walk noticed (upstream keeps no order between pages, see walk.ts). Name filtering
 * can then run here: upstream's `name` filter answers 500 (docs/compatibility.md: lists).
 */
export function fetchAllTriggers(signal?: AbortSignal): Promise<ListWalk<Trigger>> {
  return walkList((cursor) => fetchTriggersPage(cursor ? { cursor } : { pageSize: 100 }, signal), { cap: ALL_TRIGGERS_CAP, key: (t) => t.id });
}

/** Every trigger: the command palette, trigger names in the instances list, workflow deletion. */
export function allTriggersQuery() {
  return queryOptions({
    queryKey: triggerKeys.everything(),
    queryFn: async ({ signal }) => (await fetchAllTriggers(signal)).rows,
    staleTime: 30_000,
  });
}

export function triggerQuery(id: string) {
  return queryOptions({
    queryKey: triggerKeys.detail(id),
    queryFn: ({ signal }) => data(api().flows.GET('/api/orchestration/v2/triggers/{triggerID}', { params: { path: { triggerID: id } }, signal })).then((r) => r.data),
  });
}

export function triggerOccurrencesQuery(id: string, page: PageParams = {}, live: { refetchInterval?: number | false } = {}) {
  return queryOptions({
    queryKey: triggerKeys.occurrences(id, page),
    queryFn: ({ signal }) =>
      data(
        api().flows.GET('/api/orchestration/v2/triggers/{triggerID}/occurrences', {
          params: { path: { triggerID: id }, query: compact(page) },
          signal,
        }),
      ).then((r) => r.cursor as Page<TriggerOccurrence>),
    ...liveOptions(`/api/orchestration/v2/triggers/${encodeURIComponent(id)}/occurrences${queryString(page)}`, live.refetchInterval),
  });
}

export function useCreateTrigger() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TriggerData) => data(api().flows.POST('/api/orchestration/v2/triggers', { body })).then((r) => r.data),
    meta: { success: 'Trigger created', error: 'Could not create the trigger' },
    onSuccess: (trigger) => {
      qc.setQueryData(triggerKeys.detail(trigger.id), trigger);
      return qc.invalidateQueries({ queryKey: triggerKeys.lists() });
    },
  });
}

export function useDeleteTrigger() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      data(api().flows.DELETE('/api/orchestration/v2/triggers/{triggerID}', { params: { path: { triggerID: id } }, headers: reasonHeaders(reason) })),
    meta: { success: 'Trigger deleted', error: 'Could not delete the trigger' },
    onSuccess: (_, { id }) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: triggerKeys.lists() }),
        // Stale, not refetched now: a page still showing it (the edit that replaced it) would
        // only get a 404; the next visit finds it gone.
        qc.invalidateQueries({ queryKey: triggerKeys.detail(id), refetchType: 'none' }),
      ]),
  });
}

/** Evaluates a saved trigger against a sample payload; changes nothing, so invalidates nothing. */
export function useTestTrigger() {
  return useMutation({
    mutationFn: (args: { triggerID: string; payload: Record<string, unknown> }) =>
      data(
        api().flows.POST('/api/orchestration/v2/triggers/{triggerID}/test', {
          params: { path: { triggerID: args.triggerID } },
          body: args.payload,
        }),
      ).then((r) => r.data),
    meta: { error: 'Could not test the trigger' },
  });
}

/** Platform event types the console knows, by publishing service (the editor's picker). */
export function eventTypesQuery() {
  return queryOptions({
    queryKey: triggerKeys.eventTypes(),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/console/event-types', { signal })).then((r) => r.data),
    staleTime: Infinity,
  });
}

/** Evaluates an unsaved filter and vars on a sample payload (compile errors come back positioned). */
export function usePreviewTrigger() {
  return useMutation({
    mutationFn: (body: TriggerPreviewRequest) => data(api().sandbox.POST('/api/console/triggers/preview', { body })).then((r) => r.data),
    meta: { error: 'Could not test the trigger' },
  });
}
