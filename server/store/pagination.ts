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
  /** rows strictly after this key (forward) */
  after?: PageKey;
  /** rows strictly before this key (backward), or up to it included with `beforeInclusive` */
  before?: PageKey;
  beforeInclusive?: boolean;
  filters: F;
}

/**
 * A row's position: its `seq`, or, for lists sorted by another column, the sort value (as text,
 * so timestamps keep their microseconds; null for blanks) followed by the `seq` that breaks ties.
 */
export type PageKey = number | [value: string | null, seq: number];

interface CursorToken<F> {
  a?: PageKey;
  b?: PageKey;
  /** `b` included (the previous page of an empty page past the end) */
  e?: 1;
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
export function parsePageRequest<F>(query: { cursor?: string; pageSize?: string }, filters: F, checkFilters: (raw: Record<string, unknown>) => F): PageRequest<F> {
  if (query.cursor !== undefined && query.cursor !== '') {
    const token = readToken<Record<string, unknown>>(query.cursor);
    let checked: F;
    try {
      checked = checkFilters(token.f);
    } catch {
      throw validation(`invalid 'cursor' query param`);
    }
    return { pageSize: token.s, after: token.a, before: token.b, beforeInclusive: token.e === 1, filters: checked };
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
    const okSeq = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
    const okKey = (v: unknown) =>
      v === undefined || okSeq(v) || (Array.isArray(v) && v.length === 2 && (v[0] === null || (typeof v[0] === 'string' && v[0].length <= 512)) && okSeq(v[1]));
    if (
      !t ||
      typeof t !== 'object' ||
      !okKey(t.a) ||
      !okKey(t.b) ||
      (t.e !== undefined && t.e !== 1) ||
      !Number.isInteger(t.s) ||
      t.s < 1 ||
      t.s > MAX_PAGE_SIZE ||
      typeof t.f !== 'object' ||
      t.f === null
    ) {
      throw new Error('bad token');
    }
    return t;
  } catch {
    throw validation(`invalid 'cursor' query param`);
  }
}

/** The boundary of one page query: after a key (forward), or before it (backward). */
export interface PageBound {
  after?: PageKey;
  before?: PageKey;
  beforeInclusive?: boolean;
  limit: number;
}

/**
 * Fetches one page: `fetchRows(bound)` returns rows in list order past `after` (forward), or in
 * reverse list order before `before` (backward), at most `limit` of them. `keyOf` gives a row's
 * key (its seq by default).
 */
export async function fetchPage<F, R extends { seq: number }, T>(
  req: PageRequest<F>,
  fetchRows: (q: PageBound) => Promise<R[]>,
  toItem: (row: R) => T,
  keyOf: (row: R) => PageKey = (row) => row.seq,
): Promise<CursorPage<T>> {
  const n = req.pageSize;
  let rows: R[];
  let hasNext: boolean;
  let hasPrev: boolean;
  if (req.before !== undefined) {
    const got = await fetchRows({ before: req.before, beforeInclusive: req.beforeInclusive, limit: n + 1 });
    hasPrev = got.length > n;
    rows = got.slice(0, n).reverse();
    hasNext = true;
  } else {
    const got = await fetchRows({ after: req.after, limit: n + 1 });
    hasNext = got.length > n;
    rows = got.slice(0, n);
    hasPrev = req.after !== undefined && (typeof req.after !== 'number' || req.after > 0);
  }
  const page: CursorPage<T> = { pageSize: n, hasMore: hasNext, data: rows.map(toItem) };
  if (rows.length > 0) {
    if (hasNext) page.next = encodeCursor({ a: keyOf(rows[rows.length - 1]), s: n, f: req.filters });
    if (hasPrev) page.previous = encodeCursor({ b: keyOf(rows[0]), s: n, f: req.filters });
  } else if (req.before !== undefined) {
    page.hasMore = false;
  } else if (hasPrev && req.after !== undefined) {
    // Past the end: the previous page ends with the key we came from, included.
    page.previous = typeof req.after === 'number' ? encodeCursor({ b: req.after + 1, s: n, f: req.filters }) : encodeCursor({ b: req.after, e: 1, s: n, f: req.filters });
  }
  return page;
}

/** The seq of a plain (unsorted) key; a cursor carrying another shape was forged. */
export function seqOf(key: PageKey | undefined): number | undefined {
  if (key === undefined || typeof key === 'number') return key;
  throw validation(`invalid 'cursor' query param`);
}

/** SQL fragment for the seq boundary; appends params. */
export function seqBound(q: { after?: PageKey; before?: PageKey }, params: unknown[], column = 'seq'): { where: string; order: 'asc' | 'desc' } {
  const before = seqOf(q.before);
  const after = seqOf(q.after);
  if (before !== undefined) {
    params.push(before);
    return { where: `${column} < $${params.length}`, order: 'desc' };
  }
  if (after !== undefined) {
    params.push(after);
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

/** A newest-first page (keyset on a descending `seq`): `next` continues with older rows. */
export interface NewestFirstPage<T> {
  pageSize: number;
  hasMore: boolean;
  next?: string;
  data: T[];
}

export interface NewestFirstRequest<F> {
  pageSize: number;
  /** rows strictly before this seq */
  before?: number;
  filters: F;
}

/**
 * The request of a newest-first list: from query params, or from a cursor (which carries the
 * filters, re-checked by `checkFilters` like query params: a forged one must not reach SQL).
 */
export function parseNewestFirstRequest<F>(
  query: { cursor?: string; pageSize?: string },
  filters: F,
  checkFilters: (raw: Record<string, unknown>) => F,
): NewestFirstRequest<F> {
  if (query.cursor === undefined || query.cursor === '') return { pageSize: parsePageSize(query.pageSize), filters };
  try {
    const t = decodeCursor(query.cursor, 4096) as { b?: unknown; s?: unknown; f?: unknown };
    if (!t || typeof t !== 'object' || !Number.isSafeInteger(t.b) || (t.b as number) < 0) throw new Error('bad');
    if (!Number.isInteger(t.s) || (t.s as number) < 1 || (t.s as number) > MAX_PAGE_SIZE) throw new Error('bad');
    if (!t.f || typeof t.f !== 'object' || Array.isArray(t.f)) throw new Error('bad');
    return { pageSize: t.s as number, before: t.b as number, filters: checkFilters(t.f as Record<string, unknown>) };
  } catch {
    throw validation(`invalid 'cursor' query param`);
  }
}

/** One page from rows fetched newest first, `pageSize + 1` of them at most. */
export function newestFirstPage<F, R extends { seq: number }, T>(req: NewestFirstRequest<F>, rows: R[], toItem: (row: R) => T): NewestFirstPage<T> {
  const kept = rows.slice(0, req.pageSize);
  const page: NewestFirstPage<T> = { pageSize: req.pageSize, hasMore: rows.length > req.pageSize, data: kept.map(toItem) };
  if (page.hasMore) page.next = encodeCursor({ b: kept[kept.length - 1]!.seq, s: req.pageSize, f: req.filters });
  return page;
}
