import { decodeCursor as decodeToken, encodeCursor } from '../store/cursor.js';
import { invalid } from './errors.js';

/**
 * The sandbox services' lists (ledger, wallets, payments): offset pages, as upstream's, with
 * cursors that carry the filter they were made with (store/cursor.ts is the codec).
 */

export interface Page<T> {
  data: T[];
  pageSize: number;
  hasMore: boolean;
  next?: string;
  previous?: string;
}

export interface ListOptions {
  pageSize?: number;
  cursor?: string;
  query?: unknown;
  /** transactions: oldest first */
  reverse?: boolean;
}

export function makeCursor(offset: number, pageSize: number, query?: unknown, extra?: Record<string, unknown>): string {
  return encodeCursor({ offset, pageSize, query, ...extra });
}

export function decodeCursor(cursor: string): { offset: number; pageSize: number; query?: unknown; [k: string]: unknown } {
  try {
    const c = decodeToken(cursor) as { offset: number; pageSize: number; query?: unknown; [k: string]: unknown };
    // Only what makeCursor writes: a forged offset or size would reach SQL (found by fuzzing).
    const okInt = (v: unknown, min: number, max: number) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
    if (!okInt(c?.offset, 0, Number.MAX_SAFE_INTEGER) || !okInt(c?.pageSize, 1, 1000)) throw new Error('bad');
    return c;
  } catch {
    throw invalid('invalid cursor');
  }
}

/** Cursor wins over the other filters (but an explicit page size is honoured). */
export function readCursor(opts: ListOptions): { pageSize: number; offset: number } {
  if (opts.cursor) {
    const c = decodeCursor(opts.cursor);
    opts.query = c.query;
    if (typeof c.reverse === 'boolean') opts.reverse = c.reverse;
    return { pageSize: opts.pageSize ?? c.pageSize, offset: c.offset };
  }
  return { pageSize: opts.pageSize ?? 15, offset: 0 };
}

/** One page of `fetch(limit, offset)` rows, with the cursors around it. */
export async function paginate<T>(opts: ListOptions, fetch: (limit: number, offset: number) => Promise<T[]>): Promise<Page<T>> {
  const { pageSize, offset } = readCursor(opts);
  const rows = await fetch(pageSize + 1, offset);
  const hasMore = rows.length > pageSize;
  const page: Page<T> = { data: rows.slice(0, pageSize), pageSize, hasMore };
  if (hasMore) page.next = makeCursor(offset + pageSize, pageSize, opts.query);
  if (offset > 0) page.previous = makeCursor(Math.max(0, offset - pageSize), pageSize, opts.query);
  return page;
}
