import { createFileRoute } from '@tanstack/react-router';
import { instanceQuery } from '../api/instances';
import { InstanceDetail } from '../features/instances/InstanceDetail';

export const Route = createFileRoute('/instances/$instanceId')({
  staticData: { crumb: (p) => p.instanceId ?? 'Instance' },
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(instanceQuery(params.instanceId)),
  component: InstanceDetail,
});
