import { randomUUID } from 'node:crypto';
import { notFound, validation } from '../errors.js';
import { ExprSyntaxError } from '../expr/index.js';
import { describe as describeValue } from '../stages/fields.js';
import { fetchPage, seqBound, type CursorPage, type PageRequest } from '../store/pagination.js';
import { json, type Db } from '../store/db.js';
import { eventTypeProblem } from './events.js';
import { compileCached, evaluateFilter, evaluateVars, type VarResults } from './expressions.js';
import type { LinkResolver } from '../expr/index.js';
import { toOccurrence, toTrigger } from './shapes.js';

export interface TriggerFilters {
  name?: string;
}

const MAX_EXPR = 10_000;
const MAX_VARS = 100;

interface TriggerData {
  name: string;
  event: string;
  workflowID: string;
  version?: string;
  filter?: string;
  vars?: Record<string, string>;
}

function compileOrReject(field: string, source: string) {
  if (source.length > MAX_EXPR) throw validation(`${field}: expression longer than ${MAX_EXPR} characters`);
  try {
    compileCached(source);
  } catch (err) {
    const detail = err instanceof ExprSyntaxError ? err.message : (err as Error).message;
    throw validation(`${field}: validating data: error compiling expression '${source}': ${detail}`);
  }
}

/** Validates a create body; messages keep upstream's wording and name the field. */
export function validateTriggerData(body: unknown): TriggerData {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validation('request body: expected a trigger object');
  const b = body as Record<string, unknown>;
  const optString = (k: string) => {
    const v = b[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw validation(`${k}: expected a string, got ${describeValue(v)}`);
    return v;
  };
  const event = optString('event');
  if (!event) throw validation('event: validating data: missing event');
  const typeProblem = eventTypeProblem(event);
  if (typeProblem) throw validation(`event: ${typeProblem}`);
  const workflowID = optString('workflowID');
  if (!workflowID) throw validation('workflowID: validating data: missing workflow id');
  const name = optString('name') ?? '';
  if (name.length > 1024) throw validation('name: at most 1024 characters');
  const version = optString('version');
  const filter = optString('filter');
  // An empty filter means "no filter" everywhere (docs/compatibility.md: triggers).
  if (filter) compileOrReject('filter', filter);
  let vars: Record<string, string> | undefined;
  if (b.vars !== undefined && b.vars !== null) {
    if (typeof b.vars !== 'object' || Array.isArray(b.vars)) throw validation(`vars: expected an object of expression strings, got ${describeValue(b.vars)}`);
    const entries = Object.entries(b.vars as Record<string, unknown>);
    if (entries.length > MAX_VARS) throw validation(`vars: at most ${MAX_VARS} variables`);
    vars = {};
    for (const [k, v] of entries) {
      if (k === '') throw validation('vars: variable names must not be empty');
      if (typeof v !== 'string') throw validation(`vars.${k}: expected an expression string, got ${describeValue(v)}`);
      if (v.trim() === '') throw validation(`vars.${k}: expression must not be empty`);
      compileOrReject(`vars.${k}`, v);
      vars[k] = v;
    }
  }
  return { name, event, workflowID, version, filter, vars };
}

export interface TriggerTestResult {
  filter?: { match: boolean; error?: string };
  variables?: VarResults;
}

export class Triggers {
  constructor(
    private readonly db: Db,
    private readonly link?: LinkResolver,
  ) {}

  async create(body: unknown) {
    const data = validateTriggerData(body);
    const [wf] = await this.db.query(`select deleted_at from workflows where id = $1`, [data.workflowID]);
    if (!wf || wf.deleted_at) throw notFound('workflow does not exists');
    const [row] = await this.db.query(
      `insert into triggers (id, name, event, version, filter, vars, workflow_id, created_at)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) returning *`,
      [randomUUID(), data.name, data.event, data.version ?? null, data.filter ?? null, data.vars ? json(data.vars) : null, data.workflowID, new Date()],
    );
    return toTrigger(row);
  }

  private nameWhere(f: TriggerFilters, params: unknown[]): string {
    if (!f.name) return 'deleted_at is null';
    params.push(`%${f.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return `deleted_at is null and name ilike $${params.length}`;
  }

  async listAll(f: TriggerFilters) {
    const params: unknown[] = [];
    const rows = await this.db.query(`select * from triggers where ${this.nameWhere(f, params)} order by seq`, params);
    return rows.map(toTrigger);
  }

  async list(page: PageRequest<TriggerFilters>): Promise<CursorPage<ReturnType<typeof toTrigger>>> {
    return fetchPage(
      page,
      async (q) => {
        const params: unknown[] = [];
        const where = this.nameWhere(page.filters, params);
        const b = seqBound(q, params);
        params.push(q.limit);
        return this.db.query<any>(`select * from triggers where ${where} and ${b.where} order by seq ${b.order} limit $${params.length}`, params);
      },
      toTrigger,
    );
  }

  private async row(id: string) {
    const [row] = await this.db.query(`select * from triggers where id = $1 and deleted_at is null`, [id]);
    if (!row) throw notFound('Trigger not found');
    return row;
  }

  async get(id: string) {
    return toTrigger(await this.row(id));
  }

  async delete(id: string) {
    const rows = await this.db.query(`update triggers set deleted_at = $2 where id = $1 and deleted_at is null returning id`, [id, new Date()]);
    if (!rows.length) throw notFound('Trigger not found');
  }

  /** Occurrences stay listable after the trigger is deleted; unknown trigger → empty list. */
  private occurrenceQuery(where: string) {
    return `select o.*, i.id as i_id, i.workflow_id as i_workflow_id, i.created_at as i_created_at, i.updated_at as i_updated_at,
                   i.terminated as i_terminated, i.terminated_at as i_terminated_at, i.error as i_error
            from trigger_occurrences o left join instances i on i.id = o.workflow_instance_id where ${where}`;
  }

  async listOccurrencesAll(triggerId: string) {
    const rows = await this.db.query(`${this.occurrenceQuery('o.trigger_id = $1')} order by o.seq`, [triggerId]);
    return rows.map(toOccurrence);
  }

  async listOccurrences(triggerId: string, page: PageRequest<{ triggerID: string }>) {
    return fetchPage(
      page,
      async (q) => {
        const params: unknown[] = [page.filters.triggerID ?? triggerId];
        const b = seqBound(q, params, 'o.seq');
        params.push(q.limit);
        return this.db.query<any>(`${this.occurrenceQuery(`o.trigger_id = $1 and ${b.where}`)} order by o.seq ${b.order} limit $${params.length}`, params);
      },
      toOccurrence,
    );
  }

  /** Evaluates a trigger on a sample payload: nothing is started or recorded. */
  async test(id: string, payload: unknown): Promise<TriggerTestResult> {
    const t = await this.row(id);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw validation('request body: expected the sample event payload as a JSON object');
    return testTriggerOn({ filter: t.filter, vars: t.vars }, payload, this.link);
  }
}

/** Shared by the test endpoint and the console's "test before saving". */
export async function testTriggerOn(
  t: { filter?: string | null; vars?: Record<string, string> | null },
  payload: unknown,
  link?: LinkResolver,
): Promise<TriggerTestResult> {
  const out: TriggerTestResult = {};
  let matched = true;
  if (t.filter) {
    const f = await evaluateFilter(t.filter, payload, link);
    out.filter = f.error ? { match: false, error: f.error } : { match: f.match };
    matched = f.match;
  }
  if (t.vars && Object.keys(t.vars).length > 0 && matched) {
    const vars = await evaluateVars(t.vars, payload, link);
    for (const v of Object.values(vars)) if (v.value === '') delete v.value;
    out.variables = vars;
  }
  return out;
}
