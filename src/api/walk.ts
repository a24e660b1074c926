import type { Page } from './types';

/** What reading a whole v2 list page after page saw. */
export interface ListWalk<T> {
  /** Each row once, in the order first seen. */
  rows: T[];
  /** Rows that came again on a later page (kept once). */
  repeated: number;
  /** The first page read differently at the end: rows may have been skipped or repeated. */
  changed: boolean;
  /** Stopped at the cap: more rows exist. */
  capped: boolean;
}

/** Whether the walk may have missed or doubled rows (the UI says so). */
export const walkUnsure = (w: Pick<ListWalk<unknown>, 'repeated' | 'changed'>) => w.repeated > 0 || w.changed;

/**
 * Reads every page of a v2 list. Upstream Flows (remote mode) sorts none of its lists and pages
 * them by offset, so a row that changes or goes while the pages are read shifts the others: one
 * can come twice and another never. The walk keeps each row once, counts repeats, and re-reads the
 * first page at the end to notice a list that moved under it; when it saw either it reads the
 * list once more and keeps that reading (with what it saw). The embedded service's keyset cursors
 * never trip it.
 */
export async function walkList<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, opts: { cap: number; key: (row: T) => string }): Promise<ListWalk<T>> {
  const once = async (): Promise<ListWalk<T>> => {
    const seen = new Map<string, T>();
    let repeated = 0;
    let first: string | undefined;
    let pages = 0;
    let cursor: string | undefined;
    do {
      const page = await fetchPage(cursor);
      first ??= page.data.map(opts.key).join('\n');
      for (const row of page.data) {
        const k = opts.key(row);
        if (seen.has(k)) repeated++;
        else seen.set(k, row);
      }
      pages++;
      cursor = page.hasMore ? page.next : undefined;
    } while (cursor && seen.size < opts.cap);
    const changed = pages > 1 && (await fetchPage(undefined)).data.map(opts.key).join('\n') !== first;
    return { rows: [...seen.values()], repeated, changed, capped: !!cursor };
  };
  const walk = await once();
  return walkUnsure(walk) ? once() : walk;
}
