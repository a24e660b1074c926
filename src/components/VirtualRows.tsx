import { useEffect, type ReactNode, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/**
 * The body rows of a long table (DataTable, above its `virtualizeAbove`): only the rows in the
 * scroll box's window, with spacer rows for the rest. Its own module so the virtualizer loads
 * with the first long list, not with every page's first load (lists open at 15 rows).
 */
export function VirtualRows<T>({
  rows,
  scrollRef,
  rowHeight,
  colSpan,
  endReachedRows,
  onEndReached,
  renderRow,
}: {
  rows: readonly T[];
  scrollRef: RefObject<HTMLDivElement | null>;
  rowHeight: number;
  colSpan: number;
  /** `onEndReached` fires when the window comes this close (in rows) to the last row. */
  endReachedRows: number;
  onEndReached?: () => void;
  renderRow: (row: T, index: number) => ReactNode;
}) {
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 4,
    // The box may have been scrolled while this code loaded: start from where it is.
    initialOffset: () => scrollRef.current?.scrollTop ?? 0,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items.length ? items[0]!.start : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  // Only once the box has been scrolled: the first window after a list turns virtual is computed
  // from the box's previous, unbounded height, and would look like the end. (No layout reads here:
  // they would force a reflow in every scrolled frame.)
  const lastVisible = items.length ? items[items.length - 1]!.index : -1;
  const nearEnd = (virtualizer.scrollOffset ?? 0) > 0 && lastVisible >= rows.length - 1 - endReachedRows;
  useEffect(() => {
    if (nearEnd) onEndReached?.();
  }, [nearEnd, rows.length, onEndReached]);

  return (
    <>
      {paddingTop > 0 && (
        <tr aria-hidden="true">
          <td colSpan={colSpan} style={{ height: paddingTop, padding: 0 }} />
        </tr>
      )}
      {items.map((v) => renderRow(rows[v.index]!, v.index))}
      {paddingBottom > 0 && (
        <tr aria-hidden="true">
          <td colSpan={colSpan} style={{ height: paddingBottom, padding: 0 }} />
        </tr>
      )}
    </>
  );
}
