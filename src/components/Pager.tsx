import { Button } from './Button';
import { Icon } from './Icon';
import { formatCount } from '../lib/count';

export const PAGE_SIZES = [15, 50, 100] as const;

/** A page that is not the whole list: a sort made in its table covers only its rows. */
export const isPartialPage = (page: { hasMore: boolean; previous?: string }) => page.hasMore || !!page.previous;

/**
 * Cursor paging (v2 lists): previous / next, page size. Cursors are opaque server tokens. Lists
 * that append pages (`onLoadMore`) also offer "Load more"; `page.next` is then the last loaded
 * page's cursor.
 */
export function Pager({
  page,
  count,
  onCursor,
  pageSize,
  onPageSize,
  noun = 'rows',
  pagesLoaded = 1,
  onLoadMore,
  loadingMore = false,
}: {
  page: { previous?: string; next?: string; hasMore: boolean };
  count: number;
  onCursor: (cursor: string | undefined) => void;
  pageSize: number;
  onPageSize: (size: number) => void;
  noun?: string;
  pagesLoaded?: number;
  onLoadMore?: () => void;
  loadingMore?: boolean;
}) {
  const one = noun.replace(/s$/, '');
  return (
    <nav aria-label="Pagination" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-[13px] text-muted">
      <div className="flex items-center gap-2">
        <span aria-live="polite">
          {formatCount(count)} {count === 1 ? one : noun} {pagesLoaded > 1 ? `loaded (${pagesLoaded} pages)` : 'on this page'}
        </span>
        <label className="ml-2 flex items-center gap-1.5">
          <span>Page size</span>
          <select className="h-7 rounded-md border border-line-strong bg-surface px-1.5 text-fg" value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
            {PAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="flex items-center gap-2">
        {onLoadMore && (
          <Button size="sm" variant="secondary" disabled={loadingMore} onClick={onLoadMore} title={`Append the next ${pageSize} ${noun} below`}>
            {loadingMore ? 'Loading…' : `Load ${pageSize} more`}
          </Button>
        )}
        <Button size="sm" disabled={!page.previous} onClick={() => onCursor(page.previous)}>
          <Icon name="chevronLeft" size={14} /> Previous
        </Button>
        <Button size="sm" disabled={!page.next} onClick={() => onCursor(page.next)}>
          Next <Icon name="chevronRight" size={14} />
        </Button>
      </div>
    </nav>
  );
}
