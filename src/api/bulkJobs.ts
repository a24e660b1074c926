/**
 * Bulk jobs (the console's own endpoints, openapi/console.yaml): an action on every instance a
 * filter matches, not only the rows loaded — a preview, the job's progress, its report row by row.
 */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { reasonHeaders } from './audit';
import { api, data } from './client';
import type { components } from './generated/console';
import { instanceKeys } from './instances';

export type BulkJob = components['schemas']['BulkJob'];
export type BulkJobItem = components['schemas']['BulkJobItem'];
export type BulkPreview = components['schemas']['BulkPreview'];
export type BulkJobRequest = components['schemas']['BulkJobRequest'];
export type BulkOutcome = BulkJobItem['outcome'];

export const bulkJobKeys = {
  all: ['bulkJobs'] as const,
  preview: (request: BulkJobRequest) => [...bulkJobKeys.all, 'preview', request] as const,
  detail: (id: string) => [...bulkJobKeys.all, 'detail', id] as const,
  items: (id: string, outcome: BulkOutcome | undefined) => [...bulkJobKeys.detail(id), 'items', outcome ?? 'all'] as const,
};

const isOpen = (job: BulkJob | undefined) => !job || job.state === 'collecting' || job.state === 'running';

/** What the action would act on now: the count, a sample, and the time it fixes (`upTo`). */
export function bulkPreviewQuery(request: BulkJobRequest) {
  return queryOptions({
    queryKey: bulkJobKeys.preview(request),
    queryFn: ({ signal }) => data(api().console.POST('/api/console/bulk-jobs/preview', { body: request, signal })).then((r) => r.data),
    staleTime: 0,
    gcTime: 0,
    retry: false,
    // What the operator confirms is what was shown: no silent refresh under their eyes.
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/** A job and its progress, read every second while it runs. */
export function bulkJobQuery(id: string) {
  return queryOptions({
    queryKey: bulkJobKeys.detail(id),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/bulk-jobs/{jobID}', { params: { path: { jobID: id } }, signal })).then((r) => r.data),
    refetchInterval: (query) => (isOpen(query.state.data) ? 1000 : false),
  });
}

/** The first rows of the job's report (in order), with one outcome or all; the download has every row. */
export function bulkJobItemsQuery(id: string, outcome: BulkOutcome | undefined, live: boolean) {
  return queryOptions({
    queryKey: bulkJobKeys.items(id, outcome),
    queryFn: ({ signal }) =>
      data(api().console.GET('/api/console/bulk-jobs/{jobID}/items', { params: { path: { jobID: id }, query: { outcome, pageSize: 200 } }, signal })).then(
        (r) => r.cursor,
      ),
    refetchInterval: live ? 1000 : false,
  });
}

/** Every row of the job's report, page after page. */
export async function fetchAllBulkJobItems(id: string): Promise<BulkJobItem[]> {
  const all: BulkJobItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await data(
      api().console.GET('/api/console/bulk-jobs/{jobID}/items', { params: { path: { jobID: id }, query: cursor ? { cursor } : { pageSize: 1000 } } }),
    ).then((r) => r.cursor);
    all.push(...page.data);
    cursor = page.hasMore ? page.next : undefined;
  } while (cursor);
  return all;
}

export function useCreateBulkJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ reason, ...body }: BulkJobRequest & { reason?: string }) =>
      data(api().console.POST('/api/console/bulk-jobs', { body, headers: reasonHeaders(reason) })).then((r) => r.data),
    onSuccess: (job) => qc.setQueryData(bulkJobKeys.detail(job.id), job),
  });
}

export function useStopBulkJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => data(api().console.POST('/api/console/bulk-jobs/{jobID}/stop', { params: { path: { jobID: id } } })).then((r) => r.data),
    meta: { error: 'Could not stop the job' },
    onSuccess: (job) => {
      qc.setQueryData(bulkJobKeys.detail(job.id), job);
      return qc.invalidateQueries({ queryKey: instanceKeys.lists() });
    },
  });
}
