/** Table sorting shared by every list: `sort=createdAt:desc` in the URL. */

export interface SortState {
  id: string;
  desc: boolean;
}

export function parseSort(value: string | undefined): SortState | undefined {
  if (!value) return undefined;
  const [id, dir] = value.split(':');
  if (!id) return undefined;
  return { id, desc: dir === 'desc' };
}

export function formatSort(sort: SortState | undefined): string | undefined {
  return sort ? `${sort.id}:${sort.desc ? 'desc' : 'asc'}` : undefined;
}

/** Next state when a column header is clicked: asc → desc → none. */
export function nextSort(current: SortState | undefined, id: string): SortState | undefined {
  if (!current || current.id !== id) return { id, desc: false };
  if (!current.desc) return { id, desc: true };
  return undefined;
}

type Sortable = string | number | bigint | boolean | undefined | null;

function compare(a: Sortable, b: Sortable): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1; // blanks last
  if (b === undefined || b === null) return -1;
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A row whose value cannot be read sorts as a blank rather than breaking the list. */
function sortValueOf<T>(value: (row: T) => Sortable, row: T): Sortable {
  try {
    return value(row);
  } catch {
    return undefined;
  }
}

/** Stable sort of rows by one column's value. */
export function sortRows<T>(rows: readonly T[], value: ((row: T) => Sortable) | undefined, desc: boolean): T[] {
  if (!value) return [...rows];
  return rows
    .map((row, index) => ({ row, index, v: sortValueOf(value, row) }))
    .sort((x, y) => {
      const blanks = (x.v === undefined || x.v === null ? 1 : 0) - (y.v === undefined || y.v === null ? 1 : 0);
      if (blanks) return blanks; // blanks last in both directions
      const c = compare(x.v, y.v);
      return (desc ? -c : c) || x.index - y.index;
    })
    .map((x) => x.row);
}
