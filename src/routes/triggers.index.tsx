/**
 * /triggers — every trigger (v2 paging, oldest first).
 *   ?name=deposit             server-side, case-insensitive part of the name
 *   ?cursor=&pageSize=&sort=  paging; sort applies to the loaded page
 * New: /triggers/new (see triggers.new.tsx); one trigger: /triggers/<id>.
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { listTriggersQuery } from '../api/triggers';
import { pageSearch, textParam } from '../lib/search';
import { TriggersList } from '../features/triggers/TriggersList';

const searchSchema = z.object({ name: textParam, ...pageSearch });

export const Route = createFileRoute('/triggers/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15 })] },
  loaderDeps: ({ search: { name, cursor, pageSize } }) => ({ name, cursor, pageSize }),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(listTriggersQuery(deps)),
  component: TriggersList,
});
