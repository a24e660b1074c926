import { CANCELED_SPELLINGS, INSTANCE_STATES, type InstanceState } from '../../common/status.js';
import { parseVariableFilter } from '../../common/variable-filter.js';
import { toInstance, toWorkflow, type Instance } from '../engine/shapes.js';
import type { Db, Queryable } from '../store/db.js';
import { validation } from '../errors.js';
import { fetchPage, seqBound, seqOf, type CursorPage, type PageKey, type PageRequest } from '../store/pagination.js';
import { variableConditionsSql } from './variable-search.js';
import type { PendingSends } from './overview/pending-sends.js';

export interface InstanceFilters {
  workflowID?: string;
  running?: boolean;
  /** Console extras (v2 list only, all optional; see http/instance-filters.ts). */
  status?: InstanceState[];
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
  /** search by run variables (common/variable-filter.ts), already checked */
  vars?: string;
  /** running and waiting for an event, delayed, or retrying an activity */
  state?: InstanceStateFilter;
  /** RFC 3339: running, in its current stage since before this date */
  stageStartedBefore?: string;
  /** running, retrying an activity that failed at least this many times */
  minRetries?: number;
  /** RFC 3339: running, with a timer (delay, retry wait) due after this date */
  resumesAfter?: string;
  /** failed with this normalized reason (overview/normalize.ts) */
  reason?: string;
  /** RFC 3339, inclusive: terminated at or after */
  endedAfter?: string;
  /** RFC 3339, exclusive: terminated before */
  endedBefore?: string;
  /** running, with a send still to run in this asset (overview/pending-sends.ts) */
  pendingAsset?: string;
  /** with pendingAsset: drawn from this source (a sourceKey) */
  pendingSource?: string;
  /** Sorted by a column instead of creation order (ties: creation order, same direction). */
  sort?: { by: InstanceSortField; desc: boolean };
}

/**
 * The columns the console sorts instances by, as SQL over `i` (instance), `w` (workflow) and `t`
 * (trigger, left-joined). `cast` reads a cursor's key back; `nullable` sorts blanks last both ways.
 */
const SORTS = {
  createdAt: { sql: 'i.created_at', cast: 'timestamptz', nullable: false },
  duration: { sql: `(extract(epoch from (i.terminated_at - i.created_at)) * 1000000)::bigint`, cast: 'bigint', nullable: true },
  id: { sql: 'i.id', cast: 'text', nullable: false },
  workflow: { sql: `coalesce(nullif(w.config->>'name', ''), w.id)`, cast: 'text', nullable: false },
  origin: { sql: `case when i.trigger_id is null then '' else coalesce(nullif(t.name, ''), t.event, i.trigger_id) end`, cast: 'text', nullable: false },
} as const;
export type InstanceSortField = keyof typeof SORTS;
export const INSTANCE_SORT_FIELDS = Object.keys(SORTS) as InstanceSortField[];

/** The states a list can be filtered by: the status model's (common/status.ts). */
export const INSTANCE_STATUS_FILTERS = INSTANCE_STATES;
/** What a running instance is doing, for the overview's figures and the list behind them. */
export const INSTANCE_STATE_FILTERS = ['waiting', 'delayed', 'retrying'] as const;
export type InstanceStateFilter = (typeof INSTANCE_STATE_FILTERS)[number];

const CANCELED = `(${CANCELED_SPELLINGS.map((s) => `'${s}'`).join(', ')})`;
/** The status model's states (common/status.ts: instanceState) as SQL over an instance row `i`. */
const STATUS_SQL: Record<InstanceState, string> = {
  running: 'not i.terminated',
  succeeded: `i.terminated and coalesce(i.error, '') = ''`,
  failed: `i.terminated and coalesce(i.error, '') <> '' and i.error not in ${CANCELED}`,
  aborted: `i.terminated and i.error in ${CANCELED}`,
};

/** The current stage of `i` (stages row alias `s`) satisfies `cond`. */
const currentStage = (cond: string) => `exists (select 1 from stages s where s.instance_id = i.id and s.stage = i.current_stage and ${cond})`;
/** The current stage of `i` has an activity waiting to be retried (activities row alias `a`) that satisfies `cond`. */
const retryingActivity = (cond: string) =>
  `exists (select 1 from activities a where a.instance_id = i.id and a.stage = i.current_stage and not a.terminated and a.next_execution is not null and ${cond})`;
/** The list's `state` filter as SQL over an instance row `i` (the overview counts with it too). */
export const STATE_SQL: Record<InstanceStateFilter, string> = {
  waiting: 'not i.terminated and i.waiting_event is not null',
  delayed: `not i.terminated and ${currentStage(`s.run_name = 'RunDelay' and s.terminated_at is null`)}`,
  retrying: `not i.terminated and ${retryingActivity('true')}`,
};

/**
 * Rows past `key` in reading order: value and seq in direction `desc`, blanks last in the list
 * (so first when reading `backward`). `inclusive`: the key's own row too.
 */
function keysetAfter(
  column: (typeof SORTS)[InstanceSortField],
  [value, seq]: [string | null, number],
  desc: boolean,
  backward: boolean,
  inclusive: boolean,
  params: unknown[],
): string {
  const past = desc ? '<' : '>';
  params.push(seq);
  const seqPast = `i.seq ${past}${inclusive ? '=' : ''} $${params.length}`;
  const expr = `(${column.sql})`;
  if (value === null) {
    // Inside the blanks: forward, only later blanks; backward, the earlier blanks, then every valued row.
    return backward ? `(${expr} is not null or ${seqPast})` : `(${expr} is null and ${seqPast})`;
  }
  params.push(value);
  const v = `$${params.length}::${column.cast}`;
  // A blank never compares, so it is out of `valued`; forward, the blanks still come after.
  const valued = `(${expr} ${past} ${v} or (${expr} = ${v} and ${seqPast}))`;
  return column.nullable && !backward ? `(${expr} is null or ${valued})` : valued;
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

/** Instance lists: v1's unpaged list and v2's keyset pages, with the console's filters. */
export class InstanceList {
  constructor(
    private readonly db: Db,
    /** resolves the `pendingAsset` filter (absent: that filter matches nothing) */
    private readonly pendingSends?: PendingSends,
  ) {}

  async listAll(filters: InstanceFilters): Promise<Instance[]> {
    const params: unknown[] = [];
    const where = await instanceFilterSql(this.db, filters, params, this.pendingSends);
    const rows = await this.db.query(
      `select i.*, w.id as w_id, w.config as w_config, w.created_at as w_created_at, w.updated_at as w_updated_at
       from instances i join workflows w on w.id = i.workflow_id where ${where} order by i.seq`,
      params,
    );
    return rows.map(withWorkflow);
  }

  async list(page: PageRequest<InstanceFilters>): Promise<CursorPage<Instance>> {
    const sort = page.filters.sort;
    if (sort) return this.listSorted(page, sort);
    return fetchPage(
      page,
      async (q) => {
        const params: unknown[] = [];
        const where = await instanceFilterSql(this.db, page.filters, params, this.pendingSends);
        const newestFirst = page.filters.order === 'desc';
        const b = newestFirst ? newestFirstBound({ after: seqOf(q.after), before: seqOf(q.before) }, params) : seqBound(q, params, 'i.seq');
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

  /** How many instances match (started no later than `upTo`, when given). */
  async count(filters: InstanceFilters, upTo?: string): Promise<number> {
    const params: unknown[] = [];
    let where = await instanceFilterSql(this.db, filters, params, this.pendingSends);
    if (upTo) {
      params.push(upTo);
      where += ` and i.created_at <= $${params.length}`;
    }
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from instances i join workflows w on w.id = i.workflow_id where ${where}`, params);
    return row?.n ?? 0;
  }

  /**
   * Every matching instance in list order, in batches (exports, bulk jobs): the instances that
   * existed when the first batch was read (and started no later than `upTo`, when given), each
   * as it stands when its batch is read.
   */
  async *batches(filters: InstanceFilters, opts: { size?: number; upTo?: string } = {}): AsyncGenerator<Instance[]> {
    const size = opts.size ?? 500;
    const [{ max }] = await this.db.query<{ max: string | null }>(`select max(seq)::text as max from instances`);
    if (max === null) return;
    const desc = filters.order === 'desc';
    let bound = desc ? String(BigInt(max) + 1n) : '0';
    for (;;) {
      const params: unknown[] = [];
      let where = await instanceFilterSql(this.db, filters, params, this.pendingSends);
      if (desc) {
        params.push(bound);
        where += ` and i.seq < $${params.length}::bigint`;
      } else {
        params.push(bound, max);
        where += ` and i.seq > $${params.length - 1}::bigint and i.seq <= $${params.length}::bigint`;
      }
      if (opts.upTo) {
        params.push(opts.upTo);
        where += ` and i.created_at <= $${params.length}`;
      }
      params.push(size);
      const rows = await this.db.query<any>(
        `select i.*, i.seq::text as seq_text, w.id as w_id, w.config as w_config, w.created_at as w_created_at, w.updated_at as w_updated_at
         from instances i join workflows w on w.id = i.workflow_id
         where ${where} order by i.seq ${desc ? 'desc' : 'asc'} limit $${params.length}`,
        params,
      );
      if (!rows.length) return;
      yield rows.map(withWorkflow);
      if (rows.length < size) return;
      bound = rows[rows.length - 1].seq_text;
    }
  }

  /**
   * Sorted by a column, on the server: keyset paging over (blank?, value, seq), so pages neither
   * skip nor repeat rows while the list changes, whatever the column.
   */
  private listSorted(page: PageRequest<InstanceFilters>, sort: { by: InstanceSortField; desc: boolean }): Promise<CursorPage<Instance>> {
    const column = SORTS[sort.by];
    const keyOf = (key: PageKey | undefined): [string | null, number] | undefined => {
      if (key === undefined) return undefined;
      // A plain seq here was not issued for this sort: a forged or stale cursor.
      if (typeof key === 'number' || (!column.nullable && key[0] === null)) throw validation(`invalid 'cursor' query param`);
      return key;
    };
    return fetchPage(
      page,
      async (q) => {
        const params: unknown[] = [];
        const where = await instanceFilterSql(this.db, page.filters, params, this.pendingSends);
        const after = keyOf(q.after);
        const before = keyOf(q.before);
        // Backward pages read the list in reverse, then fetchPage puts them back in order.
        const backward = before !== undefined;
        const desc = sort.desc !== backward;
        const boundary = after ?? before;
        const bound = boundary ? keysetAfter(column, boundary, desc, backward, backward && !!q.beforeInclusive, params) : 'true';
        const dir = desc ? 'desc' : 'asc';
        const blanks = column.nullable ? `(${column.sql}) is null ${backward ? 'desc' : 'asc'}, ` : '';
        params.push(q.limit);
        return this.db.query<any>(
          `select i.*, w.id as w_id, w.config as w_config, w.created_at as w_created_at, w.updated_at as w_updated_at,
                  (${column.sql})::text as sort_key
           from instances i join workflows w on w.id = i.workflow_id left join triggers t on t.id = i.trigger_id
           where ${where} and ${bound} order by ${blanks}${column.sql} ${dir}, i.seq ${dir} limit $${params.length}`,
          params,
        );
      },
      withWorkflow,
      (row) => [row.sort_key ?? null, Number(row.seq)],
    );
  }
}

/**
 * The instance lists' filters as one SQL condition on `i` (instances) and `w` (its workflow);
 * appends its parameters. Instances of deleted workflows are left out (upstream). The overview
 * counts with this same condition, so a figure and the list it links to agree by construction.
 */
export async function instanceFilterSql(db: Queryable, f: InstanceFilters, params: unknown[], pendingSends?: PendingSends): Promise<string> {
  const parts = ['w.deleted_at is null'];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.workflowID) parts.push(`i.workflow_id = ${param(f.workflowID)}`);
  if (f.running) parts.push('not i.terminated');
  if (f.status?.length) parts.push(`(${f.status.map((s) => `(${STATUS_SQL[s]})`).join(' or ')})`);
  if (f.startedAfter) parts.push(`i.created_at >= ${param(f.startedAfter)}`);
  if (f.startedBefore) parts.push(`i.created_at < ${param(f.startedBefore)}`);
  if (f.idContains) parts.push(`i.id ilike ${param(`%${f.idContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  if (f.origin) parts.push(f.origin === 'trigger' ? 'i.trigger_id is not null' : 'i.trigger_id is null');
  if (f.triggerID) parts.push(`i.trigger_id = ${param(f.triggerID)}`);
  if (f.vars) parts.push(...(await variableConditionsSql(db, parseVariableFilter(f.vars), params)));
  if (f.state) parts.push(`(${STATE_SQL[f.state]})`);
  if (f.stageStartedBefore) parts.push(`not i.terminated and ${currentStage(`s.started_at < ${param(f.stageStartedBefore)}`)}`);
  if (f.minRetries !== undefined) parts.push(`not i.terminated and ${retryingActivity(`a.attempt > ${param(f.minRetries)}`)}`);
  if (f.resumesAfter) parts.push(`not i.terminated and exists (select 1 from tasks t where t.instance_id = i.id and t.run_at > ${param(f.resumesAfter)})`);
  if (f.reason !== undefined) parts.push(`i.error_reason = ${param(f.reason)}`);
  if (f.endedAfter) parts.push(`i.terminated and i.terminated_at >= ${param(f.endedAfter)}`);
  if (f.endedBefore) parts.push(`i.terminated and i.terminated_at < ${param(f.endedBefore)}`);
  if (f.pendingAsset !== undefined) parts.push(pendingSends ? await pendingSends.filterSql(f.pendingAsset, f.pendingSource, params) : 'false');
  return parts.join(' and ');
}

/** An instance row joined with its workflow's (`w_*` columns) → the API object with `workflow`. */
export function withWorkflow(r: any): Instance {
  const i = toInstance(r);
  // Console extras on list rows too: the list shows variables and the current stage as columns.
  if (r.variables) i.variables = r.variables;
  if (typeof r.current_stage === 'number' && r.current_stage >= 0) i.currentStage = r.current_stage;
  i.workflow = toWorkflow({ id: r.w_id, config: r.w_config, created_at: r.w_created_at, updated_at: r.w_updated_at, deleted_at: r.w_deleted_at });
  return i;
}
