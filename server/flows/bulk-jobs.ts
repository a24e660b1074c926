import { randomUUID } from 'node:crypto';
import { parseRfc3339 } from '../../common/rfc3339.js';
import { ApiError, notFound, validation } from '../errors.js';
import type { ConsoleStore } from '../store/console-store.js';
import { decodeCursor, encodeCursor } from '../store/cursor.js';
import { json, type Db } from '../store/db.js';
import type { InstanceSource } from './instance-source.js';

/**
 * An action on every instance of a list filter, not only the rows a page has loaded (abort,
 * today). A preview says how many instances it would act on and shows some. Once started, the
 * job fixes its instances (those matching, still running, started no later than the preview)
 * in the console's own store, then acts on them one by one in the background, recording each
 * outcome: done, skipped (finished meanwhile) or failed (and why). Progress and the row-by-row
 * report are read from the store; a job interrupted by a restart resumes where it stopped. Every
 * write of jobs goes through this module.
 */

export const BULK_ACTIONS = ['abort'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const ITEM_OUTCOMES = ['pending', 'done', 'skipped', 'failed'] as const;
type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

export interface BulkJob {
  id: string;
  action: BulkAction;
  filters: Record<string, string>;
  state: 'collecting' | 'running' | 'finished' | 'stopped';
  total: number;
  done: number;
  skipped: number;
  failed: number;
  pending: number;
  createdAt: string;
  finishedAt?: string;
  stoppedAt?: string;
  /** why the job stopped by itself (the stack unreachable while listing, say) */
  error?: string;
}

export interface BulkItem {
  position: number;
  instanceID: string;
  outcome: ItemOutcome;
  message?: string;
  at?: string;
}

/** The list filters of a mode, parsed from query parameters (400 for what the mode cannot honour). */
export type FilterParser<F> = (q: (name: string) => string | undefined) => F;

/** Only running instances can be aborted: the job's filter is the list's, running. */
type Runnable<F> = F & { running?: boolean };

const SAMPLE = 10;
const ENDED_SINCE = 'already finished: it ended between the preview and the start of the job';
const ITEMS_PAGE = 100;
const MAX_ITEMS_PAGE = 1000;
/** Instances acted on at once (each one is a round trip to the engine or the stack). */
const CONCURRENCY = 4;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class BulkJobs<F> {
  private readonly running = new Map<string, Promise<void>>();
  private resumed?: Promise<void>;
  private closed = false;

  constructor(
    private readonly store: ConsoleStore,
    private readonly source: InstanceSource<Runnable<F>>,
    private readonly parseFilters: FilterParser<F>,
  ) {}

  private checkRequest(body: unknown): { action: BulkAction; filters: Record<string, string>; parsed: Runnable<F>; upTo?: string } {
    if (!isObject(body)) throw validation('request body: expected {action, filters, upTo?}');
    const extra = Object.keys(body).find((k) => !['action', 'filters', 'upTo'].includes(k));
    if (extra !== undefined) throw validation(`${extra.slice(0, 40)}: unknown field (action, filters, upTo)`);
    if (!(BULK_ACTIONS as readonly unknown[]).includes(body.action))
      throw validation(`action: expected one of ${BULK_ACTIONS.join(', ')}, got ${JSON.stringify(body.action)?.slice(0, 40) ?? 'nothing'}`);
    if (!isObject(body.filters)) throw validation('filters: expected an object of the list filters (query parameters of GET /api/orchestration/v2/instances)');
    const filters: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.filters)) {
      if (typeof v !== 'string') throw validation(`filters.${k.slice(0, 40)}: expected a string`);
      if (v !== '') filters[k] = v;
    }
    let parsed: F;
    try {
      parsed = this.parseFilters((name) => filters[name]);
    } catch (err) {
      // The parser names query parameters; here they are fields of `filters`.
      if (err instanceof ApiError) throw validation(err.message.replace(/^invalid '([^']+)' query param: /, 'filters.$1: '));
      throw err;
    }
    let upTo: string | undefined;
    if (body.upTo !== undefined) {
      const d = typeof body.upTo === 'string' ? parseRfc3339(body.upTo) : null;
      if (!d) throw validation(`upTo: expected an RFC 3339 date, got ${JSON.stringify(body.upTo)?.slice(0, 40)}`);
      upTo = d.toISOString();
    }
    return { action: body.action as BulkAction, filters, parsed: { ...parsed, running: true }, upTo };
  }

  async preview(body: unknown) {
    const { action, parsed } = this.checkRequest(body);
    const upTo = new Date().toISOString();
    const { count, exact } = await this.source.count(parsed, { upTo });
    const sample: unknown[] = [];
    for await (const batch of this.source.batches(parsed, { upTo, size: SAMPLE })) {
      sample.push(...batch.slice(0, SAMPLE - sample.length));
      if (sample.length >= SAMPLE) break;
    }
    const all = this.source.mode === 'embedded' ? await this.source.count({ ...parsed, running: undefined }, { upTo }) : undefined;
    return {
      action,
      count,
      exact,
      ...(all ? { matching: all.count } : {}),
      sample,
      upTo,
      ...(exact ? {} : { note: `The stack was read up to ${count.toLocaleString('en-US')} running instances; the job acts on every one it lists.` }),
    };
  }

  async create(body: unknown): Promise<BulkJob> {
    const req = this.checkRequest(body);
    const db = await this.db();
    const id = randomUUID();
    const now = new Date();
    await db.query(`insert into console_bulk_jobs (id, action, filters, up_to, created_at) values ($1, $2, $3::jsonb, $4, $5)`, [
      id,
      req.action,
      json(req.filters),
      req.upTo ?? now.toISOString(),
      now,
    ]);
    this.start(id);
    return this.get(id);
  }

  async list(): Promise<BulkJob[]> {
    await this.resume();
    const db = await this.db();
    const rows = await db.query(`${JOB_SELECT} order by j.created_at desc, j.id limit 20`);
    return rows.map(toJob);
  }

  async get(id: string): Promise<BulkJob> {
    await this.resume();
    const db = await this.db();
    const [row] = await db.query(`${JOB_SELECT} where j.id = $1`, [id]);
    if (!row) throw notFound(`no bulk job with id ${id.slice(0, 80)}`);
    return toJob(row);
  }

  async items(id: string, q: { outcome?: string; cursor?: string; pageSize?: string }) {
    await this.get(id);
    if (q.outcome !== undefined && !(ITEM_OUTCOMES as readonly string[]).includes(q.outcome)) {
      throw validation(`invalid 'outcome' query param: expected one of ${ITEM_OUTCOMES.join(', ')}, got '${q.outcome.slice(0, 40)}'`);
    }
    let after = -1;
    let outcome = q.outcome as ItemOutcome | undefined;
    let pageSize = ITEMS_PAGE;
    if (q.cursor) {
      let token: { a: number; o?: ItemOutcome; s: number } | undefined;
      try {
        token = decodeCursor(q.cursor) as typeof token;
      } catch {
        token = undefined;
      }
      const valid =
        isObject(token) &&
        Number.isSafeInteger(token.a) &&
        Number.isSafeInteger(token.s) &&
        token.s >= 1 &&
        token.s <= MAX_ITEMS_PAGE &&
        (token.o === undefined || ITEM_OUTCOMES.includes(token.o));
      if (!valid || !token) throw validation(`invalid 'cursor' query param`);
      ({ a: after, o: outcome, s: pageSize } = token);
    } else if (q.pageSize !== undefined) {
      if (!/^\d{1,4}$/.test(q.pageSize) || Number(q.pageSize) < 1)
        throw validation(`invalid 'pageSize' query param: expected a whole number from 1 to ${MAX_ITEMS_PAGE}`);
      pageSize = Math.min(Number(q.pageSize), MAX_ITEMS_PAGE);
    }
    const db = await this.db();
    const params: unknown[] = [id, after, pageSize + 1];
    const where = outcome === 'pending' ? 'and outcome is null' : outcome ? `and outcome = $4` : '';
    if (outcome && outcome !== 'pending') params.push(outcome);
    const rows = await db.query(`select * from console_bulk_items where job_id = $1 and position > $2 ${where} order by position limit $3`, params);
    const hasMore = rows.length > pageSize;
    const data = rows.slice(0, pageSize).map(toItem);
    return {
      pageSize,
      hasMore,
      ...(hasMore ? { next: encodeCursor({ a: data[data.length - 1]!.position, s: pageSize, ...(outcome ? { o: outcome } : {}) }) } : {}),
      data,
    };
  }

  async stop(id: string): Promise<BulkJob> {
    await this.get(id);
    const db = await this.db();
    await db.query(`update console_bulk_jobs set stopped_at = $2 where id = $1 and stopped_at is null and finished_at is null`, [id, new Date()]);
    await this.running.get(id);
    return this.get(id);
  }

  /** Carries on with jobs a restart interrupted (once; every endpoint asks first). */
  resume(): Promise<void> {
    this.resumed ??= (async () => {
      const db = await this.db();
      const open = await db.query<{ id: string }>(`select id from console_bulk_jobs where finished_at is null and stopped_at is null order by created_at`);
      for (const { id } of open) this.start(id);
    })();
    return this.resumed;
  }

  /** Stops acting (shutdown): the job in flight finishes its current instances; the rest resumes at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.running.values());
  }

  private db(): Promise<Db> {
    return this.store.db();
  }

  private start(id: string): void {
    if (this.running.has(id) || this.closed) return;
    const run = this.run(id)
      .catch(async (err: unknown) => {
        // A failure of the job itself (the stack unreachable while listing, say): stop it, saying why.
        const message = err instanceof Error ? err.message : String(err);
        if (!this.closed) console.error(`bulk job ${id}: ${message}`);
        const db = await this.db().catch(() => undefined);
        await db
          ?.query(`update console_bulk_jobs set stopped_at = coalesce(stopped_at, $2), error = $3 where id = $1`, [id, new Date(), message.slice(0, 500)])
          .catch(() => {});
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  private async run(id: string): Promise<void> {
    const db = await this.db();
    const [job] = await db.query(`select * from console_bulk_jobs where id = $1`, [id]);
    if (!job || job.finished_at || job.stopped_at) return;
    if (!job.ready_at) await this.collect(db, job);
    for (;;) {
      if (this.closed) return;
      const [state] = await db.query(`select stopped_at from console_bulk_jobs where id = $1`, [id]);
      if (state?.stopped_at) return;
      const pending = await db.query<{ position: number; instance_id: string }>(
        `select position, instance_id from console_bulk_items where job_id = $1 and outcome is null order by position limit ${CONCURRENCY}`,
        [id],
      );
      if (!pending.length) break;
      await Promise.all(
        pending.map(async (item) => {
          const result = await this.source.abort(item.instance_id);
          await db.query(`update console_bulk_items set outcome = $3, message = $4, at = $5 where job_id = $1 and position = $2`, [
            id,
            item.position,
            result.outcome,
            result.message?.slice(0, 1000) ?? null,
            new Date(),
          ]);
        }),
      );
    }
    await db.query(`update console_bulk_jobs set finished_at = $2 where id = $1 and finished_at is null`, [id, new Date()]);
  }

  /**
   * Fixes the job's instances: what matches its filter, running, started no later than up_to;
   * then (when the source can tell) those running at up_to that have ended since, as skipped.
   */
  private async collect(db: Db, job: any): Promise<void> {
    const filters = this.parseFilters((name) => (job.filters as Record<string, string>)[name]);
    const upTo = new Date(job.up_to).toISOString();
    await db.query(`delete from console_bulk_items where job_id = $1`, [job.id]);
    let position = 0;
    for await (const batch of this.source.batches({ ...filters, running: true }, { upTo })) {
      if (this.closed) return;
      const rows = batch.map((i) => ({ position: position++, id: i.id }));
      await db.transaction(async (tx) => {
        await tx.query(
          `insert into console_bulk_items (job_id, position, instance_id) select $1, r.position, r.id from jsonb_to_recordset($2::jsonb) as r(position int, id text)`,
          [job.id, json(rows)],
        );
        await tx.query(`update console_bulk_jobs set total = $2 where id = $1`, [job.id, position]);
      });
    }
    // Those that were running at the preview and have ended since: in the report, skipped.
    const ended = this.source.endedSince?.({ ...filters, running: undefined }, upTo);
    if (ended) {
      for await (const batch of ended) {
        if (this.closed) return;
        const rows = batch.map((i) => ({ position: position++, id: i.id }));
        await db.transaction(async (tx) => {
          await tx.query(
            `insert into console_bulk_items (job_id, position, instance_id, outcome, message, at)
             select $1, r.position, r.id, 'skipped', $3, $4 from jsonb_to_recordset($2::jsonb) as r(position int, id text)`,
            [job.id, json(rows), ENDED_SINCE, new Date()],
          );
          await tx.query(`update console_bulk_jobs set total = $2 where id = $1`, [job.id, position]);
        });
      }
    }
    await db.query(`update console_bulk_jobs set ready_at = $2, total = $3 where id = $1`, [job.id, new Date(), position]);
  }
}

const JOB_SELECT = `select j.*,
  (select count(*) from console_bulk_items i where i.job_id = j.id and i.outcome = 'done')::int as n_done,
  (select count(*) from console_bulk_items i where i.job_id = j.id and i.outcome = 'skipped')::int as n_skipped,
  (select count(*) from console_bulk_items i where i.job_id = j.id and i.outcome = 'failed')::int as n_failed,
  (select count(*) from console_bulk_items i where i.job_id = j.id and i.outcome is null)::int as n_pending
  from console_bulk_jobs j`;

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : undefined);

function toJob(r: any): BulkJob {
  const job: BulkJob = {
    id: r.id,
    action: r.action,
    filters: r.filters ?? {},
    state: r.stopped_at ? 'stopped' : r.finished_at ? 'finished' : r.ready_at ? 'running' : 'collecting',
    total: r.total,
    done: r.n_done,
    skipped: r.n_skipped,
    failed: r.n_failed,
    pending: r.n_pending,
    createdAt: iso(r.created_at)!,
  };
  if (r.finished_at) job.finishedAt = iso(r.finished_at);
  if (r.stopped_at) job.stoppedAt = iso(r.stopped_at);
  if (r.error) job.error = r.error;
  return job;
}

function toItem(r: any): BulkItem {
  const item: BulkItem = { position: r.position, instanceID: r.instance_id, outcome: r.outcome ?? 'pending' };
  if (r.message) item.message = r.message;
  if (r.at) item.at = iso(r.at);
  return item;
}
