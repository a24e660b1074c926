import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { OVERVIEW_WINDOWS } from '../api/overview';
import { defaultParam, enumParam, optionalParam, refreshSeconds, v } from '../lib/search';
import { OverviewPage } from '../features/overview/OverviewPage';
import { DELAYED_CHOICES, RETRY_CHOICES, WAITING_CHOICES } from '../features/overview/thresholds';

const searchSchema = v.object({
  window: enumParam(OVERVIEW_WINDOWS, '24h'),
  /** runs over time as a chart or a table */
  view: enumParam(['chart', 'table'], 'chart'),
  /** needs attention: waiting longer than, failed attempts at least, delayed beyond */
  waiting: enumParam(WAITING_CHOICES, '1h'),
  retries: defaultParam(v.picklist(RETRY_CHOICES), 5),
  delayed: enumParam(DELAYED_CHOICES, '7d'),
  /** live refresh in seconds; absent → the remembered choice */
  refresh: optionalParam(refreshSeconds),
});

/** `/`: the overview (is anything wrong, and where?). */
export const Route = createFileRoute('/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ window: '24h', view: 'chart', waiting: '1h', retries: 5, delayed: '7d' })] },
  component: OverviewPage,
});
