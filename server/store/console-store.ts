import type { Db } from './db.js';
import { openStore, type StoreOptions } from './open.js';

/**
 * Where the console keeps tables of its own (saved views, an audit log, …), in both modes. In
 * embedded mode it is the service's store. In remote mode the server has no store of its own
 * until a feature asks for one: the first `db()` opens PGlite under DATA_DIR, or DATABASE_URL,
 * with the same migrations; a remote server whose features never ask opens nothing.
 */
export interface ConsoleStore {
  db(): Promise<Db>;
  /** Closes what this store opened (the shared store is closed by its owner). */
  close(): Promise<void>;
  /** Whether `db()` has been asked for (background work waits until then rather than open it); absent: always. */
  isOpen?(): boolean;
}

/** Embedded mode: the service's own store. */
export function sharedConsoleStore(db: Db): ConsoleStore {
  return { db: async () => db, close: async () => {} };
}

/** Remote mode: opened on first use, once; closed at shutdown if it was opened. */
export function lazyConsoleStore(opts: StoreOptions, open: (opts: StoreOptions) => Promise<{ db: Db }> = openStore): ConsoleStore {
  let opening: Promise<Db> | undefined;
  let closed = false;
  return {
    db() {
      if (closed) return Promise.reject(new Error('the console store is closed (the server is shutting down)'));
      opening ??= open(opts).then((s) => s.db);
      return opening;
    },
    isOpen: () => opening !== undefined && !closed,
    async close() {
      closed = true;
      const db = await opening?.catch(() => undefined);
      await db?.close();
    },
  };
}
