/**
 * Running and failed instance counts of a workflow (GET /api/console/instances/counts). Each
 * workflow keeps its own query (and cache entry), but the queries asked for in the same tick —
 * every row of the workflows list — go out as one request: one request per count used to be most
 * of that page's first load. Upstream Flows (remote mode) has no status filter, so there the
 * server gives the running count only.
 * Keys live under the instance lists, so starting or aborting an instance refreshes them.
 */
import { queryOptions } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import { instanceKeys } from '../../api/instances';

/** What one request asks for at most (the server's limit). */
const MAX_PER_REQUEST = 100;

export interface Count {
  count: number;
  /** More exist than were counted. */
  capped: boolean;
}

interface Counts {
  running: Count;
  failed?: Count;
}

type Waiter = { resolve(c: Counts): void; reject(e: unknown): void };
let pending = new Map<string, Waiter[]>();

async function flush(): Promise<void> {
  const batch = pending;
  pending = new Map();
  const ids = [...batch.keys()];
  for (let i = 0; i < ids.length; i += MAX_PER_REQUEST) {
    const chunk = ids.slice(i, i + MAX_PER_REQUEST);
    try {
      const answer = await data(api().console.GET('/api/console/instances/counts', { params: { query: { workflowID: chunk } } }));
      const byId = new Map(answer.data.map((c) => [c.workflowID, c]));
      for (const id of chunk) {
        const c = byId.get(id);
        const asCount = (x: { count: number; exact: boolean }): Count => ({ count: x.count, capped: !x.exact });
        for (const w of batch.get(id)!) {
          if (c) w.resolve({ running: asCount(c.running), ...(c.failed ? { failed: asCount(c.failed) } : {}) });
          else w.reject(new Error(`no counts for workflow ${id}`));
        }
      }
    } catch (err) {
      for (const id of chunk) for (const w of batch.get(id)!) w.reject(err);
    }
  }
}

function countsOf(workflowID: string): Promise<Counts> {
  return new Promise((resolve, reject) => {
    if (pending.size === 0) setTimeout(() => void flush(), 0);
    pending.set(workflowID, [...(pending.get(workflowID) ?? []), { resolve, reject }]);
  });
}

export function workflowInstanceCountsQuery(workflowID: string) {
  return queryOptions({
    queryKey: [...instanceKeys.lists(), 'counts', workflowID] as const,
    queryFn: () => countsOf(workflowID),
    staleTime: 10_000,
    refetchInterval: (q) => (q.state.data?.running.count ? 10_000 : false),
  });
}
