import { createFileRoute } from '@tanstack/react-router';
import { triggerQuery } from '../api/triggers';
import { TriggerDetail } from '../features/triggers/TriggerDetail';

export const Route = createFileRoute('/triggers/$triggerId')({
  staticData: { crumb: (p) => p.triggerId ?? 'Trigger' },
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(triggerQuery(params.triggerId)),
  component: TriggerDetail,
});
