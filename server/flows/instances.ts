import { randomUUID } from 'node:crypto';
import { notFound, validation } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { toActivity, toHistory, toInstance, toStageStatus, type Instance } from '../engine/shapes.js';
import type { Db } from '../store/db.js';
import type { CursorPage, PageRequest } from '../store/pagination.js';
import { checkRunValues } from '../stages/index.js';
import { InstanceList, withWorkflow, type InstanceFilters } from './instance-list.js';
import type { PendingSends } from './overview/pending-sends.js';

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

/**
 * Instances as the API sees them: reads here, every lifecycle write (start, event, abort) asked
 * of the engine, which owns the instance, stage and task rows.
 */
export class Instances {
  private readonly lists: InstanceList;

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
    private readonly runWaitMs: number,
    /** resolves the list's `pendingAsset` filter (money in flight) */
    pendingSends?: PendingSends,
  ) {
    this.lists = new InstanceList(db, pendingSends);
  }

  /** Definitions by workflow id (immutable), for checking run variables without a query each. */
  private readonly definitions = new Map<string, unknown>();

  /**
   * A variable that gives a typed field a value no stage accepts (a 5,000-digit amount, a delay
   * longer than Go allows) is refused here, 400 naming the field, before anything starts.
   */
  private async checkVariables(workflowId: string, variables: Record<string, string>): Promise<void> {
    if (Object.keys(variables).length === 0) return;
    let stages = this.definitions.get(workflowId);
    if (stages === undefined) {
      const [row] = await this.db.query<{ config: { stages?: unknown } }>(`select config from workflows where id = $1`, [workflowId]);
      if (!row) return; // unknown workflow: the start answers 404
      stages = row.config?.stages ?? [];
      if (this.definitions.size >= 1_000) this.definitions.clear();
      this.definitions.set(workflowId, stages);
    }
    const problems = checkRunValues(stages, variables);
    if (problems.length) throw validation(`variables: ${problems.join('\n')}`);
  }

  /** Starts an instance (see Engine.startInstance); with `wait`, answers once it has ended. */
  async run(workflowId: string, body: unknown, opts: RunOptions = {}): Promise<Instance> {
    const variables = validateVariables(body);
    await this.checkVariables(workflowId, variables);
    const row = await this.engine.startInstance({
      id: opts.instanceId ?? randomUUID(),
      workflowId,
      variables,
      triggerId: opts.triggerID,
      occurrenceId: opts.occurrenceID,
    });
    // Upstream runs deleted workflows; we answer 404 for both (docs/compatibility.md).
    if (!row) throw notFound('Workflow not found');
    if (opts.wait) {
      await this.engine.waitForTermination(row.id, this.runWaitMs);
      return this.get(row.id);
    }
    return toInstance(row);
  }

  listAll(filters: InstanceFilters): Promise<Instance[]> {
    return this.lists.listAll(filters);
  }

  list(page: PageRequest<InstanceFilters>): Promise<CursorPage<Instance>> {
    return this.lists.list(page);
  }

  count(filters: InstanceFilters, upTo?: string): Promise<number> {
    return this.lists.count(filters, upTo);
  }

  batches(filters: InstanceFilters, opts: { size?: number; upTo?: string } = {}): AsyncGenerator<Instance[]> {
    return this.lists.batches(filters, opts);
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

  /** `{name}`: delivered to the current stage only (see Engine.deliverEvent); still 204 when dropped. */
  async sendEvent(id: string, body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validation('request body: expected an object with `name`');
    const name = (body as Record<string, unknown>).name;
    if (typeof name !== 'string' || name === '') throw validation('name: required (the event name, a non-empty string)');
    await this.engine.deliverEvent(id, name);
  }

  async abort(id: string): Promise<void> {
    await this.engine.abort(id);
  }

  private async mustExist(id: string) {
    const [row] = await this.db.query(`select 1 from instances where id = $1`, [id]);
    if (!row) throw notFound('Instance not found');
  }
}
