import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { approvalKeys } from './approvals';
import { reasonHeaders } from './audit';
import { api, data } from './client';
import { liveOptions } from './live';
import { compact, queryString } from './meta';
import type { Page, PageParams, WorkflowInstance } from './types';

export interface InstanceListFilter extends PageParams {
  workflowID?: string;
  running?: boolean;
  /** Console filters of the v2 list (server-side, see openapi/flows.yaml). */
  /** Comma-separated derived statuses: running, succeeded, failed, aborted. */
  status?: string;
  /** RFC 3339; created at or after. */
  startedAfter?: string;
  /** RFC 3339; created strictly before. */
  startedBefore?: string;
  /** Case-insensitive piece of the instance id. */
  id?: string;
  origin?: 'manual' | 'trigger';
  triggerID?: string;
  /** `desc`: newest first. */
  order?: 'asc' | 'desc';
  /** Running and waiting for an event, delayed, or retrying. */
  state?: 'waiting' | 'delayed' | 'retrying';
  /** RFC 3339; running, in its current stage since before. */
  stageStartedBefore?: string;
  /** Running, retrying an activity that failed at least this many times. */
  minRetries?: number;
  /** RFC 3339; running, with a timer due after. */
  resumesAfter?: string;
  /** Failed with this normalized reason (the overview's failures). */
  reason?: string;
  /** RFC 3339; terminated at or after. */
  endedAfter?: string;
  /** RFC 3339; terminated strictly before. */
  endedBefore?: string;
  /** Running, with a send still to run in this asset (money in flight). */
  pendingAsset?: string;
  /** With pendingAsset: drawn from this source. */
  pendingSource?: string;
  /** Search by run variables (`userID = 42 and amount > 1000`, common/variable-filter.ts). */
  vars?: string;
  /** `<column>:asc|desc`, sorted on the server (createdAt, duration, id, workflow, origin). */
  sort?: string;
}

export const instanceKeys = {
  all: ['instances'] as const,
  lists: () => [...instanceKeys.all, 'list'] as const,
  list: (filter: InstanceListFilter) => [...instanceKeys.lists(), compact(filter)] as const,
  /** Pages loaded one after another from `filter.cursor` (the console's list, "load more"). */
  pages: (filter: InstanceListFilter) => [...instanceKeys.lists(), 'pages', compact(filter)] as const,
  details: () => [...instanceKeys.all, 'detail'] as const,
  detail: (id: string) => [...instanceKeys.details(), id] as const,
  history: (id: string) => [...instanceKeys.detail(id), 'history'] as const,
  stageHistory: (id: string, stage: number) => [...instanceKeys.detail(id), 'stage', stage] as const,
  /** Where several instances are (the list's running rows), one entry per set of ids. */
  progress: (ids: readonly string[]) => [...instanceKeys.all, 'progress', ids] as const,
};

/** Options callers may add to live queries (e.g. `{ refetchInterval: 5000 }`). */
export interface LiveOptions {
  refetchInterval?: number | false;
}

/** One page of instances (v2 cursor paging). */
export function listInstancesQuery(filter: InstanceListFilter = {}, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: instanceKeys.list(filter),
    queryFn: ({ signal }) => fetchInstancesPage(filter, signal),
    ...liveOptions(instancesTopic(filter), live.refetchInterval),
  });
}

/** The live topic of a list: the GET of its first page (an answer makes the list refetch). */
export function instancesTopic(filter: InstanceListFilter): string {
  return `/api/orchestration/v2/instances${queryString(filter)}`;
}

/** Fetches one page of the v2 list; `cursor` wins over the filter (filters live in the token). */
export function fetchInstancesPage(filter: InstanceListFilter, signal?: AbortSignal): Promise<Page<WorkflowInstance>> {
  return data(api().flows.GET('/api/orchestration/v2/instances', { params: { query: compact(filter) }, signal })).then((r) => r.cursor as Page<WorkflowInstance>);
}

export function instanceQuery(id: string, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: instanceKeys.detail(id),
    queryFn: ({ signal }) => data(api().flows.GET('/api/orchestration/v2/instances/{instanceID}', { params: { path: { instanceID: id } }, signal })).then((r) => r.data),
    ...liveOptions(instanceTopics(id).instance, live.refetchInterval, dataOf),
  });
}

export function instanceHistoryQuery(id: string, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: instanceKeys.history(id),
    queryFn: ({ signal }) =>
      data(api().flows.GET('/api/orchestration/v2/instances/{instanceID}/history', { params: { path: { instanceID: id } }, signal })).then((r) => r.data),
    ...liveOptions(instanceTopics(id).history, live.refetchInterval, dataOf),
  });
}

export function stageHistoryQuery(id: string, stage: number, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: instanceKeys.stageHistory(id, stage),
    queryFn: ({ signal }) =>
      data(
        api().flows.GET('/api/orchestration/v2/instances/{instanceID}/stages/{number}/history', {
          params: { path: { instanceID: id, number: stage } },
          signal,
        }),
      ).then((r) => r.data),
    ...liveOptions(instanceTopics(id).stage(stage), live.refetchInterval, dataOf),
  });
}

/**
 * Where each of `ids` is (GET /api/console/instances/progress; at most 50 ids, see
 * `progressIdGroups`): one request, and one live topic, for the rows of a list.
 */
export function instancesProgressQuery(ids: readonly string[], live: LiveOptions = {}) {
  return queryOptions({
    queryKey: instanceKeys.progress(ids),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/instances/progress', { params: { query: { id: [...ids] } }, signal })).then((r) => r.data),
    ...liveOptions(instancesProgressTopic(ids), live.refetchInterval, dataOf),
  });
}

export function instancesProgressTopic(ids: readonly string[]): string {
  return `/api/console/instances/progress?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}`;
}

/** The server's limits: ids per request, and the length of a live topic (the request's path). */
const PROGRESS_IDS = 50;
const PROGRESS_TOPIC_LENGTH = 1900;

/** `ids` in groups one progress request (and one live topic) can carry. */
export function progressIdGroups(ids: readonly string[]): string[][] {
  const groups: string[][] = [];
  const empty = instancesProgressTopic([]).length;
  let group: string[] = [];
  let length = empty;
  for (const id of ids) {
    const cost = `id=${encodeURIComponent(id)}&`.length;
    if (group.length && (group.length >= PROGRESS_IDS || length + cost > PROGRESS_TOPIC_LENGTH)) {
      groups.push(group);
      group = [];
      length = empty;
    }
    group.push(id);
    length += cost;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** The live topics of an instance: the GETs its detail, history and stage history queries read. */
export function instanceTopics(id: string) {
  const instance = `/api/orchestration/v2/instances/${encodeURIComponent(id)}`;
  return { instance, history: `${instance}/history`, stage: (n: number) => `${instance}/stages/${n}/history` };
}

/** The `data` of a single-item answer (`{ data }`), as the query functions above return it. */
const dataOf = (body: unknown) => (body as { data: unknown }).data;

/** What a run request did: started an instance, or (four eyes) was held as an approval request. */
export type RunOutcome = { kind: 'started'; instance: WorkflowInstance } | { kind: 'held'; approvalId: string };

export function useRunWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (args: { workflowID: string; variables?: Record<string, string>; wait?: boolean }): Promise<RunOutcome> => {
      const r = await api().flows.POST('/api/orchestration/v2/workflows/{workflowID}/instances', {
        params: { path: { workflowID: args.workflowID }, query: args.wait ? { wait: true } : {} },
        body: args.variables ?? {},
      });
      // 202: held for approval (four eyes), nothing started.
      if (r.response.status === 202) return { kind: 'held', approvalId: (r.data as { data: { id: string } }).data.id };
      return { kind: 'started', instance: (r.data as { data: WorkflowInstance }).data };
    },
    meta: { success: (o) => ((o as RunOutcome).kind === 'held' ? 'Held for approval' : 'Workflow started'), error: 'Could not run the workflow' },
    onSuccess: (outcome) => {
      if (outcome.kind === 'held') return qc.invalidateQueries({ queryKey: approvalKeys.lists() });
      qc.setQueryData(instanceKeys.detail(outcome.instance.id), outcome.instance);
      return qc.invalidateQueries({ queryKey: instanceKeys.lists() });
    },
  });
}

export function useSendEvent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (args: { instanceID: string; name: string }) =>
      data(
        api().flows.POST('/api/orchestration/v2/instances/{instanceID}/events', {
          params: { path: { instanceID: args.instanceID } },
          body: { name: args.name },
        }),
      ),
    // No success toast here: only the caller knows whether the stage waited for that name (the
    // server answers 204 and drops any other, as upstream does).
    meta: { error: 'Could not send the event' },
    // Also on a refusal: the state shown is then the one the server reports.
    onSettled: (_, __, args) => {
      return Promise.all([qc.invalidateQueries({ queryKey: instanceKeys.detail(args.instanceID) }), qc.invalidateQueries({ queryKey: instanceKeys.lists() })]);
    },
  });
}

export function useAbortInstance() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ instanceID, reason }: { instanceID: string; reason?: string }) =>
      data(api().flows.PUT('/api/orchestration/v2/instances/{instanceID}/abort', { params: { path: { instanceID } }, headers: reasonHeaders(reason) })),
    meta: { success: 'Instance aborted', error: 'Could not abort the instance' },
    // Also on a refusal: the status shown is then the one the server reports.
    onSettled: (_, __, { instanceID }) =>
      Promise.all([qc.invalidateQueries({ queryKey: instanceKeys.detail(instanceID) }), qc.invalidateQueries({ queryKey: instanceKeys.lists() })]),
  });
}

/** Aborts several instances at once; resolves with each one's outcome (never rejects). */
export function useAbortInstances() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ instanceIDs, reason }: { instanceIDs: string[]; reason?: string }) => {
      const results = await Promise.allSettled(
        instanceIDs.map((instanceID) =>
          data(api().flows.PUT('/api/orchestration/v2/instances/{instanceID}/abort', { params: { path: { instanceID } }, headers: reasonHeaders(reason) })),
        ),
      );
      return instanceIDs.map((id, i) => {
        const r = results[i]!;
        return r.status === 'fulfilled' ? { id, ok: true as const } : { id, ok: false as const, error: r.reason as unknown };
      });
    },
    onSettled: (_, __, { instanceIDs }) =>
      Promise.all([qc.invalidateQueries({ queryKey: instanceKeys.lists() }), ...instanceIDs.map((id) => qc.invalidateQueries({ queryKey: instanceKeys.detail(id) }))]),
  });
}
