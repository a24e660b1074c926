import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { workflowQuery } from '../api/workflows';
import { enumParam, v } from '../lib/search';
import { WorkflowDetail } from '../features/workflows/WorkflowDetail';

const searchSchema = v.object({ definition: enumParam(['json', 'yaml'], 'json') });

export const Route = createFileRoute('/workflows/$workflowId')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ definition: 'json' })] },
  staticData: { crumb: (p) => p.workflowId ?? 'Workflow' },
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(workflowQuery(params.workflowId)),
  component: WorkflowDetail,
});
