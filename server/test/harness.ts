import { configFromEnv, type Config } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import { createTestDatabase } from './database.js';

export { createTestDatabase };

/**
 * Starts a real server on a random port. On PGlite in memory by default; against PostgreSQL
 * (a fresh database per server) when TEST_DATABASE_URL is set, so the same suites run on both.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer & { api: Api }> {
  const base: Record<string, string> = { DATA_DIR: 'memory', PORT: '0', SEED: 'false', QUIET: 'true', ...env };
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.TEST_DATABASE_URL && !env.DATA_DIR && !env.DATABASE_URL) {
    const { url, drop } = await createTestDatabase(process.env.TEST_DATABASE_URL);
    base.DATABASE_URL = url;
    dropDb = drop;
  }
  const config: Config = configFromEnv(base);
  const server = await startServer(config);
  return {
    ...server,
    api: new Api(server.url),
    async close() {
      await server.close();
      await dropDb?.();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  contentType: string | null;
}

/** Tiny HTTP client over real sockets. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, init);
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, contentType: res.headers.get('content-type') };
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** Polls until `check` returns a truthy value (bounded). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
