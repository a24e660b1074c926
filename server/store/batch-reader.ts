import type { Db } from './db.js';

interface Waiting<K, V> {
  key: K;
  resolve(value: V): void;
  reject(err: unknown): void;
}

/**
 * Group read: lookups asked for while the event loop turns are answered by one statement
 * (`read` gets every key of the batch and returns one value per key, in order). A read that is
 * asked for waits for the next batch, never for one already sent, so it sees everything
 * committed before it was asked. A failed statement fails every lookup of its batch.
 *
 * The write-side counterpart is batch-writer.ts; this is for checks made on every request
 * (a run's approval rules) that would otherwise cost a statement each.
 */
export class BatchReader<K, V> {
  private waiting: Waiting<K, V>[] = [];
  private scheduled = false;

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly read: (db: Db, keys: K[]) => Promise<V[]>,
    private readonly maxBatch = 256,
  ) {}

  get(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the event loop turns: every lookup asked for meanwhile goes in the same statement.
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    });
  }

  private flush(): void {
    const all = this.waiting.splice(0);
    for (let i = 0; i < all.length; i += this.maxBatch) void this.readBatch(all.slice(i, i + this.maxBatch));
  }

  private async readBatch(batch: Waiting<K, V>[]): Promise<void> {
    try {
      const values = await this.read(
        await this.db(),
        batch.map((w) => w.key),
      );
      batch.forEach((w, i) => w.resolve(values[i]!));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
