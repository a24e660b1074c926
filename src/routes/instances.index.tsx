import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { enumParam, int, optionalParam, pageSearch, refreshSeconds, textParam, v } from '../lib/search';
import { consoleInfoQuery } from '../api/info';
import { meQuery } from '../api/access';
import { allTriggersQuery } from '../api/triggers';
import { viewsQuery } from '../api/views';
import { allWorkflowsQuery } from '../api/workflows';
import { rowsWithExtras } from '../lib/loaderData';
import { EXTRA_FILTER_KEYS, hasExtraFilters, instancesListQuery, type InstancesListSearch } from '../features/instances/queries';
import { InstancesList } from '../features/instances/InstancesList';
import { instancesDescription } from '../features/instances/pageHeader';
import { PageHeader } from '../components/Page';
import { PageSkeleton } from '../components/states';
import { DeferredMount } from '../components/DeferredMount';
import { SINCE_KEYS } from '../features/instances/timeRange';

/** An RFC 3339 date; anything else is dropped. */
const dateParam = optionalParam(
  v.pipe(
    v.string(),
    v.check((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s)),
  ),
);

const searchSchema = v.object({
  workflowID: textParam,
  status: enumParam(['all', 'running', 'succeeded', 'failed', 'aborted'], 'all'),
  /** A piece of the instance id. */
  q: textParam,
  origin: enumParam(['all', 'manual', 'trigger'], 'all'),
  /** Started by this trigger. */
  trigger: textParam,
  /** Sliding window ("last hour"); wins over from/to. */
  since: optionalParam(v.picklist(SINCE_KEYS)),
  from: dateParam,
  to: dateParam,
  order: enumParam(['desc', 'asc'], 'desc'),
  /** Running instances waiting for an event, delayed, or retrying. */
  state: optionalParam(v.picklist(['waiting', 'delayed', 'retrying'])),
  // Filters of the overview's links (each figure → exactly its rows), shown as chips.
  stageStartedBefore: dateParam,
  minRetries: optionalParam(int(1)),
  resumesAfter: dateParam,
  reason: textParam,
  endedAfter: dateParam,
  endedBefore: dateParam,
  pendingAsset: textParam,
  pendingSource: textParam,
  /** Search by run variables (`userID = 42 and amount > 1000`). */
  vars: textParam,
  /** Shown columns, comma-separated (`id,status,$userID`); absent → the default ones. */
  cols: textParam,
  /** The saved view shown (its filters are in the other params). */
  view: textParam,
  /** Live refresh in seconds; absent → the remembered choice. */
  refresh: optionalParam(refreshSeconds),
  ...pageSearch,
});

export const Route = createFileRoute('/instances/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15, status: 'all', origin: 'all', order: 'desc' })] },
  loaderDeps: ({ search: s }) =>
    ({
      workflowID: s.workflowID,
      status: s.status,
      state: s.state,
      q: s.q,
      origin: s.origin,
      trigger: s.trigger,
      since: s.since,
      from: s.from,
      to: s.to,
      order: s.order,
      vars: s.vars,
      sort: s.sort,
      ...Object.fromEntries(EXTRA_FILTER_KEYS.map((k) => [k, s[k]])),
      cursor: s.cursor,
      pageSize: s.pageSize,
    }) as InstancesListSearch,
  loader: async ({ context: { queryClient }, deps }) => {
    // The overview's filters show as chips, whose code loads on demand: along with the rows.
    if (hasExtraFilters(deps)) void import('../features/instances/ExtraFilters');
    // The rows come with what they are shown with (workflow and trigger names, roles, saved views).
    // Settled at once: one that fails while the console info is awaited is not an unhandled rejection.
    const extras = Promise.allSettled([
      queryClient.ensureQueryData(meQuery()),
      queryClient.ensureQueryData(viewsQuery('instances')),
      queryClient.ensureQueryData(allWorkflowsQuery()),
      queryClient.ensureQueryData(allTriggersQuery()),
    ]);
    const info = await queryClient.ensureQueryData(consoleInfoQuery()).catch(() => undefined);
    return rowsWithExtras(queryClient.ensureInfiniteQueryData(instancesListQuery(deps, 0, info?.mode !== 'remote')), [extras]);
  },
  // The list renders in a background pass (split into short tasks), its header shown meanwhile.
  component: () => (
    <DeferredMount fallback={<InstancesPending />}>
      <InstancesList />
    </DeferredMount>
  ),
  // Not split from the route tree: the header (the largest text of the first paint) shows at once
  // while the list's code and data load, not after the router's usual 150 ms (nor kept 200 ms: it
  // is the page's own header, the rows simply follow).
  pendingMs: 0,
  pendingMinMs: 0,
  pendingComponent: InstancesPending,
});

/** The page's header as it will read (sorting is named once the columns are known), over a skeleton. */
function InstancesPending() {
  const { order } = Route.useSearch();
  return <PageSkeleton header={<PageHeader title="Instances" description={instancesDescription({ consoleFilters: true, newestFirst: order === 'desc' })} />} />;
}
