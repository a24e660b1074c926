import { randomUUID } from 'node:crypto';
import { parseRfc3339 } from '../../common/rfc3339.js';
import { parseVariableFilter, VariableFilterError } from '../../common/variable-filter.js';
import { notFound, validation } from '../errors.js';
import type { ConsoleStore } from '../store/console-store.js';
import { json, type Queryable } from '../store/db.js';

/**
 * Saved views of the console's lists (instances, workflows, triggers): a name, the list's
 * filters, sort, visible columns and time range, shared by everyone who uses this console
 * server (the console's own store: docs/architecture.md). At most one view per list is its
 * default. Every write of views goes through this module.
 *
 * The server checks the shape (and what it can check of the content: the variables query, the
 * dates); which filter keys and columns a list has is the console's business, so a view saved
 * by a newer console still loads.
 */

export const VIEW_LISTS = ['instances', 'workflows', 'triggers'] as const;
export type ViewList = (typeof VIEW_LISTS)[number];

export interface TimeRange {
  /** a sliding window: `15m`, `1h`, `24h`, `7d` … */
  since?: string;
  /** RFC 3339, inclusive */
  from?: string;
  /** RFC 3339, exclusive */
  to?: string;
}

/** A filter's value has its query parameter's type: text, or a whole number for `minRetries`. */
export type ViewFilters = Record<string, string | number>;

export interface SavedView {
  id: string;
  list: ViewList;
  name: string;
  filters: ViewFilters;
  /** `column:asc` or `column:desc` */
  sort?: string;
  /** visible columns in order (`$name` is a run variable) */
  columns?: string[];
  timeRange?: TimeRange;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

interface ViewState {
  filters: ViewFilters;
  sort?: string;
  columns?: string[];
  timeRange?: TimeRange;
}

const MAX_NAME = 80;
const MAX_FILTERS = 40;
const MAX_FILTER_VALUE = 1000;
const MAX_COLUMNS = 40;
const MAX_VIEWS_PER_LIST = 200;
const FILTER_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
// eslint-disable-next-line no-control-regex -- control characters are what these refuse
const COLUMN = /^([A-Za-z][A-Za-z0-9_]{0,39}|\$[^,\u0000-\u001f]{1,200})$/;
// eslint-disable-next-line no-control-regex -- control characters are what these refuse
const SORT = /^[^\u0000-\u001f]{1,201}:(asc|desc)$/;
const SINCE = /^\d{1,4}[mhdw]$/;
/** Filters whose query parameter is an integer (openapi/flows.yaml: `minRetries`, at least 1). */
const WHOLE_NUMBER_FILTERS = new Set(['minRetries']);
const isWholeNumber = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkName(v: unknown): string {
  if (typeof v !== 'string') throw validation(`name: expected a string, got ${v === null ? 'null' : typeof v}`);
  const name = v.trim();
  if (!name) throw validation('name: required (a view needs a name)');
  if (Array.from(name).length > MAX_NAME) throw validation(`name: at most ${MAX_NAME} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(name)) throw validation('name: control characters are not allowed');
  return name;
}

function checkFilters(v: unknown): ViewFilters {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw validation('filters: expected an object of string values');
  const entries = Object.entries(v);
  if (entries.length > MAX_FILTERS) throw validation(`filters: at most ${MAX_FILTERS} filters`);
  const out: ViewFilters = {};
  for (const [k, value] of entries) {
    if (!FILTER_KEY.test(k)) throw validation(`filters.${k.slice(0, 40)}: a filter name is a letter then letters, digits or _ (at most 40)`);
    if (WHOLE_NUMBER_FILTERS.has(k)) {
      if (!isWholeNumber(value)) throw validation(`filters.${k}: expected a whole number from 1, got ${JSON.stringify(value)?.slice(0, 40)}`);
      out[k] = value;
      continue;
    }
    if (typeof value !== 'string') throw validation(`filters.${k}: expected a string, got ${value === null ? 'null' : typeof value}`);
    if (value.length > MAX_FILTER_VALUE) throw validation(`filters.${k}: at most ${MAX_FILTER_VALUE} characters`);
    if (k === 'vars') {
      try {
        parseVariableFilter(value);
      } catch (err) {
        if (err instanceof VariableFilterError) throw validation(`filters.vars: ${err.message}`);
        throw err;
      }
    }
    out[k] = value;
  }
  return out;
}

function checkSort(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !SORT.test(v)) throw validation(`sort: expected 'column:asc' or 'column:desc', got ${JSON.stringify(v).slice(0, 60)}`);
  return v;
}

function checkColumns(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw validation('columns: expected an array of column names');
  if (v.length > MAX_COLUMNS) throw validation(`columns: at most ${MAX_COLUMNS} columns`);
  const seen = new Set<string>();
  v.forEach((c, i) => {
    if (typeof c !== 'string' || !COLUMN.test(c)) {
      throw validation(`columns[${i}]: expected a column name, or $ and a variable name (no commas), got ${JSON.stringify(c)?.slice(0, 60)}`);
    }
    if (seen.has(c)) throw validation(`columns[${i}]: '${c.slice(0, 60)}' is listed twice`);
    seen.add(c);
  });
  return v as string[];
}

function checkTimeRange(v: unknown): TimeRange | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw validation('timeRange: expected an object {since} or {from, to}');
  const extra = Object.keys(v).find((k) => !['since', 'from', 'to'].includes(k));
  if (extra !== undefined) throw validation(`timeRange.${extra.slice(0, 40)}: unknown field (since, from, to)`);
  const out: TimeRange = {};
  if (v.since !== undefined) {
    if (typeof v.since !== 'string' || !SINCE.test(v.since))
      throw validation(`timeRange.since: expected a window such as 15m, 1h, 24h or 7d, got ${JSON.stringify(v.since)?.slice(0, 40)}`);
    if (v.from !== undefined || v.to !== undefined) throw validation('timeRange.since: a sliding window goes without from and to');
    out.since = v.since;
  }
  for (const key of ['from', 'to'] as const) {
    const value = v[key];
    if (value === undefined) continue;
    const date = typeof value === 'string' ? parseRfc3339(value) : null;
    if (!date) throw validation(`timeRange.${key}: expected an RFC 3339 date, got ${JSON.stringify(value)?.slice(0, 40)}`);
    out[key] = date.toISOString();
  }
  if (out.from && out.to && out.from >= out.to) throw validation('timeRange.to: must be after timeRange.from');
  return Object.keys(out).length ? out : undefined;
}

function checkList(v: unknown): ViewList {
  if (typeof v !== 'string' || !(VIEW_LISTS as readonly string[]).includes(v)) {
    throw validation(`list: expected one of ${VIEW_LISTS.join(', ')}, got ${JSON.stringify(v)?.slice(0, 40) ?? 'nothing'}`);
  }
  return v as ViewList;
}

function checkDefault(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw validation('isDefault: expected true or false');
  return v;
}

const BODY_KEYS = ['list', 'name', 'filters', 'sort', 'columns', 'timeRange', 'isDefault'];

function checkBody(body: unknown, allowed: string[]): Record<string, unknown> {
  if (!isObject(body)) throw validation('request body: expected a JSON object');
  const extra = Object.keys(body).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw validation(`${extra.slice(0, 40)}: unknown field (expected ${allowed.join(', ')})`);
  return body;
}

/**
 * Views saved before whole-number filters were stored as numbers hold them as text ("3"): read
 * as the number (an unusable one is dropped, as the list would drop it). The next write stores
 * the number.
 */
function storedFilters(filters: ViewFilters | undefined): ViewFilters {
  const out: ViewFilters = {};
  for (const [k, value] of Object.entries(filters ?? {})) {
    if (!WHOLE_NUMBER_FILTERS.has(k)) out[k] = value;
    else if (isWholeNumber(value)) out[k] = value;
    else if (typeof value === 'string' && /^\d{1,15}$/.test(value) && isWholeNumber(Number(value))) out[k] = Number(value);
  }
  return out;
}

function toView(r: any): SavedView {
  const state = (r.state ?? {}) as ViewState;
  const v: SavedView = {
    id: r.id,
    list: r.list,
    name: r.name,
    filters: storedFilters(state.filters),
    isDefault: r.is_default,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
  if (state.sort) v.sort = state.sort;
  if (state.columns) v.columns = state.columns;
  if (state.timeRange) v.timeRange = state.timeRange;
  return v;
}

const stateOf = (v: Pick<SavedView, 'filters' | 'sort' | 'columns' | 'timeRange'>): ViewState => ({
  filters: v.filters,
  ...(v.sort ? { sort: v.sort } : {}),
  ...(v.columns ? { columns: v.columns } : {}),
  ...(v.timeRange ? { timeRange: v.timeRange } : {}),
});

export class SavedViews {
  constructor(private readonly store: ConsoleStore) {}

  /** The views of a list (every list when none is given), by name. */
  async list(list?: string): Promise<SavedView[]> {
    const db = await this.store.db();
    if (list !== undefined && !(VIEW_LISTS as readonly string[]).includes(list)) {
      throw validation(`invalid 'list' query param: expected one of ${VIEW_LISTS.join(', ')}, got '${list.slice(0, 40)}'`);
    }
    const rows =
      list === undefined
        ? await db.query(`select * from console_views order by list, lower(name), id`)
        : await db.query(`select * from console_views where list = $1 order by lower(name), id`, [list]);
    return rows.map(toView);
  }

  async get(id: string): Promise<SavedView> {
    const db = await this.store.db();
    const [row] = await db.query(`select * from console_views where id = $1`, [id]);
    if (!row) throw notFound(`no saved view with id ${id.slice(0, 80)}`);
    return toView(row);
  }

  async create(body: unknown): Promise<SavedView> {
    const b = checkBody(body, BODY_KEYS);
    const list = checkList(b.list);
    const name = checkName(b.name);
    const state = stateOf({ filters: checkFilters(b.filters), sort: checkSort(b.sort), columns: checkColumns(b.columns), timeRange: checkTimeRange(b.timeRange) });
    const isDefault = checkDefault(b.isDefault) ?? false;
    const db = await this.store.db();
    return db.transaction(async (tx) => {
      await lockViews(tx, db.kind);
      const [{ n }] = await tx.query<{ n: number }>(`select count(*)::int as n from console_views where list = $1`, [list]);
      if (n >= MAX_VIEWS_PER_LIST) throw validation(`list: the ${list} list already has ${MAX_VIEWS_PER_LIST} saved views; delete some first`);
      await mustBeFreeName(tx, list, name);
      if (isDefault) await tx.query(`update console_views set is_default = false where list = $1 and is_default`, [list]);
      const now = new Date();
      const [row] = await tx.query(
        `insert into console_views (id, list, name, state, is_default, created_at, updated_at) values ($1, $2, $3, $4::jsonb, $5, $6, $6) returning *`,
        [randomUUID(), list, name, json(state), isDefault, now],
      );
      return toView(row);
    });
  }

  /** Rename, change what the view holds, make it (or no longer) the list's default. */
  async update(id: string, body: unknown): Promise<SavedView> {
    const b = checkBody(
      body,
      BODY_KEYS.filter((k) => k !== 'list'),
    );
    const patch: Partial<SavedView> = {};
    if ('name' in b) patch.name = checkName(b.name);
    if ('filters' in b) patch.filters = checkFilters(b.filters);
    if ('sort' in b) patch.sort = checkSort(b.sort);
    if ('columns' in b) patch.columns = checkColumns(b.columns);
    if ('timeRange' in b) patch.timeRange = checkTimeRange(b.timeRange);
    const isDefault = checkDefault(b.isDefault);
    const db = await this.store.db();
    return db.transaction(async (tx) => {
      await lockViews(tx, db.kind);
      const [row] = await tx.query(`select * from console_views where id = $1`, [id]);
      if (!row) throw notFound(`no saved view with id ${id.slice(0, 80)}`);
      const current = toView(row);
      if (patch.name !== undefined && patch.name.toLowerCase() !== current.name.toLowerCase()) await mustBeFreeName(tx, current.list, patch.name);
      const next = { ...current, ...patch };
      if (isDefault === true) await tx.query(`update console_views set is_default = false where list = $1 and is_default and id <> $2`, [current.list, id]);
      const [updated] = await tx.query(`update console_views set name = $2, state = $3::jsonb, is_default = $4, updated_at = $5 where id = $1 returning *`, [
        id,
        next.name,
        json(stateOf(next)),
        isDefault ?? current.isDefault,
        new Date(),
      ]);
      return toView(updated);
    });
  }

  async remove(id: string): Promise<void> {
    const db = await this.store.db();
    const rows = await db.query(`delete from console_views where id = $1 returning id`, [id]);
    if (!rows.length) throw notFound(`no saved view with id ${id.slice(0, 80)}`);
  }
}

/** Writers of views take turns (PGlite is one connection anyway; PostgreSQL may serve several servers). */
async function lockViews(tx: Queryable, kind: 'pglite' | 'postgres'): Promise<void> {
  if (kind === 'postgres') await tx.query(`select pg_advisory_xact_lock(7204619)`);
}

async function mustBeFreeName(tx: Queryable, list: ViewList, name: string): Promise<void> {
  const [taken] = await tx.query(`select 1 from console_views where list = $1 and lower(name) = lower($2)`, [list, name]);
  if (taken) throw validation(`name: the ${list} list already has a view named '${name}'`);
}
