/**
 * /triggers — every trigger (v2 paging, oldest first).
 *   ?name=deposit             case-insensitive part of the name (server-side; in the console
 *                             in remote mode, where upstream's name filter fails)
 *   ?cursor=&pageSize=&sort=  paging; sort applies to the loaded page
 *   ?view=<id>                a saved view (its name filter and sort are in the other params)
 * New: /triggers/new (see triggers.new.tsx); one trigger: /triggers/<id>.
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { consoleInfoQuery } from '../api/info';
import { triggersListQuery } from '../features/triggers/queries';
import { pageSearch, textParam, v } from '../lib/search';
import { TriggersList } from '../features/triggers/TriggersList';

const searchSchema = v.object({
  name: textParam,
  /** The saved view shown (its filters and sort are in the other params). */
  view: textParam,
  ...pageSearch,
});

export const Route = createFileRoute('/triggers/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15 })] },
  loaderDeps: ({ search: { name, cursor, pageSize } }) => ({ name, cursor, pageSize }),
  loader: async ({ context: { queryClient }, deps }) => {
    const info = await queryClient.ensureQueryData(consoleInfoQuery()).catch(() => undefined);
    return queryClient.ensureQueryData(triggersListQuery(deps, info?.mode === 'remote'));
  },
  component: TriggersList,
});
