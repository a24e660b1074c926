/** Saved views of the lists (the console's own endpoints, openapi/console.yaml): shared by the team. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from './client';
import type { components } from './generated/console';

export type SavedView = components['schemas']['View'];
export type ViewList = components['schemas']['ViewList'];
export type ViewCreate = components['schemas']['ViewCreate'];
export type ViewUpdate = components['schemas']['ViewUpdate'];
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
    queryFn: ({ signal }) => data(api().console.GET('/api/console/views', { params: { query: { list } }, signal })).then((r) => r.data),
    staleTime: 10_000,
  });
}

export function viewQuery(id: string) {
  return queryOptions({
    queryKey: viewKeys.detail(id),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/views/{viewID}', { params: { path: { viewID: id } }, signal })).then((r) => r.data),
  });
}

export function useCreateView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ViewCreate) => data(api().console.POST('/api/console/views', { body })).then((r) => r.data),
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
      data(api().console.PATCH('/api/console/views/{viewID}', { params: { path: { viewID: id } }, body })).then((r) => r.data),
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
