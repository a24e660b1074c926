/** What a saved view holds, compared and applied the same way for every list. */
import type { SavedView, ViewFilters, ViewTimeRange } from '../../api/views';

export interface ViewState {
  /** the list's filters as its URL holds them (absent = the list's default) */
  filters: ViewFilters;
  sort?: string;
  columns?: string[];
  timeRange?: ViewTimeRange;
}

/** Drops empty filters, so two states that show the same rows compare equal. */
export function normalizeState(state: ViewState): ViewState {
  const filters = Object.fromEntries(
    Object.entries(state.filters)
      .filter(([, v]) => v !== undefined && v !== '')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const timeRange = state.timeRange && (state.timeRange.since || state.timeRange.from || state.timeRange.to) ? state.timeRange : undefined;
  return { filters, sort: state.sort || undefined, columns: state.columns?.length ? state.columns : undefined, timeRange };
}

export function stateOfView(view: SavedView): ViewState {
  return normalizeState({ filters: view.filters, sort: view.sort, columns: view.columns, timeRange: view.timeRange });
}

export function sameState(a: ViewState, b: ViewState): boolean {
  return JSON.stringify(normalizeState(a)) === JSON.stringify(normalizeState(b));
}
