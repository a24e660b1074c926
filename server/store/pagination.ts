import { validation } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export const DEFAULT_PAGE_SIZE = 15;
export const MAX_PAGE_SIZE = 100;

/**
 * Keyset pagination over a monotonic `seq` column, in creation order (stable, documented).
 * The cursor carries the position, the page size and the filters (docs/compatibility.md, lists: when a cursor
 * is given, other query params are ignored); clients must treat it as opaque.
 */
export interface PageRequest<F> {
  pageSize: number;
  /** rows strictly after this seq (forward) */
  after?: number;
  /** rows strictly before this seq (backward) */
  before?: number;
  filters: F;
}

interface CursorToken<F> {
  a?: number;
  b?: number;
  s: number;
  f: F;
}

export interface CursorPage<T> {
  pageSize: number;
  hasMore: boolean;
  previous?: string;
  next?: string;
  data: T[];
}

/**
 * `checkFilters` re-validates the filters carried by a cursor with the same rules as query params
 * (a forged cursor must not reach SQL with unchecked values); it throws on anything else.
 */
export function parsePageRequest<F>(
  query: { cursor?: string; pageSize?: string },
  filters: F,
  checkFilters: (raw: Record<string, unknown>) => F,
): PageRequest<F> {
  if (query.cursor !== undefined && query.cursor !== '') {
    const token = readToken<Record<string, unknown>>(query.cursor);
    let checked: F;
    try {
      checked = checkFilters(token.f);
    } catch {
      throw validation(`invalid 'cursor' query param`);
    }
    return { pageSize: token.s, after: token.a, before: token.b, filters: checked };
  }
  return { pageSize: parsePageSize(query.pageSize), filters };
}

export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(raw)) throw validation(`invalid 'pageSize' query param: expected a non-negative integer, got '${raw.slice(0, 40)}'`);
  const n = Number(raw);
  if (n === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE);
}

function readToken<F>(raw: string): CursorToken<F> {
  try {
    const t = decodeCursor(raw, 4096) as CursorToken<F>;
    const okSeq = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);
    if (!t || typeof t !== 'object' || !okSeq(t.a) || !okSeq(t.b) || !Number.isInteger(t.s) || t.s < 1 || t.s > MAX_PAGE_SIZE || typeof t.f !== 'object' || t.f === null) {
      throw new Error('bad token');
    }
    return t;
  } catch {
    throw validation(`invalid 'cursor' query param`);
  }
}

/**
 * Fetches one page: `fetchRows(direction, boundary, limit)` returns rows ordered by seq in the
 * given direction (asc for forward, desc for backward), at most `limit` of them.
 */
export async function fetchPage<F, R extends { seq: number }, T>(
  req: PageRequest<F>,
  fetchRows: (q: { after?: number; before?: number; limit: number }) => Promise<R[]>,
  toItem: (row: R) => T,
): Promise<CursorPage<T>> {
  const n = req.pageSize;
  let rows: R[];
  let hasNext: boolean;
  let hasPrev: boolean;
  if (req.before !== undefined) {
    const got = await fetchRows({ before: req.before, limit: n + 1 });
    hasPrev = got.length > n;
    rows = got.slice(0, n).reverse();
    hasNext = true;
  } else {
    const got = await fetchRows({ after: req.after, limit: n + 1 });
    hasNext = got.length > n;
    rows = got.slice(0, n);
    hasPrev = req.after !== undefined && req.after > 0;
  }
  const page: CursorPage<T> = { pageSize: n, hasMore: hasNext, data: rows.map(toItem) };
  if (rows.length > 0) {
    if (hasNext) page.next = encodeCursor({ a: rows[rows.length - 1].seq, s: n, f: req.filters });
    if (hasPrev) page.previous = encodeCursor({ b: rows[0].seq, s: n, f: req.filters });
  } else if (req.before !== undefined) {
    page.hasMore = false;
  } else if (hasPrev) {
    page.previous = encodeCursor({ b: (req.after ?? 0) + 1, s: n, f: req.filters });
  }
  return page;
}

/** SQL fragment for the seq boundary; appends params. */
export function seqBound(q: { after?: number; before?: number }, params: unknown[], column = 'seq'): { where: string; order: 'asc' | 'desc' } {
  if (q.before !== undefined) {
    params.push(q.before);
    return { where: `${column} < $${params.length}`, order: 'desc' };
  }
  if (q.after !== undefined) {
    params.push(q.after);
    return { where: `${column} > $${params.length}`, order: 'asc' };
  }
  return { where: 'true', order: 'asc' };
}

/** A cursor filter value that must be a string when present. */
export function optionalString(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`${key}: not a string`);
  return v;
}

/** Only the given keys may appear in a cursor's filters. */
export function onlyKeys(raw: Record<string, unknown>, keys: string[]): void {
  for (const k of Object.keys(raw)) if (!keys.includes(k)) throw new Error(`unexpected filter ${k}`);
}
