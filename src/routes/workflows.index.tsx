import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { pageSearch, textParam } from '../lib/search';
import { workflowsListQuery } from '../features/workflows/queries';
import { WorkflowsList } from '../features/workflows/WorkflowsList';

const searchSchema = z.object({
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
});
