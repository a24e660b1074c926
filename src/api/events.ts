import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from './client';
import { compact } from './meta';
import type { ConsoleEvent, Page, PageParams, PublishEventRequest } from './types';

export interface EventListFilter extends PageParams {
  type?: string;
}

export const eventKeys = {
  all: ['events'] as const,
  lists: () => [...eventKeys.all, 'list'] as const,
  list: (filter: EventListFilter) => [...eventKeys.lists(), compact(filter)] as const,
};

/** Recent platform events, newest first. */
export function listEventsQuery(filter: EventListFilter = {}, live: { refetchInterval?: number | false } = {}) {
  return queryOptions({
    queryKey: eventKeys.list(filter),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/console/events', { params: { query: compact(filter) }, signal })).then(
        (r) => r.cursor as Page<ConsoleEvent>,
      ),
    ...live,
  });
}

export function usePublishEvent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PublishEventRequest) => data(api().sandbox.POST('/api/console/events', { body })).then((r) => r.data),
    meta: { success: 'Event published', error: 'Could not publish the event' },
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: eventKeys.lists() }),
        // A published event may fire triggers, which start instances.
        qc.invalidateQueries({ queryKey: ['instances'] }),
        qc.invalidateQueries({ queryKey: ['triggers'] }),
      ]),
  });
}
