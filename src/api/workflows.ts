import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { reasonHeaders } from './audit';
import { api, data } from './client';
import { compact } from './meta';
import type { Page, PageParams, Workflow, WorkflowConfig } from './types';

export type WorkflowListFilter = PageParams;

export const workflowKeys = {
  all: ['workflows'] as const,
  lists: () => [...workflowKeys.all, 'list'] as const,
  list: (filter: WorkflowListFilter) => [...workflowKeys.lists(), compact(filter)] as const,
  /** Every non-deleted workflow (v1, no paging): pickers and the command palette. */
  everything: () => [...workflowKeys.lists(), 'all'] as const,
  details: () => [...workflowKeys.all, 'detail'] as const,
  detail: (id: string) => [...workflowKeys.details(), id] as const,
};

/** One page of workflows (v2 cursor paging, oldest first). */
export function listWorkflowsQuery(filter: WorkflowListFilter = {}) {
  return queryOptions({
    queryKey: workflowKeys.list(filter),
    queryFn: ({ signal }) =>
      data(api().flows.GET('/api/orchestration/v2/workflows', { params: { query: compact(filter) }, signal })).then((r) => r.cursor as Page<Workflow>),
  });
}

export function allWorkflowsQuery() {
  return queryOptions({
    queryKey: workflowKeys.everything(),
    queryFn: ({ signal }) => data(api().flows.GET('/api/orchestration/workflows', { signal })).then((r) => r.data),
    staleTime: 30_000,
  });
}

export function workflowQuery(id: string) {
  return queryOptions({
    queryKey: workflowKeys.detail(id),
    queryFn: ({ signal }) => data(api().flows.GET('/api/orchestration/v2/workflows/{flowId}', { params: { path: { flowId: id } }, signal })).then((r) => r.data),
  });
}

export function useCreateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (config: WorkflowConfig) => data(api().flows.POST('/api/orchestration/v2/workflows', { body: config })).then((r) => r.data),
    meta: { success: 'Workflow created', error: 'Could not create the workflow' },
    onSuccess: (workflow) => {
      qc.setQueryData(workflowKeys.detail(workflow.id), workflow);
      return qc.invalidateQueries({ queryKey: workflowKeys.lists() });
    },
  });
}

export function useDeleteWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      data(api().flows.DELETE('/api/orchestration/v2/workflows/{flowId}', { params: { path: { flowId: id } }, headers: reasonHeaders(reason) })),
    meta: { success: 'Workflow deleted', error: 'Could not delete the workflow' },
    onSuccess: (_, { id }) => Promise.all([qc.invalidateQueries({ queryKey: workflowKeys.lists() }), qc.invalidateQueries({ queryKey: workflowKeys.detail(id) })]),
  });
}
