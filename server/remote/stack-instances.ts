import type { InstanceRow } from '../../common/instance-columns.js';
import { ApiError, notFound } from '../errors.js';
import type { ActionOutcome, InstanceRecord, InstanceSource } from '../flows/instance-source.js';
import { readProgress, type InstanceProgress } from '../flows/instance-progress.js';
import type { StackClient } from './stack-client.js';

/** What the stack's Flows filters instances by: nothing else (docs/compatibility.md, remote mode). */
export interface StackFilters {
  workflowID?: string;
  running?: boolean;
}

const V2 = '/api/orchestration/v2';
const PAGE = 100;
/** A count reads at most this many instances (then says it is a lower bound). */
const COUNT_LIMIT = 5_000;

/**
 * The console's work on many runs against a Formance stack, with the console server's token.
 * Upstream Flows lists instances in no set order and filters them by workflow and running state
 * only; it records neither their variables nor what started them. So: exports page through the
 * whole list (an instance that moves between pages while it is read is kept once), and abort is
 * asked of the stack for each instance, whose answer is the outcome (upstream's abort fails:
 * docs/compatibility.md).
 */
export class StackInstances implements InstanceSource<StackFilters> {
  readonly mode = 'remote';
  readonly provenance = false;

  constructor(private readonly stack: StackClient) {}

  /** Every page of the stack's list, each instance once. */
  private async *pages(filters: StackFilters, limit = Infinity): AsyncGenerator<any[]> {
    const seen = new Set<string>();
    const query = new URLSearchParams({ pageSize: String(PAGE) });
    if (filters.workflowID) query.set('workflowID', filters.workflowID);
    if (filters.running) query.set('running', 'true');
    let path = `${V2}/instances?${query}`;
    for (;;) {
      const body = await this.stack.get(path);
      const cursor = body?.cursor;
      if (!cursor || !Array.isArray(cursor.data)) throw new ApiError(502, 'INTERNAL', `the stack's instance list is not a cursor page (GET ${V2}/instances)`);
      const fresh = (cursor.data as any[]).filter((i) => typeof i?.id === 'string' && !seen.has(i.id) && !!seen.add(i.id));
      yield fresh;
      if (seen.size >= limit || !cursor.hasMore || !cursor.next) return;
      path = `${V2}/instances?cursor=${encodeURIComponent(cursor.next)}`;
    }
  }

  async count(filters: StackFilters, opts: { upTo?: string; limit?: number } = {}) {
    const limit = opts.limit ?? COUNT_LIMIT;
    let count = 0;
    let read = 0;
    for await (const page of this.pages(filters, limit)) {
      read += page.length;
      count += page.filter((i) => startedBy(i, opts.upTo)).length;
      if (read >= limit) return { count, exact: false };
    }
    return { count, exact: true };
  }

  /** In the stack's pages (of 100); `size` is not the stack's to choose. */
  async *batches(filters: StackFilters, opts: { upTo?: string; size?: number } = {}): AsyncGenerator<InstanceRow[]> {
    const startedAt = new Date().toISOString();
    const upTo = opts.upTo && opts.upTo < startedAt ? opts.upTo : startedAt;
    let names: Map<string, string> | undefined;
    for await (const page of this.pages(filters)) {
      const rows = page.filter((i) => startedBy(i, upTo)) as InstanceRow[];
      if (rows.some((r) => !r.workflow)) {
        names ??= await this.workflowNames();
        for (const r of rows) r.workflow ??= { config: { name: names.get(r.workflowID) ?? '' } };
      }
      if (rows.length) yield rows;
    }
  }

  private async workflowNames(): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    let path = `${V2}/workflows?pageSize=${PAGE}`;
    for (let pages = 0; pages < 100; pages++) {
      const cursor = (await this.stack.get(path))?.cursor;
      for (const w of cursor?.data ?? []) if (typeof w?.id === 'string') names.set(w.id, w.config?.name ?? w.name ?? '');
      if (!cursor?.hasMore || !cursor.next) break;
      path = `${V2}/workflows?cursor=${encodeURIComponent(cursor.next)}`;
    }
    return names;
  }

  async triggerNames(): Promise<Map<string, string>> {
    return new Map(); // the stack does not say which trigger started a run
  }

  /**
   * One GET of an instance: its body, or undefined when the stack has no such instance. The one
   * read of it for a record or a progress request (what the status needs comes from this answer).
   */
  private async instance(id: string): Promise<any> {
    const got = await this.stack.request('GET', instancePath(id));
    if (isUnknownInstance(got)) return undefined;
    if (got.status !== 200 || typeof got.body?.data?.id !== 'string')
      throw new ApiError(502, 'INTERNAL', `the stack answered HTTP ${got.status} to GET ${V2}/instances/{id}`);
    return got.body.data;
  }

  private async history(id: string): Promise<any[]> {
    const data = (await this.stack.get(`${instancePath(id)}/history`))?.data;
    return Array.isArray(data) ? data : [];
  }

  /** A stage that never reached execution has no history upstream (a 404): no activities. */
  private async activities(id: string, stage: number): Promise<any[]> {
    const r = await this.stack.request('GET', `${instancePath(id)}/stages/${stage}/history`);
    return r.status === 200 && Array.isArray(r.body?.data) ? r.body.data : [];
  }

  async record(id: string): Promise<InstanceRecord> {
    const instance = await this.instance(id);
    if (!instance) throw notFound('Instance not found');
    const history = await this.history(id);
    const stages = [];
    for (const s of instance.status ?? []) stages.push({ stage: Number(s.stage), activities: await this.activities(id, Number(s.stage)) });
    return {
      exportedAt: new Date().toISOString(),
      source: { mode: 'remote', stackUrl: this.stack.stackUrl },
      instance,
      history,
      stages,
      provenance: { startedBy: 'unknown', note: 'The stack does not record what started an instance (its trigger occurrences name the instances they started).' },
    };
  }

  /**
   * Fanned out here rather than by the browser: one request per page of rows on the way in, the
   * stack's answers read a few at a time (and once per round for every viewer of a live list).
   */
  progress(ids: readonly string[]): Promise<InstanceProgress[]> {
    return readProgress(ids, {
      instance: (id) => this.instance(id),
      history: (id) => this.history(id),
      activities: (id, stage) => this.activities(id, stage),
    });
  }

  async abort(id: string): Promise<ActionOutcome> {
    let r;
    try {
      r = await this.stack.request('PUT', `${V2}/instances/${encodeURIComponent(id)}/abort`);
    } catch (err) {
      return { outcome: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
    if (r.status >= 200 && r.status < 300) return { outcome: 'done' };
    const message = typeof r.body?.errorMessage === 'string' ? r.body.errorMessage : '';
    return { outcome: 'failed', message: `the stack answered HTTP ${r.status}${message ? `: ${message.slice(0, 300)}` : ''}` };
  }
}

const instancePath = (id: string) => `${V2}/instances/${encodeURIComponent(id)}`;

const startedBy = (i: { createdAt?: unknown }, upTo: string | undefined) => !upTo || (typeof i.createdAt === 'string' && Date.parse(i.createdAt) <= Date.parse(upTo));

/** Upstream answers an unknown instance with a 500 "Instance not found" (docs/compatibility.md), or a 404. */
const isUnknownInstance = (got: { status: number; body?: any }) =>
  got.status === 404 || (got.status === 500 && /not found|no rows/i.test(String(got.body?.errorMessage ?? '')));
