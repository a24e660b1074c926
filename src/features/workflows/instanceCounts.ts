/**
 * Running and failed instance counts of a workflow, from the v2 instance list filtered by
 * workflowID and `running` (upstream's own filter) or the console's `status=failed` (paged through
 * up to a cap: a dedicated count endpoint would be cheaper). Upstream Flows (remote mode) has no
 * status filter, so there the failed count is not asked for.
 * Keys live under the instance lists, so starting or aborting an instance refreshes them.
 */
import { queryOptions } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import { instanceKeys } from '../../api/instances';
import type { Page, WorkflowInstance } from '../../api/types';
import { walkList, walkUnsure } from '../../api/walk';

const PAGE = 100;
const CAP = 1_000;

export interface Count {
  count: number;
  /** More exist than were counted. */
  capped: boolean;
  /** Rows moved between pages while they were counted (remote mode): the count may be off. */
  unsure: boolean;
}

async function countInstances(workflowID: string, status: 'running' | 'failed', signal: AbortSignal): Promise<Count> {
  const filter = status === 'running' ? { workflowID, running: true, pageSize: PAGE } : { workflowID, status, pageSize: PAGE };
  const walk = await walkList(
    (cursor) =>
      data(api().flows.GET('/api/orchestration/v2/instances', { params: { query: cursor ? { cursor } : filter }, signal })).then(
        (r) => r.cursor as Page<WorkflowInstance>,
      ),
    { cap: CAP, key: (i) => i.id },
  );
  return { count: walk.rows.length, capped: walk.capped, unsure: walkUnsure(walk) };
}

export function workflowInstanceCountsQuery(workflowID: string, withFailed = true) {
  return queryOptions({
    queryKey: [...instanceKeys.lists(), 'counts', workflowID, { withFailed }] as const,
    queryFn: async ({ signal }): Promise<{ running: Count; failed?: Count }> => {
      const [running, failed] = await Promise.all([countInstances(workflowID, 'running', signal), withFailed ? countInstances(workflowID, 'failed', signal) : undefined]);
      return { running, failed };
    },
    staleTime: 10_000,
    refetchInterval: (q) => (q.state.data?.running.count ? 10_000 : false),
  });
}
