/** The one storage interface: PGlite (embedded) and PostgreSQL share SQL and migrations. */
export interface Queryable {
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PostgreSQL: the connection pool right now (PGlite has one connection and no pool). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** PGlite on a directory: that directory as a tar, copied while no query or transaction runs (see backup.ts). */
  dumpDataDir?(): Promise<Buffer>;
}

/**
 * JSON parameters are always sent as text and cast with `::jsonb` in SQL, so both drivers agree.
 * BigInts become exact JSON numbers (jsonb keeps their precision).
 */
export function json(value: unknown): string {
  let hasBigInt = false;
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v !== 'bigint') return v;
    hasBigInt = true;
    return `\u0000bigint:${v}`;
  });
  return hasBigInt ? text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1') : text;
}
