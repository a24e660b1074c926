import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { OVERVIEW_WINDOWS } from '../api/overview';
import { enumParam } from '../lib/search';
import { OverviewPage } from '../features/overview/OverviewPage';
import { DELAYED_CHOICES, RETRY_CHOICES, WAITING_CHOICES } from '../features/overview/thresholds';

const searchSchema = z.object({
  window: enumParam(OVERVIEW_WINDOWS, '24h'),
  /** runs over time as a chart or a table */
  view: enumParam(['chart', 'table'], 'chart'),
  /** needs attention: waiting longer than, failed attempts at least, delayed beyond */
  waiting: enumParam(WAITING_CHOICES, '1h'),
  retries: z.catch(z._default(z.union([z.literal(RETRY_CHOICES[0]), z.literal(RETRY_CHOICES[1]), z.literal(RETRY_CHOICES[2]), z.literal(RETRY_CHOICES[3])]), 5), 5),
  delayed: enumParam(DELAYED_CHOICES, '7d'),
  /** live refresh in seconds; absent → the remembered choice */
  refresh: z.catch(z.optional(z.union([z.literal(0), z.literal(1), z.literal(5), z.literal(30)])), undefined),
});

/** `/`: the overview (is anything wrong, and where?). */
export const Route = createFileRoute('/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ window: '24h', view: 'chart', waiting: '1h', retries: 5, delayed: '7d' })] },
  component: OverviewPage,
});
