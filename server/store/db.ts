import { parseJsonLossless, stringifyJson } from '../../common/json.js';

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
 * BigInts become exact JSON numbers (jsonb keeps their precision), and both drivers read json and
 * jsonb back with `parseJsonColumn`, so they come back exact.
 */
export function json(value: unknown): string {
  return stringifyJson(value);
}

/** json/jsonb column text → value; integers beyond 2^53 come back as bigint, exact. */
export function parseJsonColumn(text: string): unknown {
  return parseJsonLossless(text, BigInt);
}

/** PostgreSQL type ids of json and jsonb, for the drivers' parsers. */
export const JSON_TYPES = [114, 3802] as const;
