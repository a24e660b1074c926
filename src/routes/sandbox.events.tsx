/**
 * /sandbox/events — the platform event stream (newest first, live) and publishing by hand.
 *   ?type=COMMITTED_TRANSACTIONS[,SAVED_PAYMENT]   only these types
 *   ?before=<seq>                                   older page: events before this sequence number
 *   ?limit=50                                       page size (1..500)
 *   ?refresh=5                                      live refresh in seconds: 0 (off), 1, 5 (default), 30
 *   ?publish=true                                   open the "Publish an event" form (type prefilled from ?type)
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { listEventsQuery } from '../api/events';
import { consoleInfoQuery } from '../api/info';
import { sortParam, textParam } from '../lib/search';
import { EventsPage } from '../features/sandbox/EventsPage';

const searchSchema = z.object({
  type: textParam,
  /** Older page: events before this sequence number. */
  before: z.catch(z.optional(z.int().check(z.minimum(1))), undefined),
  limit: z.catch(z._default(z.int().check(z.minimum(1), z.maximum(500)), 50), 50),
  /** A stream is live by default. */
  refresh: z.catch(z._default(z.union([z.literal(0), z.literal(1), z.literal(5), z.literal(30)]), 5), 5),
  publish: z.catch(z._default(z.boolean(), false), false),
  sort: sortParam,
});

export const Route = createFileRoute('/sandbox/events')({
  staticData: { crumb: 'Events' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ limit: 50, refresh: 5, publish: false })] },
  loaderDeps: ({ search: { type, before, limit } }) => ({ typeContains: type, before, limit }),
  loader: async ({ context: { queryClient }, deps }) => {
    // Remote mode has no event stream (the page explains why).
    const info = await queryClient.ensureQueryData(consoleInfoQuery()).catch(() => undefined);
    if (info?.mode !== 'remote') await queryClient.ensureQueryData(listEventsQuery(deps));
  },
  component: EventsPage,
});
