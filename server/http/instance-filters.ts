import { parseRfc3339 } from '../../common/rfc3339.js';
import { formatVariableFilter, parseVariableFilter, VariableFilterError } from '../../common/variable-filter.js';
import { validation } from '../errors.js';
import {
  INSTANCE_SORT_FIELDS,
  INSTANCE_STATE_FILTERS,
  INSTANCE_STATUS_FILTERS,
  type InstanceFilters,
  type InstanceSortField,
  type InstanceStateFilter,
} from '../flows/instance-list.js';
import type { InstanceState } from '../../common/status.js';
import { onlyKeys, optionalString } from '../store/pagination.js';
import type { StackFilters } from '../remote/stack-instances.js';
import { isTrue } from './flows-shared.js';

/**
 * The console's optional list filters of v2 `GET /instances` (additive to `workflowID` and
 * `running`): `status` (comma-separated running|succeeded|failed|aborted), `startedAfter` /
 * `startedBefore` (RFC 3339), `id` (substring of the instance id), `origin` (manual|trigger),
 * `triggerID`, `order` (asc|desc), `sort` (<field>:asc|desc), `vars` (search by run variables,
 * docs/instance-search.md). Invalid values are 400 VALIDATION naming the parameter (and, for
 * `vars`, the part).
 */
export function parseInstanceListFilters(q: (name: string) => string | undefined): Omit<InstanceFilters, 'workflowID' | 'running'> {
  const f: Omit<InstanceFilters, 'workflowID' | 'running'> = {};
  const status = q('status');
  if (status) {
    const values = [
      ...new Set(
        status
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    const bad = values.find((v) => !(INSTANCE_STATUS_FILTERS as readonly string[]).includes(v));
    if (bad !== undefined)
      throw validation(`invalid 'status' query param: expected a comma-separated list of ${INSTANCE_STATUS_FILTERS.join(', ')}, got '${bad.slice(0, 40)}'`);
    if (values.length) f.status = values as InstanceState[];
  }
  for (const key of ['startedAfter', 'startedBefore'] as const) {
    const v = q(key);
    if (!v) continue;
    const date = parseRfc3339(v);
    if (!date) throw validation(`invalid '${key}' query param: expected an RFC 3339 date, got '${v.slice(0, 40)}'`);
    f[key] = date.toISOString();
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
  const state = q('state');
  if (state) {
    if (!(INSTANCE_STATE_FILTERS as readonly string[]).includes(state)) {
      throw validation(`invalid 'state' query param: expected one of ${INSTANCE_STATE_FILTERS.join(', ')}, got '${state.slice(0, 40)}'`);
    }
    f.state = state as InstanceStateFilter;
  }
  for (const key of ['stageStartedBefore', 'resumesAfter', 'endedAfter', 'endedBefore'] as const) {
    const v = q(key);
    if (!v) continue;
    const date = parseRfc3339(v);
    if (!date) throw validation(`invalid '${key}' query param: expected an RFC 3339 date, got '${v.slice(0, 40)}'`);
    f[key] = date.toISOString();
  }
  const minRetries = q('minRetries');
  if (minRetries) {
    if (!/^\d{1,6}$/.test(minRetries) || Number(minRetries) < 1) {
      throw validation(`invalid 'minRetries' query param: expected a whole number of failed attempts, 1 or more, got '${minRetries.slice(0, 40)}'`);
    }
    f.minRetries = Number(minRetries);
  }
  for (const key of ['reason', 'pendingAsset', 'pendingSource'] as const) {
    const v = q(key);
    if (v === undefined || v === '') continue;
    if (v.length > 400) throw validation(`invalid '${key}' query param: longer than 400 characters`);
    f[key] = v;
  }
  if (f.pendingSource && !f.pendingAsset) throw validation(`invalid 'pendingSource' query param: only with 'pendingAsset'`);
  const sort = q('sort');
  if (sort) {
    const [by, dir = 'asc', ...rest] = sort.split(':');
    if (!(INSTANCE_SORT_FIELDS as string[]).includes(by!) || (dir !== 'asc' && dir !== 'desc') || rest.length) {
      throw validation(
        `invalid 'sort' query param: expected <field>:asc or <field>:desc with field one of ${INSTANCE_SORT_FIELDS.join(', ')}, got '${sort.slice(0, 40)}'`,
      );
    }
    f.sort = { by: by as InstanceSortField, desc: dir === 'desc' };
  }
  const vars = q('vars');
  if (vars?.trim()) {
    try {
      const conditions = parseVariableFilter(vars);
      if (conditions.length) f.vars = formatVariableFilter(conditions);
    } catch (err) {
      if (err instanceof VariableFilterError) throw validation(`invalid 'vars' query param: ${err.message}`);
      throw err;
    }
  }
  return f;
}

/** Every list filter of the embedded service, from query parameters (exports, bulk jobs). */
export function parseListFilters(q: (name: string) => string | undefined): InstanceFilters {
  const f: InstanceFilters = parseInstanceListFilters(q);
  const workflowID = q('workflowID');
  if (workflowID) f.workflowID = workflowID;
  if (isTrue(q('running'))) f.running = true;
  return f;
}

/** Filters both the query parameters and a cursor carry, that only the embedded service honours. */
const EMBEDDED_FILTERS = [
  'status',
  'startedAfter',
  'startedBefore',
  'origin',
  'triggerID',
  'order',
  'vars',
  'state',
  'stageStartedBefore',
  'minRetries',
  'resumesAfter',
  'reason',
  'endedAfter',
  'endedBefore',
  'pendingAsset',
  'pendingSource',
  'sort',
];

/** The parameters only the embedded service honours (upstream Flows ignores them). */
const CONSOLE_ONLY = [...EMBEDDED_FILTERS, 'id'];

/**
 * The list filters a Formance stack honours (workflowID, running), from query parameters; the
 * others are a 400 rather than silently ignored: an export or a bulk job must not act on more
 * instances than the filter said.
 */
export function parseStackListFilters(q: (name: string) => string | undefined): StackFilters {
  const unsupported = CONSOLE_ONLY.find((name) => q(name));
  if (unsupported) throw validation(`invalid '${unsupported}' query param: the stack filters instances by workflowID and running only (remote mode)`);
  const f: StackFilters = {};
  const workflowID = q('workflowID');
  if (workflowID) f.workflowID = workflowID;
  if (isTrue(q('running'))) f.running = true;
  return f;
}

const CURSOR_FILTER_KEYS = ['workflowID', 'running', 'idContains', ...EMBEDDED_FILTERS];

/** Re-validates instance filters carried by a cursor with the query-param rules. */
export function checkInstanceFilters(raw: Record<string, unknown>): InstanceFilters {
  onlyKeys(raw, CURSOR_FILTER_KEYS);
  const status = raw.status;
  if (status !== undefined && !(Array.isArray(status) && status.every((v) => typeof v === 'string'))) throw new Error('status');
  if (raw.running !== undefined && typeof raw.running !== 'boolean') throw new Error('running');
  if (raw.minRetries !== undefined && !Number.isSafeInteger(raw.minRetries)) throw new Error('minRetries');
  const sort = raw.sort as { by?: unknown; desc?: unknown } | undefined;
  if (sort !== undefined && (typeof sort !== 'object' || sort === null || typeof sort.by !== 'string' || typeof sort.desc !== 'boolean')) throw new Error('sort');
  const extras = parseInstanceListFilters((name) =>
    name === 'status'
      ? (status as string[] | undefined)?.join(',')
      : name === 'minRetries'
        ? (raw.minRetries as number | undefined)?.toString()
        : name === 'sort'
          ? sort && `${sort.by}:${sort.desc ? 'desc' : 'asc'}`
          : optionalString(raw, name === 'id' ? 'idContains' : name),
  );
  const f: InstanceFilters = { ...extras };
  const workflowID = optionalString(raw, 'workflowID');
  if (workflowID) f.workflowID = workflowID;
  if (raw.running === true) f.running = true;
  return f;
}
