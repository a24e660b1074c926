import { lazy, memo, Suspense, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { cn } from '../lib/cn';
import { Contained } from './Contained';
import { nextSort, sortRows, type SortState } from '../lib/sort';
import { Icon } from './Icon';
import { formatCount } from '../lib/count';
import type { VirtualRows as VirtualRowsOf } from './VirtualRows';

export interface Column<T> {
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Makes the column sortable (in the table over its rows, unless the list sorts on the server). */
  sortValue?: (row: T) => string | number | bigint | boolean | undefined | null;
  align?: 'left' | 'right';
  className?: string;
}

const ROW_HEIGHT = 44;
/** `onEndReached` fires when the virtual window comes this close (in rows) to the last row. */
const END_REACHED_ROWS = 20;
/**
 * Rows shown as they are while the virtualizer's code loads (the first time a list grows long):
 * all of a list just grown past `virtualizeAbove`, so a box scrolled meanwhile keeps its place.
 */
const ROWS_BEFORE_VIRTUALIZER = 500;

// The virtualizer (~10 kB on the wire) loads with the first list long enough to need it. Once
// loaded it is rendered as is: `lazy` would show the fallback for a moment each time it mounts.
let virtualRowsLoaded: typeof VirtualRowsOf | undefined;
const loadVirtualRows = () => import('./VirtualRows').then((m) => (virtualRowsLoaded = m.VirtualRows));
const VirtualRowsLazy = lazy(() => loadVirtualRows().then((c) => ({ default: c }))) as unknown as typeof VirtualRowsOf;

interface RowProps<T> {
  row: T;
  index: number;
  columns: Column<T>[];
  virtual: boolean;
  className: string | undefined;
}

/** A cell rendered as its own component, so a cell function that throws is caught by its boundary. */
function Cell<T>({ column, row }: { column: Column<T>; row: T }) {
  return <>{column.cell(row)}</>;
}

/** One body row; memoized so scrolling renders only the rows that enter the window. */
const Row = memo(function Row<T>({ row, index, columns, virtual, className }: RowProps<T>) {
  return (
    <tr
      aria-rowindex={virtual ? index + 2 : undefined}
      className={cn('border-b border-line last:border-0 hover:bg-hover/60', className)}
      style={virtual ? { height: ROW_HEIGHT } : undefined}
    >
      {columns.map((c) => (
        <td key={c.id} className={cn('px-4 py-2.5 align-middle', c.align === 'right' && 'text-right', c.className)}>
          {/* One row that cannot be shown is an error cell, never the whole list. */}
          <Contained label={typeof c.header === 'string' ? c.header : c.id} resetKey={row}>
            <Cell column={c} row={row} />
          </Contained>
        </td>
      ))}
    </tr>
  );
}) as <T>(props: RowProps<T>) => ReactNode;

/**
 * The console's table: sortable headers (state owned by the caller, usually the URL), sticky
 * header, and row virtualization for long lists so 10,000 rows stay smooth. Lists that load more
 * rows on demand pass `onEndReached`: it fires when a virtualized table is scrolled near its end.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  sort,
  onSortChange,
  empty,
  virtualizeAbove = 80,
  maxHeight = 'calc(100vh - 260px)',
  rowClassName,
  onEndReached,
  sortOn = 'rows',
  partial = false,
  sortScopeNote,
}: {
  label: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  sort?: SortState;
  onSortChange?: (sort: SortState | undefined) => void;
  empty?: ReactNode;
  virtualizeAbove?: number;
  maxHeight?: string;
  rowClassName?: (row: T) => string | undefined;
  onEndReached?: () => void;
  /** `server`: rows arrive sorted by `sort` (headers show and change it); `rows`: sorted here. */
  sortOn?: 'server' | 'rows';
  /** The rows are part of a longer list (pages): a sort made here then says it covers only them. */
  partial?: boolean;
  /** Why only the loaded rows are sorted (shown after "Sorted within the N loaded rows"). */
  sortScopeNote?: string;
}) {
  const sorted = useMemo(() => {
    if (!sort || sortOn === 'server') return rows;
    const column = columns.find((c) => c.id === sort.id);
    return column?.sortValue ? sortRows(rows, column.sortValue, sort.desc) : rows;
  }, [rows, columns, sort, sortOn]);
  const sortColumn = sort && columns.find((c) => c.id === sort.id && c.sortValue);
  const sortedHereOnly = !!sortColumn && sortOn === 'rows' && partial;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = sorted.length > virtualizeAbove;
  // Only a long list mounts the virtualizer (VirtualRows): a short one never measures its box, a
  // forced layout of the whole page inside the list's first render (~120 ms of a phone's first load).
  // Half way there, fetch the virtualizer's code, so the list is virtualized at once when it grows.
  const nearlyVirtual = sorted.length > virtualizeAbove / 2;
  useEffect(() => {
    if (nearlyVirtual) void loadVirtualRows();
  }, [nearlyVirtual]);
  const VirtualRows = virtualRowsLoaded ?? VirtualRowsLazy;
  const renderRow = (row: T, index: number) => <Row key={rowKey(row)} row={row} index={index} columns={columns} virtual={virtual} className={rowClassName?.(row)} />;

  return (
    <>
      {sortedHereOnly && (
        <p className="mb-1.5 text-xs text-amber-800 dark:text-amber-300" data-testid="sort-scope" role="note">
          Sorted within the {formatCount(rows.length)} loaded rows{sortScopeNote ? `: ${sortScopeNote}` : ': rows on other pages are not included'}.
        </p>
      )}
      <div className="overflow-hidden rounded-xl border border-line bg-surface shadow-[0_1px_2px_rgba(16,24,40,0.04)]">
        <div ref={scrollRef} className="overflow-auto" style={virtual ? { maxHeight } : undefined}>
          <table className="w-full border-collapse text-left text-[13px]" aria-rowcount={virtual ? sorted.length + 1 : undefined}>
            <caption className="sr-only">{label}</caption>
            <thead className="sticky top-0 z-10 bg-subtle">
              <tr>
                {columns.map((c) => {
                  const active = sort?.id === c.id;
                  return (
                    <th
                      key={c.id}
                      scope="col"
                      aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : c.sortValue ? 'none' : undefined}
                      className={cn(
                        'border-b border-line px-4 py-2.5 text-xs font-medium tracking-wide text-muted uppercase',
                        c.align === 'right' && 'text-right',
                        c.className,
                      )}
                    >
                      {c.sortValue && onSortChange ? (
                        <button
                          type="button"
                          className={cn('inline-flex items-center gap-1 uppercase hover:text-fg', active && 'text-fg')}
                          onClick={() => onSortChange(nextSort(sort, c.id))}
                        >
                          {c.header}
                          <Icon name={active ? (sort!.desc ? 'arrowDown' : 'arrowUp') : 'sort'} size={12} className={active ? '' : 'opacity-50'} />
                        </button>
                      ) : (
                        c.header
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {virtual ? (
                <Suspense fallback={sorted.slice(0, ROWS_BEFORE_VIRTUALIZER).map(renderRow)}>
                  <VirtualRows
                    rows={sorted}
                    scrollRef={scrollRef}
                    rowHeight={ROW_HEIGHT}
                    colSpan={columns.length}
                    endReachedRows={END_REACHED_ROWS}
                    onEndReached={onEndReached}
                    renderRow={renderRow}
                  />
                </Suspense>
              ) : (
                sorted.map(renderRow)
              )}
            </tbody>
          </table>
          {sorted.length === 0 && empty}
        </div>
      </div>
    </>
  );
}
