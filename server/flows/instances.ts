import { randomUUID } from 'node:crypto';
import { notFound, validation } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import type { EventBus } from '../store/bus.js';
import { json, type Db, type Queryable } from '../store/db.js';
import { fetchPage, onlyKeys, optionalString, seqBound, type CursorPage, type PageRequest } from '../store/pagination.js';
import { toActivity, toHistory, toInstance, toStageStatus, toWorkflow, type Instance } from './shapes.js';

export interface InstanceFilters {
  workflowID?: string;
  running?: boolean;
  /** Console extras (v2 list only, all optional; see parseInstanceListFilters). */
  status?: InstanceStatusFilter[];
  /** RFC 3339, inclusive */
  startedAfter?: string;
  /** RFC 3339, exclusive */
  startedBefore?: string;
  /** case-insensitive substring of the instance id */
  idContains?: string;
  origin?: 'manual' | 'trigger';
  triggerID?: string;
  /** `desc`: newest first */
  order?: 'asc' | 'desc';
}

export const INSTANCE_STATUS_FILTERS = ['running', 'succeeded', 'failed', 'aborted'] as const;
export type InstanceStatusFilter = (typeof INSTANCE_STATUS_FILTERS)[number];

const CANCELED = `('canceled', 'cancelled')`;
const STATUS_SQL: Record<InstanceStatusFilter, string> = {
  running: 'not i.terminated',
  succeeded: `i.terminated and coalesce(i.error, '') = ''`,
  failed: `i.terminated and coalesce(i.error, '') <> '' and i.error not in ${CANCELED}`,
  aborted: `i.terminated and i.error in ${CANCELED}`,
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The console's optional list filters of v2 `GET /instances` (additive to `workflowID` and
 * `running`): `status` (comma-separated running|succeeded|failed|aborted), `startedAfter` /
 * `startedBefore` (RFC 3339), `id` (substring of the instance id), `origin` (manual|trigger),
 * `triggerID`, `order` (asc|desc). Invalid values are 400 VALIDATION naming the parameter.
 */
export function parseInstanceListFilters(q: (name: string) => string | undefined): Omit<InstanceFilters, 'workflowID' | 'running'> {
  const f: Omit<InstanceFilters, 'workflowID' | 'running'> = {};
  const status = q('status');
  if (status) {
    const values = [...new Set(status.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
    const bad = values.find((v) => !(INSTANCE_STATUS_FILTERS as readonly string[]).includes(v));
    if (bad !== undefined) throw validation(`invalid 'status' query param: expected a comma-separated list of ${INSTANCE_STATUS_FILTERS.join(', ')}, got '${bad.slice(0, 40)}'`);
    if (values.length) f.status = values as InstanceStatusFilter[];
  }
  for (const key of ['startedAfter', 'startedBefore'] as const) {
    const v = q(key);
    if (!v) continue;
    if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) throw validation(`invalid '${key}' query param: expected an RFC 3339 date, got '${v.slice(0, 40)}'`);
    f[key] = new Date(v).toISOString();
  }
  const id = q('id')?.trim();
  if (id) f.idContains = id.slice(0, 200);
  const origin = q('origin');
  if (origin) {
    if (origin !== 'manual' && origin !== 'trigger') throw validation(`invalid 'origin' query param: expected manual or trigger, got '${origin.slice(0, 40)}'`);
    f.origin = origin;
  }
  const triggerID = q('triggerID');
  if (triggerID) f.triggerID = triggerID;
  const order = q('order');
  if (order) {
    if (order !== 'asc' && order !== 'desc') throw validation(`invalid 'order' query param: expected asc or desc, got '${order.slice(0, 40)}'`);
    if (order === 'desc') f.order = 'desc';
  }
  return f;
}

/** Re-validates instance filters carried by a cursor with the query-param rules. */
export function checkInstanceFilters(raw: Record<string, unknown>): InstanceFilters {
  onlyKeys(raw, ['workflowID', 'running', 'status', 'startedAfter', 'startedBefore', 'idContains', 'origin', 'triggerID', 'order']);
  const status = raw.status;
  if (status !== undefined && !(Array.isArray(status) && status.every((v) => typeof v === 'string'))) throw new Error('status');
  if (raw.running !== undefined && typeof raw.running !== 'boolean') throw new Error('running');
  const extras = parseInstanceListFilters((name) =>
    name === 'status' ? (status as string[] | undefined)?.join(',') : optionalString(raw, name === 'id' ? 'idContains' : name),
  );
  const f: InstanceFilters = { ...extras };
  const workflowID = optionalString(raw, 'workflowID');
  if (workflowID) f.workflowID = workflowID;
  if (raw.running === true) f.running = true;
  return f;
}

/**
 * Newest-first keyset: the page key is MAX_SAFE_INTEGER - seq (ascending, non-negative, as the
 * shared pager expects), turned back into plain `seq` bounds so the seq index still serves it.
 */
const NEWEST_FIRST_KEY = Number.MAX_SAFE_INTEGER;
function newestFirstBound(q: { after?: number; before?: number }, params: unknown[]): { where: string; order: 'asc' | 'desc' } {
  if (q.before !== undefined) {
    params.push(NEWEST_FIRST_KEY - q.before);
    return { where: `i.seq > $${params.length}`, order: 'asc' };
  }
  if (q.after !== undefined) {
    params.push(NEWEST_FIRST_KEY - q.after);
    return { where: `i.seq < $${params.length}`, order: 'desc' };
  }
  return { where: 'true', order: 'desc' };
}

export interface RunOptions {
  wait?: boolean;
  /** provenance when a trigger starts the run */
  triggerID?: string;
  occurrenceID?: string;
  /** instance id to use (trigger-started runs derive it) */
  instanceId?: string;
}

/** Run body: a flat map of strings (upstream rejects other values). */
export function validateVariables(body: unknown): Record<string, string> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw validation('request body: expected an object of string variables');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== 'string') throw validation(`variables.${k}: expected a string, got ${v === null ? 'null' : typeof v}`);
    out[k] = v;
  }
  return out;
}

interface NewInstance {
  id: string;
  workflow_id: string;
  variables: Record<string, string>;
  trigger_id: string | null;
  occurrence_id: string | null;
}

interface PendingCreate {
  req: NewInstance;
  resolve(row: any): void;
  reject(err: unknown): void;
}

/**
 * Inserts instances of workflows that exist and are not deleted, with their task and
 * STARTED_WORKFLOW, in one statement; returns the inserted rows (missing: no such workflow).
 */
async function insertInstances(q: Queryable, reqs: NewInstance[]): Promise<any[]> {
  return q.query(
    `with req as (
       select * from jsonb_to_recordset($2::jsonb) as r(id text, workflow_id text, variables jsonb, trigger_id text, occurrence_id text)),
     inst as (
       insert into instances (id, workflow_id, variables, created_at, updated_at, trigger_id, occurrence_id)
       select r.id, w.id, r.variables, $1, $1, r.trigger_id, r.occurrence_id
       from req r join workflows w on w.id = r.workflow_id and w.deleted_at is null
       returning *),
     task as (insert into tasks (instance_id, run_at) select id, $1 from inst),
     ev as (
       insert into events (app, version, type, payload, date, idempotency_key)
       select 'orchestration', 'v2', 'STARTED_WORKFLOW', jsonb_build_object('id', workflow_id, 'instanceID', id), $1, '' from inst)
     select * from inst`,
    [new Date(), json(reqs)],
  );
}

export class Instances {
  private pending: PendingCreate[] = [];
  private flushing = 0;
  private flushScheduled = false;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly engine: Engine,
    private readonly runWaitMs: number,
  ) {}

  /** Creates the instance, its first task and STARTED_WORKFLOW, atomically (see create()). */
  async run(workflowId: string, body: unknown, opts: RunOptions = {}): Promise<Instance> {
    const variables = validateVariables(body);
    const row = await this.create({ id: opts.instanceId ?? randomUUID(), workflow_id: workflowId, variables, trigger_id: opts.triggerID ?? null, occurrence_id: opts.occurrenceID ?? null });
    // Upstream runs deleted workflows; we answer 404 for both (fact sheet #5).
    if (!row) throw notFound('Workflow not found');
    this.engine.notifyCommitted();
    this.engine.wake();
    if (opts.wait) {
      await this.engine.waitForTermination(row.id, this.runWaitMs);
      return this.get(row.id);
    }
    return toInstance(row);
  }

  /** Inside a caller's transaction (triggers record their occurrence in the same one). */
  async start(tx: Queryable, workflowId: string, variables: Record<string, string>, opts: RunOptions = {}): Promise<string> {
    const [row] = await insertInstances(tx, [
      { id: opts.instanceId ?? randomUUID(), workflow_id: workflowId, variables, trigger_id: opts.triggerID ?? null, occurrence_id: opts.occurrenceID ?? null },
    ]);
    if (!row) throw notFound('Workflow not found');
    return row.id;
  }

  /**
   * Group commit of instance creations: a creation waits while a batch is being written, then
   * goes with the next batch in one statement (atomic, committed on its own); each caller gets
   * its row (undefined: no such workflow, or deleted) once it is committed. Concurrent runs
   * (many clients, bursts) cost one statement per batch rather than one each.
   */
  private create(req: NewInstance): Promise<any> {
    return new Promise((resolve, reject) => {
      this.pending.push({ req, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    });
  }

  private flush(): void {
    const maxBatches = this.db.kind === 'pglite' ? 1 : 4;
    while (this.flushing < maxBatches && this.pending.length > 0) {
      const batch = this.pending.splice(0, 128);
      this.flushing++;
      void this.writeBatch(batch).finally(() => {
        this.flushing--;
        this.flush();
      });
    }
  }

  private async writeBatch(batch: PendingCreate[]): Promise<void> {
    try {
      const rows = await insertInstances(this.db, batch.map((p) => p.req));
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const p of batch) p.resolve(byId.get(p.req.id));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      // One bad creation (say, a duplicate id) must not fail the others: one by one.
      for (const p of batch) {
        try {
          const [row] = await insertInstances(this.db, [p.req]);
          p.resolve(row);
        } catch (e) {
          p.reject(e);
        }
      }
    }
  }

  async listAll(filters: InstanceFilters): Promise<Instance[]> {
    const params: unknown[] = [];
    const where = this.filterSql(filters, params);
    const rows = await this.db.query(
      `select i.*, w.id as w_id, w.config as w_config, w.created_at as w_created_at, w.updated_at as w_updated_at
       from instances i join workflows w on w.id = i.workflow_id where ${where} order by i.seq`,
      params,
    );
    return rows.map(withWorkflow);
  }

  async list(page: PageRequest<InstanceFilters>): Promise<CursorPage<Instance>> {
    return fetchPage(
      page,
      async (q) => {
        const params: unknown[] = [];
        const where = this.filterSql(page.filters, params);
        const newestFirst = page.filters.order === 'desc';
        const b = newestFirst ? newestFirstBound(q, params) : seqBound(q, params, 'i.seq');
        params.push(q.limit);
        const rows = await this.db.query<any>(
          `select i.*, w.id as w_id, w.config as w_config, w.created_at as w_created_at, w.updated_at as w_updated_at
           from instances i join workflows w on w.id = i.workflow_id
           where ${where} and ${b.where} order by i.seq ${b.order} limit $${params.length}`,
          params,
        );
        return newestFirst ? rows.map((r) => ({ ...r, seq: NEWEST_FIRST_KEY - Number(r.seq) })) : rows;
      },
      withWorkflow,
    );
  }

  /** Instances of deleted workflows disappear from lists (upstream). */
  private filterSql(f: InstanceFilters, params: unknown[]): string {
    const parts = ['w.deleted_at is null'];
    if (f.workflowID) {
      params.push(f.workflowID);
      parts.push(`i.workflow_id = $${params.length}`);
    }
    if (f.running) parts.push('not i.terminated');
    if (f.status?.length) parts.push(`(${f.status.map((s) => `(${STATUS_SQL[s]})`).join(' or ')})`);
    if (f.startedAfter) {
      params.push(f.startedAfter);
      parts.push(`i.created_at >= $${params.length}`);
    }
    if (f.startedBefore) {
      params.push(f.startedBefore);
      parts.push(`i.created_at < $${params.length}`);
    }
    if (f.idContains) {
      params.push(`%${f.idContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      parts.push(`i.id ilike $${params.length}`);
    }
    if (f.origin) parts.push(f.origin === 'trigger' ? 'i.trigger_id is not null' : 'i.trigger_id is null');
    if (f.triggerID) {
      params.push(f.triggerID);
      parts.push(`i.trigger_id = $${params.length}`);
    }
    return parts.join(' and ');
  }

  /** Full instance: stage statuses, embedded workflow, variables. */
  async get(id: string): Promise<Instance> {
    const [row] = await this.db.query(
      `select i.*, w.id as w_id, w.config as w_config, w.created_at as w_created_at, w.updated_at as w_updated_at, w.deleted_at as w_deleted_at
       from instances i join workflows w on w.id = i.workflow_id where i.id = $1`,
      [id],
    );
    if (!row) throw notFound('Instance not found');
    const stages = await this.db.query(`select * from stages where instance_id = $1 order by stage`, [id]);
    const instance = withWorkflow(row);
    if (stages.length) instance.status = stages.map(toStageStatus);
    instance.variables = row.variables ?? {};
    return instance;
  }

  async history(id: string) {
    await this.mustExist(id);
    const rows = await this.db.query(`select * from stages where instance_id = $1 and run_name is not null order by stage`, [id]);
    return rows.map(toHistory);
  }

  async stageHistory(id: string, stageParam: string) {
    if (!/^\d+$/.test(stageParam)) throw validation(`number: expected a non-negative integer stage number, got '${stageParam.slice(0, 40)}'`);
    // Any integer is a stage number; one of more than 9 digits names no stage (404 like any other).
    const stage = Number(stageParam);
    const [s] = stageParam.length > 9 ? [] : await this.db.query(`select 1 from stages where instance_id = $1 and stage = $2`, [id, stage]);
    if (!s) throw notFound('Instance not found');
    const rows = await this.db.query(`select * from activities where instance_id = $1 and stage = $2 order by seq`, [id, stage]);
    return rows.map(toActivity);
  }

  /**
   * Delivers an event to the current stage only (upstream): a matching wait_event stage
   * completes; any other name, or a stage that is not waiting, drops it (still 204).
   */
  async sendEvent(id: string, body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validation('request body: expected an object with `name`');
    const name = (body as Record<string, unknown>).name;
    if (typeof name !== 'string' || name === '') throw validation('name: required (the event name, a non-empty string)');
    const delivered = await this.db.transaction(async (tx) => {
      const [inst] = await tx.query(`select terminated, current_stage from instances where id = $1 for update`, [id]);
      if (!inst) throw notFound('Instance not found');
      if (inst.terminated) throw validation('instance already terminated: events can only be sent to a running instance');
      const [stage] = await tx.query(
        `select input from stages where instance_id = $1 and stage = $2 and terminated_at is null and run_name = 'RunWaitEvent'`,
        [id, inst.current_stage],
      );
      if (!stage || stage.input?.event !== name) return false;
      await tx.query(
        `update stages set state = state || '{"eventReceived": true}'::jsonb where instance_id = $1 and stage = $2`,
        [id, inst.current_stage],
      );
      await tx.query(`update instances set waiting_event = null, updated_at = $2 where id = $1`, [id, new Date()]);
      await tx.query(
        `insert into tasks (instance_id, run_at) values ($1, $2) on conflict (instance_id) do update set run_at = excluded.run_at`,
        [id, new Date()],
      );
      return true;
    });
    if (delivered) this.engine.wake();
  }

  async abort(id: string): Promise<void> {
    await this.engine.abort(id);
  }

  private async mustExist(id: string) {
    const [row] = await this.db.query(`select 1 from instances where id = $1`, [id]);
    if (!row) throw notFound('Instance not found');
  }
}

function withWorkflow(r: any): Instance {
  const i = toInstance(r);
  i.workflow = toWorkflow({ id: r.w_id, config: r.w_config, created_at: r.w_created_at, updated_at: r.w_updated_at, deleted_at: r.w_deleted_at });
  return i;
}
