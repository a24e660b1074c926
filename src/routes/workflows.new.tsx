import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { workflowQuery } from '../api/workflows';
import { enumParam, textParam, v } from '../lib/search';
import { AuthorPage } from '../features/workflows/AuthorPage';

const searchSchema = v.object({
  /** Id of the workflow to duplicate ("Duplicate & edit"). */
  from: textParam,
  view: enumParam(['builder', 'json', 'yaml', 'changes'], 'builder'),
});

export const Route = createFileRoute('/workflows/new')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ view: 'builder' })] },
  staticData: { crumb: 'New workflow' },
  loaderDeps: ({ search: { from } }) => ({ from }),
  loader: ({ context: { queryClient }, deps }) => (deps.from ? queryClient.ensureQueryData(workflowQuery(deps.from)) : undefined),
  component: AuthorPage,
});
