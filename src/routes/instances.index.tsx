import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { enumParam, pageSearch, refreshParam, textParam } from '../lib/search';
import { instancesListQuery } from '../features/instances/queries';
import { InstancesList } from '../features/instances/InstancesList';

const searchSchema = z.object({
  workflowID: textParam,
  status: enumParam(['all', 'running', 'succeeded', 'failed', 'aborted'], 'all'),
  refresh: refreshParam,
  ...pageSearch,
});

export const Route = createFileRoute('/instances/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15, status: 'all', refresh: 0 })] },
  loaderDeps: ({ search: { workflowID, status, cursor, pageSize, refresh } }) => ({ workflowID, status, cursor, pageSize, refresh }),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(instancesListQuery(deps)),
  component: InstancesList,
});
