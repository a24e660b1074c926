import { createFileRoute } from '@tanstack/react-router';
import { workflowQuery } from '../api/workflows';
import { WorkflowDetail } from '../features/workflows/WorkflowDetail';

export const Route = createFileRoute('/workflows/$workflowId')({
  staticData: { crumb: (p) => p.workflowId ?? 'Workflow' },
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(workflowQuery(params.workflowId)),
  component: WorkflowDetail,
});
