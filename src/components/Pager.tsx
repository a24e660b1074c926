import { Button } from './Button';
import { Icon } from './Icon';

export const PAGE_SIZES = [15, 50, 100] as const;

/** Cursor paging (v2 lists): previous / next, page size. Cursors are opaque server tokens. */
export function Pager({
  page,
  count,
  onCursor,
  pageSize,
  onPageSize,
  noun = 'rows',
}: {
  page: { previous?: string; next?: string; hasMore: boolean };
  count: number;
  onCursor: (cursor: string | undefined) => void;
  pageSize: number;
  onPageSize: (size: number) => void;
  noun?: string;
}) {
  return (
    <nav aria-label="Pagination" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-[13px] text-muted">
      <div className="flex items-center gap-2">
        <span>
          {count} {count === 1 ? noun.replace(/s$/, '') : noun} on this page
        </span>
        <label className="ml-2 flex items-center gap-1.5">
          <span>Page size</span>
          <select
            className="h-7 rounded-md border border-line-strong bg-surface px-1.5 text-fg"
            value={pageSize}
            onChange={(e) => onPageSize(Number(e.target.value))}
          >
            {PAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="flex items-center gap-2">
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
