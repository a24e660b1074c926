import type { Db, Queryable } from './db.js';

interface Pending<T> {
  item: T;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit of small inserts (the audit log's): an item waits for the batch being written,
 * then goes with the next one, in one transaction; each caller resolves once its own item is
 * committed. Concurrent requests cost one transaction per batch rather than one each. One bad
 * item does not fail the others: a failed batch is written again one item at a time.
 *
 * `singleStatement`: `write` issues one statement, atomic on its own, so it runs without a
 * transaction around it (saving the `begin` and `commit` round trips).
 */
export class BatchWriter<T> {
  private pending: Pending<T>[] = [];
  private flushing = 0;
  private flushScheduled = false;

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly write: (tx: Queryable, items: T[]) => Promise<void>,
    private readonly opts: { maxBatch?: number; singleStatement?: boolean } = {},
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // After the event loop turns: everything queued meanwhile goes in the same batch.
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    });
  }

  private async flush(): Promise<void> {
    let db: Db;
    try {
      db = await this.db();
    } catch (err) {
      for (const p of this.pending.splice(0)) p.reject(err);
      return;
    }
    // PGlite has one connection: one batch at a time; PostgreSQL may write a few side by side.
    const maxBatches = db.kind === 'pglite' ? 1 : 4;
    while (this.flushing < maxBatches && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.opts.maxBatch ?? 256);
      this.flushing++;
      void this.writeBatch(db, batch).finally(() => {
        this.flushing--;
        void this.flush();
      });
    }
  }

  private commit(db: Db, items: T[]): Promise<void> {
    return this.opts.singleStatement ? this.write(db, items) : db.transaction((tx) => this.write(tx, items));
  }

  private async writeBatch(db: Db, batch: Pending<T>[]): Promise<void> {
    try {
      await this.commit(
        db,
        batch.map((p) => p.item),
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const p of batch) {
        try {
          await this.commit(db, [p.item]);
          p.resolve();
        } catch (e) {
          p.reject(e);
        }
      }
    }
  }
}
