import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { listEventsQuery } from '../api/events';
import { refreshParam, sortParam, textParam } from '../lib/search';
import { EventsPage } from '../features/sandbox/EventsPage';

const searchSchema = z.object({
  type: textParam,
  /** Older page: events before this sequence number. */
  before: z.catch(z.optional(z.int().check(z.minimum(1))), undefined),
  limit: z.catch(z._default(z.int().check(z.minimum(1), z.maximum(500)), 50), 50),
  refresh: refreshParam,
  sort: sortParam,
});

export const Route = createFileRoute('/sandbox/events')({
  staticData: { crumb: 'Events' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ limit: 50, refresh: 0 })] },
  loaderDeps: ({ search: { type, before, limit } }) => ({ type, before, limit }),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(listEventsQuery(deps)),
  component: EventsPage,
});
