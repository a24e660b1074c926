import { EventEmitter } from 'node:events';
import { json, type Queryable } from './db.js';

/** A platform event as it travels on the bus (upstream's event envelope). */
export interface PlatformEvent {
  app: string;
  version: string;
  type: string;
  payload: Record<string, unknown>;
  date?: Date;
  idempotencyKey?: string;
}

export interface StoredEvent {
  seq: number;
  app: string;
  version: string;
  type: string;
  payload: Record<string, unknown>;
  date: Date;
  idempotencyKey: string;
}

/** Wire envelope, as consumers (triggers) and the console see it. */
export function envelope(e: StoredEvent) {
  return {
    idempotency_key: e.idempotencyKey,
    date: e.date.toISOString(),
    app: e.app,
    version: e.version,
    type: e.type,
    payload: e.payload,
  };
}

/**
 * Durable bus: publishing is an insert in the caller's transaction (so an event exists iff the
 * change that caused it committed); consumers read the log by sequence number.
 * `published` fires after the caller's commit via `notify()`, to wake consumers without polling.
 */
export class EventBus extends EventEmitter {
  async publish(tx: Queryable, event: PlatformEvent): Promise<number> {
    const [row] = await tx.query<{ seq: number }>(
      `insert into events (app, version, type, payload, date, idempotency_key)
       values ($1, $2, $3, $4::jsonb, $5, $6) returning seq`,
      [event.app, event.version, event.type, json(event.payload), event.date ?? new Date(), event.idempotencyKey ?? ''],
    );
    return Number(row.seq);
  }

  /** Call after the transaction that published has committed. */
  notify(): void {
    this.emit('published');
  }

  async read(db: Queryable, afterSeq: number, limit: number, types?: string[]): Promise<StoredEvent[]> {
    const rows = await db.query<any>(
      `select seq, app, version, type, payload, date, idempotency_key from events
       where seq > $1 ${types ? 'and type = any($3::text[])' : ''} order by seq limit $2`,
      types ? [afterSeq, limit, types] : [afterSeq, limit],
    );
    return rows.map(toStoredEvent);
  }
}

export function toStoredEvent(r: any): StoredEvent {
  return {
    seq: Number(r.seq),
    app: r.app,
    version: r.version,
    type: r.type,
    payload: r.payload,
    date: new Date(r.date),
    idempotencyKey: r.idempotency_key,
  };
}
