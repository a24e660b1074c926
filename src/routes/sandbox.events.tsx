/**
 * /sandbox/events — the platform event stream (newest first, live) and publishing by hand.
 *   ?type=COMMITTED_TRANSACTIONS[,SAVED_PAYMENT]   only these types
 *   ?before=<seq>                                   older page: events before this sequence number
 *   ?limit=50                                       page size (1..500)
 *   ?refresh=5                                      live refresh in seconds: 0 (off), 1, 5 (default), 30
 *   ?publish=true                                   open the "Publish an event" form (type prefilled from ?type)
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { listEventsQuery } from '../api/events';
import { consoleInfoQuery } from '../api/info';
import { defaultParam, int, optionalParam, refreshSeconds, sortParam, textParam, v } from '../lib/search';
import { EventsPage } from '../features/sandbox/EventsPage';

const searchSchema = v.object({
  type: textParam,
  /** Older page: events before this sequence number. */
  before: optionalParam(int(1)),
  limit: defaultParam(int(1, 500), 50),
  /** A stream is live by default. */
  refresh: defaultParam(refreshSeconds, 5),
  publish: defaultParam(v.boolean(), false),
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
