/** Query choices of the triggers list, shared by its route loader and component. */
import { queryOptions } from '@tanstack/react-query';
import { fetchAllTriggers, fetchTriggersPage, triggerKeys } from '../../api/triggers';
import type { Page, Trigger } from '../../api/types';
import type { ListWalk } from '../../api/walk';

export interface TriggersListSearch {
  name?: string;
  cursor?: string;
  pageSize: number;
}

/** A case-insensitive part of the name, as the embedded server matches it. */
export function nameMatches(trigger: Trigger, part: string): boolean {
  return (trigger.name ?? '').toLowerCase().includes(part.toLowerCase());
}

/**
 * One page of the list. The name search runs on the embedded server; upstream Flows (remote mode)
 * answers its own `name` filter with a 500, so there the console filters every trigger itself and
 * shows the matches as one page.
 */
export function triggersListQuery(search: TriggersListSearch, remote = false) {
  const filter = { name: search.name, cursor: search.cursor, pageSize: search.pageSize };
  const name = remote ? search.name : undefined;
  return queryOptions<TriggersPage, Error, TriggersPage, readonly unknown[]>({
    queryKey: name ? [...triggerKeys.list({ name }), 'in-console'] : triggerKeys.list(filter),
    queryFn: async ({ signal }) => {
      if (!name) return fetchTriggersPage(filter, signal);
      const walk = await fetchAllTriggers(signal);
      const data = walk.rows.filter((t) => nameMatches(t, name));
      return { pageSize: data.length, hasMore: false, data, walk };
    },
  });
}

/** A page of triggers; a search run in the console also says what reading every trigger saw. */
export type TriggersPage = Page<Trigger> & { walk?: Omit<ListWalk<Trigger>, 'rows'> };
