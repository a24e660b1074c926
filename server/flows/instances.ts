import { randomUUID } from 'node:crypto';
import { notFound, validation } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import type { EventBus } from '../events/bus.js';
import { json, type Db, type Queryable } from '../store/db.js';
import { fetchPage, seqBound, type CursorPage, type PageRequest } from './pagination.js';
import { toActivity, toHistory, toInstance, toStageStatus, toWorkflow, type Instance } from './shapes.js';

export interface InstanceFilters {
  workflowID?: string;
  running?: boolean;
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

export class Instances {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly engine: Engine,
    private readonly runWaitMs: number,
  ) {}

  /** Creates the instance, its first task and STARTED_WORKFLOW in one transaction. */
  async run(workflowId: string, body: unknown, opts: RunOptions = {}): Promise<Instance> {
    const variables = validateVariables(body);
    const id = await this.db.transaction((tx) => this.start(tx, workflowId, variables, opts));
    this.bus.notify();
    this.engine.wake();
    if (opts.wait) {
      await this.engine.waitForTermination(id, this.runWaitMs);
      return this.get(id);
    }
    const [row] = await this.db.query(`select * from instances where id = $1`, [id]);
    return toInstance(row);
  }

  /** Inside a caller's transaction (triggers record their occurrence in the same one). */
  async start(tx: Queryable, workflowId: string, variables: Record<string, string>, opts: RunOptions = {}): Promise<string> {
    const [wf] = await tx.query(`select id, deleted_at from workflows where id = $1`, [workflowId]);
    // Upstream runs deleted workflows; we answer 404 for both (fact sheet #5).
    if (!wf || wf.deleted_at) throw notFound('Workflow not found');
    const id = opts.instanceId ?? randomUUID();
    const now = new Date();
    await tx.query(
      `insert into instances (id, workflow_id, variables, created_at, updated_at, trigger_id, occurrence_id)
       values ($1, $2, $3::jsonb, $4, $4, $5, $6)`,
      [id, workflowId, json(variables), now, opts.triggerID ?? null, opts.occurrenceID ?? null],
    );
    await tx.query(`insert into tasks (instance_id, run_at) values ($1, $2)`, [id, now]);
    await this.bus.publish(tx, { app: 'orchestration', version: 'v2', type: 'STARTED_WORKFLOW', payload: { id: workflowId, instanceID: id }, date: now });
    return id;
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
        const b = seqBound(q, params, 'i.seq');
        params.push(q.limit);
        return this.db.query<any>(
          `select i.*, w.id as w_id, w.config as w_config, w.created_at as w_created_at, w.updated_at as w_updated_at
           from instances i join workflows w on w.id = i.workflow_id
           where ${where} and ${b.where} order by i.seq ${b.order} limit $${params.length}`,
          params,
        );
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
    if (!/^\d{1,9}$/.test(stageParam)) throw validation(`number: expected a non-negative integer stage number, got '${stageParam.slice(0, 40)}'`);
    const stage = Number(stageParam);
    const [s] = await this.db.query(`select 1 from stages where instance_id = $1 and stage = $2`, [id, stage]);
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
