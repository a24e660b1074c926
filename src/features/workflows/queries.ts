/** Query choices shared by route loaders and components (no UI imports: loaders stay in the entry chunk). */
import { queryOptions, type QueryFunction } from '@tanstack/react-query';
import { allWorkflowsQuery, listWorkflowsQuery } from '../../api/workflows';
import type { Page, Workflow } from '../../api/types';

export type WorkflowsView = { kind: 'page'; page: Page<Workflow> } | { kind: 'search'; matches: Workflow[] };

function matches(w: Workflow, q: string) {
  const needle = q.toLowerCase();
  return w.id.toLowerCase().includes(needle) || (w.config.name ?? '').toLowerCase().includes(needle);
}

/** A v2 page, or — when searching by name/id, which the v2 list cannot filter — every workflow, filtered. */
export function workflowsListQuery(search: { q?: string; cursor?: string; pageSize: number }) {
  const q = search.q;
  if (q) {
    const o = allWorkflowsQuery();
    const fn = o.queryFn as QueryFunction<Workflow[]>;
    return queryOptions<WorkflowsView>({
      queryKey: [...o.queryKey, 'search', q],
      queryFn: async (ctx) => ({ kind: 'search', matches: (await fn(ctx as never)).filter((w) => matches(w, q)) }),
    });
  }
  const o = listWorkflowsQuery({ cursor: search.cursor, pageSize: search.pageSize });
  const fn = o.queryFn as QueryFunction<Page<Workflow>>;
  return queryOptions<WorkflowsView>({
    queryKey: [...o.queryKey, 'view'],
    queryFn: async (ctx) => ({ kind: 'page', page: await fn(ctx as never) }),
  });
}
