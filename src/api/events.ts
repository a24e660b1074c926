import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from './client';
import { liveOptions } from './live';
import { compact, queryString } from './meta';
import type { ConsoleEvent, PublishEventRequest } from './types';

export interface EventListFilter {
  /** Event types, comma-separated (exact). */
  type?: string;
  /** A piece of the type, in any case. */
  typeContains?: string;
  /** Only events older than this sequence number (the next page). */
  before?: number;
  limit?: number;
}

export interface EventPage {
  data: ConsoleEvent[];
  /** `before` value of the next (older) page, when there may be one. */
  nextBefore?: number;
}

export const eventKeys = {
  all: ['events'] as const,
  lists: () => [...eventKeys.all, 'list'] as const,
  list: (filter: EventListFilter) => [...eventKeys.lists(), compact(filter)] as const,
};

/** Recent platform events, newest first (the bus is paged by sequence number). */
export function listEventsQuery(filter: EventListFilter = {}, live: { refetchInterval?: number | false } = {}) {
  const limit = filter.limit ?? 50;
  return queryOptions({
    queryKey: eventKeys.list(filter),
    queryFn: ({ signal }): Promise<EventPage> =>
      data(api().sandbox.GET('/api/console/events', { params: { query: compact({ ...filter, limit }) }, signal })).then((r) => ({
        data: r.data,
        nextBefore: r.data.length === limit ? r.data[r.data.length - 1]!.seq : undefined,
      })),
    ...liveOptions(`/api/console/events${queryString({ ...filter, limit })}`, live.refetchInterval),
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
