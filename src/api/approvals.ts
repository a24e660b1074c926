/**
 * Four eyes (server/http/console-approvals.ts): runs held for approval, their decisions, and the
 * per-workflow policy. A held run is what `useRunWorkflow` answers instead of an instance.
 */
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { auditKeys, reasonHeaders } from './audit';
import { api, data } from './client';
import type { components } from './generated/console';
import { instanceKeys } from './instances';

export type Approval = components['schemas']['Approval'];
export type ApprovalDetail = components['schemas']['ApprovalDetailResponse']['data'];
export type ApprovalStatus = Approval['status'];

export const approvalKeys = {
  all: ['approvals'] as const,
  lists: () => [...approvalKeys.all, 'list'] as const,
  list: (status: ApprovalStatus | undefined) => [...approvalKeys.lists(), status ?? 'all'] as const,
  detail: (id: string) => [...approvalKeys.all, 'detail', id] as const,
  policies: () => [...approvalKeys.all, 'policy'] as const,
  policy: (workflowID: string) => [...approvalKeys.policies(), workflowID] as const,
  requiring: () => [...approvalKeys.policies(), 'requiring'] as const,
};

/** Requests, newest first; `fetchNextPage` goes further back. */
export function approvalsQuery(status?: ApprovalStatus) {
  return infiniteQueryOptions({
    queryKey: approvalKeys.list(status),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      data(
        api().console.GET('/api/console/approvals', { params: { query: pageParam ? { cursor: pageParam } : { pageSize: 50, ...(status ? { status } : {}) } }, signal }),
      ).then((r) => r.cursor),
    getNextPageParam: (page) => (page.hasMore ? page.next : undefined),
    refetchInterval: 10_000,
  });
}

/** One request with a dry-run of its run on current balances. */
export function approvalQuery(id: string) {
  return queryOptions({
    queryKey: approvalKeys.detail(id),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/approvals/{approvalID}', { params: { path: { approvalID: id } }, signal })).then((r) => r.data),
  });
}

function useDecision(kind: 'approve' | 'reject') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      data(
        kind === 'approve'
          ? api().console.POST('/api/console/approvals/{approvalID}/approve', { params: { path: { approvalID: id } }, body: reason ? { reason } : {} })
          : api().console.POST('/api/console/approvals/{approvalID}/reject', { params: { path: { approvalID: id } }, body: { reason: reason ?? '' } }),
      ).then((r) => r.data),
    meta: {
      success: (a: unknown) => {
        const approval = a as Approval;
        if (kind === 'reject') return 'Run rejected';
        return approval.instanceID ? 'Approved: the run started' : undefined;
      },
      error: kind === 'approve' ? 'Could not approve the run' : 'Could not reject the run',
    },
    onSuccess: async (approval) => {
      qc.setQueryData(approvalKeys.detail(approval.id), (prev: ApprovalDetail | undefined) => ({ ...prev, ...approval }));
      await qc.invalidateQueries({ queryKey: approvalKeys.lists() });
      if (approval.instanceID) await qc.invalidateQueries({ queryKey: instanceKeys.lists() });
    },
  });
}

export const useApprove = () => useDecision('approve');
export const useReject = () => useDecision('reject');

/** Whether every run of the workflow is held for approval (false when never set). */
export function approvalPolicyQuery(workflowID: string) {
  return queryOptions({
    queryKey: approvalKeys.policy(workflowID),
    queryFn: ({ signal }) =>
      data(api().console.GET('/api/console/workflows/{workflowID}/approval-policy', { params: { path: { workflowID } }, signal })).then((r) => r.data),
  });
}

/** The ids of the workflows whose every run needs approval (the workflows list's badge). */
export function requiringApprovalQuery() {
  return queryOptions({
    queryKey: approvalKeys.requiring(),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/approval-policies', { signal })).then((r) => new Set(r.data.map((p) => p.workflowID))),
    staleTime: 30_000,
  });
}

/** Turns "requires approval" on or off (admin); the change and its reason land in the audit log. */
export function useSetApprovalPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ workflowID, requiresApproval, reason }: { workflowID: string; requiresApproval: boolean; reason?: string }) =>
      data(
        api().console.PUT('/api/console/workflows/{workflowID}/approval-policy', {
          params: { path: { workflowID } },
          body: { requiresApproval },
          headers: reasonHeaders(reason),
        }),
      ).then((r) => r.data),
    meta: {
      success: (p: unknown) => ((p as { requiresApproval: boolean }).requiresApproval ? 'Runs now need approval' : 'Runs no longer need approval'),
      error: 'Could not change the approval policy',
    },
    onSuccess: async (policy) => {
      qc.setQueryData(approvalKeys.policy(policy.workflowID), policy);
      await Promise.all([qc.invalidateQueries({ queryKey: approvalKeys.requiring() }), qc.invalidateQueries({ queryKey: auditKeys.lists() })]);
    },
  });
}
