import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { pageSearch, textParam, v } from '../lib/search';
import { workflowsListQuery } from '../features/workflows/queries';
import { meQuery } from '../api/access';
import { requiringApprovalQuery } from '../api/approvals';
import { viewsQuery } from '../api/views';
import { rowsWithExtras } from '../lib/loaderData';
import { WorkflowsList } from '../features/workflows/WorkflowsList';
import { WORKFLOWS_DESCRIPTION } from '../features/workflows/pageHeader';
import { PageHeader } from '../components/Page';
import { PageSkeleton } from '../components/states';
import { DeferredMount } from '../components/DeferredMount';

const searchSchema = v.object({
  q: textParam,
  /** The saved view shown (its filters and sort are in the other params). */
  view: textParam,
  ...pageSearch,
});

export const Route = createFileRoute('/workflows/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15 })] },
  loaderDeps: ({ search: { q, sort, cursor, pageSize } }) => ({ q, sort, cursor, pageSize }),
  // The rows come with what they are shown with (roles, saved views, approval badges): one render.
  loader: ({ context: { queryClient }, deps }) =>
    rowsWithExtras(queryClient.ensureQueryData(workflowsListQuery(deps)), [
      queryClient.ensureQueryData(meQuery()),
      queryClient.ensureQueryData(viewsQuery('workflows')),
      queryClient.ensureQueryData(requiringApprovalQuery()),
    ]),
  // The list renders in a background pass (split into short tasks), its header shown meanwhile.
  component: () => (
    <DeferredMount fallback={<WorkflowsPending />}>
      <WorkflowsList />
    </DeferredMount>
  ),
  // Not split from the route tree: the header (the largest text of the first paint) shows at once
  // while the list's code and data load, not after the router's usual 150 ms (nor kept 200 ms: it
  // is the page's own header, the rows simply follow).
  pendingMs: 0,
  pendingMinMs: 0,
  pendingComponent: () => <WorkflowsPending />,
});

function WorkflowsPending() {
  return <PageSkeleton header={<PageHeader title="Workflows" description={WORKFLOWS_DESCRIPTION} />} />;
}
