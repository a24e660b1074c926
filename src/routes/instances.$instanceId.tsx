import { createFileRoute } from '@tanstack/react-router';
import { int, optionalParam, v } from '../lib/search';
import { instanceQuery } from '../api/instances';
import { InstanceDetail } from '../features/instances/InstanceDetail';

/** `?stage=n` deep-links to the drill-down of stage n, numbered from 1 as on screen (the API's stage n-1); absent → the current stage. */
const searchSchema = v.object({
  stage: optionalParam(int(1, 100_000)),
});

export const Route = createFileRoute('/instances/$instanceId')({
  staticData: { crumb: (p) => p.instanceId ?? 'Instance' },
  validateSearch: searchSchema,
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(instanceQuery(params.instanceId)),
  component: InstanceDetail,
});
