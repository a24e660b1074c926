import { toStoredEvent } from '../store/bus.js';
import type { Queryable } from '../store/db.js';
import type { EventSource, PastEvent } from './backtest.js';

const PAGE = 200;

/**
 * The embedded event log as a backtest's source: events of one type in [from, to), oldest
 * first, at most `limit`, read a page at a time (never the whole range at once).
 */
export async function eventLogSource(db: Queryable, q: { type: string; from: Date; to: Date; limit: number }): Promise<EventSource> {
  const [{ n }] = await db.query<{ n: number | string }>(`select count(*) as n from (select 1 from events where type = $1 and date >= $2 and date < $3 limit $4) x`, [
    q.type,
    q.from,
    q.to,
    q.limit + 1,
  ]);
  const count = Number(n);
  async function* events(): AsyncGenerator<PastEvent> {
    let after = 0;
    let left = q.limit;
    while (left > 0) {
      const rows = await db.query(
        `select seq, app, version, type, payload, date, idempotency_key from events
         where type = $1 and date >= $2 and date < $3 and seq > $4 order by seq limit $5`,
        [q.type, q.from, q.to, after, Math.min(PAGE, left)],
      );
      if (rows.length === 0) return;
      for (const row of rows) {
        const e = toStoredEvent(row);
        yield { seq: e.seq, date: e.date, type: e.type, version: e.version, payload: e.payload };
      }
      after = Number(rows[rows.length - 1].seq);
      left -= rows.length;
    }
  }
  return { events: events(), total: Math.min(count, q.limit), more: count > q.limit };
}
