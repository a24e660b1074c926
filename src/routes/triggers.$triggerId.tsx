/**
 * /triggers/$triggerId — one trigger.
 *   ?tab=overview (default) | occurrences | test | backtest
 *   ?cursor=&pageSize=&sort=   paging and sort of the occurrences tab
 * Links: /triggers/<id>?tab=occurrences lists when it fired and the instances it started.
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { triggerQuery } from '../api/triggers';
import { enumParam, pageSearch, v } from '../lib/search';
import { TriggerDetail } from '../features/triggers/TriggerDetail';

const searchSchema = v.object({
  tab: enumParam(['overview', 'occurrences', 'test', 'backtest'], 'overview'),
  ...pageSearch,
});

export const Route = createFileRoute('/triggers/$triggerId')({
  staticData: { crumb: (p) => p.triggerId ?? 'Trigger' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ tab: 'overview', pageSize: 15 })] },
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(triggerQuery(params.triggerId)),
  component: TriggerDetail,
});
