import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';
import { Pool } from 'undici';
import type { Queryable } from '../store/db.js';

/**
 * Shared pieces of the reliability suites (crash, fuzz, load, shutdown): a raw HTTP client that
 * sends any bytes with any headers, row counts of every table, latency figures, a seeded PRNG.
 */

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** milliseconds from sending to the end of the body */
  ms: number;
}

export interface RawSend {
  method: string;
  /** path + query, already encoded (sent byte for byte) */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** send the body with Transfer-Encoding: chunked (no Content-Length) */
  chunked?: boolean;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP/1.1 request to `baseUrl` (127.0.0.1 only); rejects on a socket error or after `timeoutMs`. */
export function send(baseUrl: string, req: RawSend, timeoutMs = 30_000): Promise<RawReply> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined && !req.chunked) headers['content-length'] = String(body.length);
  // explicit: Node's client does not chunk GET/HEAD bodies by itself
  if (body !== undefined && req.chunked) headers['transfer-encoding'] = 'chunked';
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const r = request({ hostname: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: keepAlive, timeout: timeoutMs }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms: ${req.method} ${req.path.slice(0, 200)}`)));
    r.on('error', reject);
    if (body !== undefined && req.chunked) {
      // a few chunks, then the end
      const step = Math.max(1, Math.ceil(body.length / 4));
      for (let i = 0; i < body.length; i += step) r.write(body.subarray(i, i + step));
      r.end();
    } else r.end(body);
  });
}

/**
 * A client that keeps its connections alive and sends each request on an idle one, as Node's
 * `fetch`, the SDKs and browsers do (an undici pool, the one behind `fetch`). A connection the
 * server closes under a request rejects it (`UND_ERR_SOCKET`, "other side closed"): callers
 * count that as a failure, not as a retry. `connections` counts the connections opened.
 */
export class KeepAliveClient {
  private readonly pool: Pool;
  connections = 0;

  constructor(baseUrl: string) {
    this.pool = new Pool(new URL(baseUrl).origin, { connections: 8 });
    this.pool.on('connect', () => this.connections++);
  }

  async send(req: RawSend, timeoutMs = 30_000): Promise<RawReply> {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const t0 = performance.now();
    const res = await this.pool.request({
      method: req.method as 'GET',
      path: req.path,
      headers: req.headers,
      // a body without a length (an iterable) is sent chunked: a few chunks, then the end
      body: body !== undefined && req.chunked ? Readable.from(chunks(body, 4)) : body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, body: bytes, ms: performance.now() - t0 };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function* chunks(body: Buffer, n: number) {
  const step = Math.max(1, Math.ceil(body.length / n));
  for (let i = 0; i < body.length; i += step) yield body.subarray(i, i + step);
}

/** JSON of a reply, or undefined when it is not JSON. */
export function replyJson(reply: RawReply): any {
  try {
    return JSON.parse(reply.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const countQueries = new WeakMap<Queryable, { sql: string; tables: string[] }>();

/** Row count of every table of the public schema, in one query. */
const AUDIT_TABLES = new Set(['audit_entries', 'audit_outcomes', 'overview_deltas', 'overview_stats', 'overview_folds']);

export async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  let q = countQueries.get(db);
  if (!q) {
    // Left out: the audit log records refused requests on purpose (who tried what), and the
    // overview's rollups are folded in the background whenever they are; neither is stored by a refusal.
    const tables = (
      await db.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)
    )
      .map((t) => t.name)
      .filter((name) => !AUDIT_TABLES.has(name));
    q = { tables, sql: `select ${tables.map((t, i) => `(select count(*) from "${t}")::int as c${i}`).join(', ')}` };
    countQueries.set(db, q);
  }
  const [row] = await db.query<Record<string, number>>(q.sql);
  return Object.fromEntries(q.tables.map((t, i) => [t, Number(row[`c${i}`])]));
}

/** Tables whose counts differ, as `table: before → after`. */
export function countDiff(before: Record<string, number>, after: Record<string, number>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).map((n) => `${n}: ${before[n]} → ${after[n]}`);
}

/**
 * Waits until the background has settled after an accepted write: no task due or leased (the
 * engine is idle), the trigger dispatcher has read every event, no bulk job is acting, and the
 * counts stay put.
 */
export async function waitQuiet(db: Queryable): Promise<Record<string, number>> {
  const busy = async () => {
    const [r] = await db.query<{ tasks: number; behind: boolean; bulk: boolean }>(
      `select (select count(*) from tasks where run_at <= now() or lease_owner is not null)::int as tasks,
              coalesce((select max(seq) from events), 0) > coalesce((select seq from consumer_offsets where name = 'triggers'), 0) as behind,
              exists (select 1 from console_bulk_jobs where finished_at is null and stopped_at is null) as bulk`,
    );
    return r.tasks > 0 || r.behind || r.bulk;
  };
  let last = await rowCounts(db);
  let stable = 0;
  for (let i = 0; i < 1000 && stable < 2; i++) {
    await sleep(10);
    const now = await rowCounts(db);
    stable = countDiff(last, now).length === 0 && !(await busy()) ? stable + 1 : 0;
    last = now;
  }
  return last;
}

/** Percentile (0–100) of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Small deterministic PRNG (mulberry32): a printed seed reproduces a run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** integer in [min, max] */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

/** Seed from RELIABILITY_SEED, else random; printed by the suites so a failure can be replayed. */
export function seedFromEnv(): number {
  const s = process.env.RELIABILITY_SEED;
  return s ? Number(s) : Math.floor(Math.random() * 2 ** 31);
}

/** A positive number from the environment (soak sizes), else `fallback`. */
export function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
