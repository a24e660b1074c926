export interface TempPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> (trust auth) */
  url: string;
  port: number;
  dir: string;
  bin: string;
  /** Stops the cluster and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}
export function newestVersionFirst(versions: string[]): string[];
export function findPostgresBin(env?: Record<string, string | undefined>): string | null;
export function ensurePostgres(opts?: { maxSeconds?: number }): Promise<{
  ok: boolean;
  bin?: string;
  seconds?: number;
  installed?: boolean;
  message?: string;
}>;
export function startTempPostgres(opts?: {
  database?: string;
  bin?: string;
  port?: number;
  settings?: Record<string, string | number>;
}): Promise<TempPostgres>;
