import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { pageSearch, textParam, v } from '../lib/search';
import { workflowsListQuery } from '../features/workflows/queries';
import { WorkflowsList } from '../features/workflows/WorkflowsList';
import { WORKFLOWS_DESCRIPTION } from '../features/workflows/pageHeader';
import { PageHeader } from '../components/Page';
import { PageSkeleton } from '../components/states';

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
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(workflowsListQuery(deps)),
  component: WorkflowsList,
  // Not split from the route tree: the header (the largest text of the first paint) shows at once
  // while the list's code and data load, not after the router's usual 150 ms (nor kept 200 ms: it
  // is the page's own header, the rows simply follow).
  pendingMs: 0,
  pendingMinMs: 0,
  pendingComponent: () => <PageSkeleton header={<PageHeader title="Workflows" description={WORKFLOWS_DESCRIPTION} />} />,
});
