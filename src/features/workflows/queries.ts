/** Query choices shared by route loaders and components (no UI imports: loaders stay in the entry chunk). */
import { queryOptions, type QueryFunction } from '@tanstack/react-query';
import { allWorkflowsQuery, listWorkflowsQuery } from '../../api/workflows';
import type { Page, Workflow } from '../../api/types';

export type WorkflowsView = { kind: 'page'; page: Page<Workflow> } | { kind: 'all'; workflows: Workflow[] };

function matches(w: Workflow, q: string) {
  const needle = q.toLowerCase();
  return w.id.toLowerCase().includes(needle) || (w.config.name ?? '').toLowerCase().includes(needle);
}

/**
 * A v2 page (cursor paging, creation order) — or, when searching by name/id or sorting, which the
 * v2 list cannot do, every workflow (filtered), so the search and the sort cover all of them.
 */
export function workflowsListQuery(search: { q?: string; sort?: string; cursor?: string; pageSize: number }) {
  const { q, sort } = search;
  if (q || sort) {
    const o = allWorkflowsQuery();
    const fn = o.queryFn as QueryFunction<Workflow[]>;
    return queryOptions<WorkflowsView>({
      queryKey: [...o.queryKey, 'view', q ?? ''],
      queryFn: async (ctx) => {
        const all = await fn(ctx as never);
        return { kind: 'all', workflows: q ? all.filter((w) => matches(w, q)) : all };
      },
    });
  }
  const o = listWorkflowsQuery({ cursor: search.cursor, pageSize: search.pageSize });
  const fn = o.queryFn as QueryFunction<Page<Workflow>>;
  return queryOptions<WorkflowsView>({
    queryKey: [...o.queryKey, 'view'],
    queryFn: async (ctx) => ({ kind: 'page', page: await fn(ctx as never) }),
  });
}
