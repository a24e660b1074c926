/** Saved views of the lists (the console's own endpoints, openapi/console.yaml): shared by the team. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from './client';
import type { components } from './generated/console';

/**
 * A view's filters, each of its list's query parameter's type: text, or a number (`minRetries`).
 * The generated type intersects `{ minRetries?: number }` with a string index, which no object
 * satisfies; this is what the contract means.
 */
export type ViewFilters = Record<string, string | number>;
type WithFilters<T> = Omit<T, 'filters'> & { filters?: ViewFilters };
export type SavedView = Omit<components['schemas']['View'], 'filters'> & { filters: ViewFilters };
export type ViewList = components['schemas']['ViewList'];
type GeneratedBody<K extends 'ViewCreate' | 'ViewUpdate'> = components['schemas'][K];
export type ViewCreate = WithFilters<components['schemas']['ViewCreate']>;
export type ViewUpdate = WithFilters<components['schemas']['ViewUpdate']>;
export type ViewTimeRange = components['schemas']['TimeRange'];

export const viewKeys = {
  all: ['views'] as const,
  list: (list: ViewList) => [...viewKeys.all, 'list', list] as const,
  detail: (id: string) => [...viewKeys.all, 'detail', id] as const,
};

/** The saved views of one list, by name. */
export function viewsQuery(list: ViewList) {
  return queryOptions({
    queryKey: viewKeys.list(list),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/views', { params: { query: { list } }, signal })).then((r) => r.data as SavedView[]),
    staleTime: 10_000,
  });
}

export function viewQuery(id: string) {
  return queryOptions({
    queryKey: viewKeys.detail(id),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/views/{viewID}', { params: { path: { viewID: id } }, signal })).then((r) => r.data as SavedView),
  });
}

export function useCreateView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ViewCreate) => data(api().console.POST('/api/console/views', { body: body as GeneratedBody<'ViewCreate'> })).then((r) => r.data as SavedView),
    meta: { success: 'View saved' },
    onSuccess: (view) => {
      qc.setQueryData(viewKeys.detail(view.id), view);
      return qc.invalidateQueries({ queryKey: viewKeys.list(view.list) });
    },
  });
}

export function useUpdateView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ViewUpdate & { id: string }) =>
      data(api().console.PATCH('/api/console/views/{viewID}', { params: { path: { viewID: id } }, body: body as GeneratedBody<'ViewUpdate'> })).then(
        (r) => r.data as SavedView,
      ),
    meta: { success: 'View updated' },
    onSuccess: (view) => {
      qc.setQueryData(viewKeys.detail(view.id), view);
      return qc.invalidateQueries({ queryKey: viewKeys.list(view.list) });
    },
  });
}

export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (view: SavedView) => data(api().console.DELETE('/api/console/views/{viewID}', { params: { path: { viewID: view.id } } })).then(() => view),
    meta: { success: 'View deleted' },
    onSuccess: (view) => {
      qc.removeQueries({ queryKey: viewKeys.detail(view.id) });
      return qc.invalidateQueries({ queryKey: viewKeys.list(view.list) });
    },
  });
}
