import type { SavedView, ViewList } from '../../api/views';
import type { ViewState } from './viewState';

/** The URL params every list with saved views has. */
interface ListSearch {
  view?: string;
  sort?: string;
  cursor?: string;
  pageSize?: number;
}

/**
 * Saved views of a list whose filters are plain text URL params and that has no column chooser
 * (workflows, triggers): the state a view would save, and applying a view to the URL. The
 * instance list maps its richer URL (columns, time range, status defaults) itself.
 */
export function listViews<S extends ListSearch>(list: ViewList, search: S, filterKeys: readonly (keyof S & string)[], navigate: (update: (prev: S) => S) => unknown) {
  const filters = Object.fromEntries(filterKeys.flatMap((k) => (typeof search[k] === 'string' && search[k] !== '' ? [[k, search[k] as string]] : [])));
  const current: ViewState = { filters, sort: search.sort };
  // Applied once on arrival by SavedViews (it need not be stable).
  const onApply = (view: SavedView | undefined) =>
    navigate(
      (prev) =>
        ({
          pageSize: prev.pageSize,
          // Only this list's own filters: a view saved by a newer console may hold others.
          ...(view
            ? { ...Object.fromEntries(Object.entries(view.filters).filter(([k]) => (filterKeys as readonly string[]).includes(k))), view: view.id, sort: view.sort }
            : {}),
        }) as S,
    );
  return { list, current, activeId: search.view, bare: !Object.keys(filters).length && !search.sort, onApply };
}
