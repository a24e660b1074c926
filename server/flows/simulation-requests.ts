import { ApiError, validation } from '../errors.js';
import { validateTriggerData } from '../triggers/triggers.js';
import type { BacktestTrigger } from '../triggers/backtest.js';
import { validateWorkflowConfig } from './workflows.js';

/** `POST /api/console/simulations/workflow`: a saved workflow or an unsaved definition, and run variables. */
export interface DryRunRequest {
  workflowID?: string;
  /** an unsaved definition's stages (checked as a create would check them) */
  stages?: Record<string, unknown>[];
  variables: Record<string, string>;
  /** go on past `wait_event` stages as if their event had arrived */
  assumeEvents?: boolean;
}

/** `POST /api/console/simulations/trigger`: a saved or unsaved trigger over the events of a time range. */
export interface BacktestRequest {
  triggerID?: string;
  trigger?: BacktestTrigger & { workflowID: string };
  from: Date;
  to: Date;
  /** at most this many events are scanned */
  limit: number;
  /** dry-run the workflow for each match (default true) */
  dryRun: boolean;
  assumeEvents: boolean;
}

export const BACKTEST_MAX_EVENTS = 5_000;
export const BACKTEST_DEFAULT_EVENTS = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

function optionalBoolean(b: Record<string, unknown>, key: string): boolean | undefined {
  if (b[key] === undefined || b[key] === null) return undefined;
  if (typeof b[key] !== 'boolean') throw validation(`${key}: expected a boolean, got ${kindOf(b[key])}`);
  return b[key] as boolean;
}

function optionalId(b: Record<string, unknown>, key: string): string | undefined {
  if (b[key] === undefined || b[key] === null) return undefined;
  if (typeof b[key] !== 'string' || b[key] === '') throw validation(`${key}: expected a non-empty string, got ${kindOf(b[key])}`);
  return b[key] as string;
}

function date(b: Record<string, unknown>, key: string, fallback?: Date): Date {
  const v = b[key];
  if (v === undefined || v === null) {
    if (fallback) return fallback;
    throw validation(`${key}: required (an RFC 3339 date)`);
  }
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v) || Number.isNaN(Date.parse(v))) {
    throw validation(`${key}: expected an RFC 3339 date such as 2024-07-01T10:00:00Z, got ${typeof v === 'string' ? `'${v.slice(0, 64)}'` : kindOf(v)}`);
  }
  return new Date(v);
}

/** Validates a dry-run body; messages start with the field's path. */
export function parseDryRunRequest(body: unknown): DryRunRequest {
  if (!isObject(body)) throw validation('request body: expected {workflowID | stages, variables?, assumeEvents?}');
  const workflowID = optionalId(body, 'workflowID');
  const hasStages = body.stages !== undefined && body.stages !== null;
  if (workflowID && hasStages) throw validation('stages: give either workflowID (a saved workflow) or stages (an unsaved definition), not both');
  if (!workflowID && !hasStages) throw validation('workflowID: required, or stages (an unsaved definition)');
  const req: DryRunRequest = { variables: {} };
  if (workflowID) req.workflowID = workflowID;
  else req.stages = validateWorkflowConfig({ stages: body.stages }).stages;
  if (body.variables !== undefined && body.variables !== null) {
    if (!isObject(body.variables)) throw validation(`variables: expected an object of strings, got ${kindOf(body.variables)}`);
    for (const [k, v] of Object.entries(body.variables)) {
      if (typeof v !== 'string') throw validation(`variables.${k}: expected a string, got ${kindOf(v)}`);
      req.variables[k] = v;
    }
  }
  const assume = optionalBoolean(body, 'assumeEvents');
  if (assume !== undefined) req.assumeEvents = assume;
  return req;
}

/** Validates a backtest body; an unsaved trigger is checked as a create would check it. */
export function parseBacktestRequest(body: unknown, now = new Date()): BacktestRequest {
  if (!isObject(body)) throw validation('request body: expected {triggerID | trigger, from, to?, limit?, dryRun?, assumeEvents?}');
  const triggerID = optionalId(body, 'triggerID');
  const hasTrigger = body.trigger !== undefined && body.trigger !== null;
  if (triggerID && hasTrigger) throw validation('trigger: give either triggerID (a saved trigger) or trigger (an unsaved one), not both');
  if (!triggerID && !hasTrigger) throw validation('triggerID: required, or trigger (an unsaved trigger)');
  let trigger: BacktestRequest['trigger'];
  if (hasTrigger) {
    try {
      const t = validateTriggerData(body.trigger);
      trigger = { event: t.event, version: t.version, filter: t.filter, vars: t.vars, workflowID: t.workflowID };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const m = err.message;
      throw validation(m.startsWith('request body: ') ? `trigger: ${m.slice('request body: '.length)}` : `trigger.${m}`);
    }
  }
  const to = date(body, 'to', now);
  const from = date(body, 'from');
  if (from.getTime() >= to.getTime()) throw validation('to: must be after from');
  let limit = BACKTEST_DEFAULT_EVENTS;
  if (body.limit !== undefined && body.limit !== null) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 1 || body.limit > BACKTEST_MAX_EVENTS) {
      throw validation(`limit: expected an integer from 1 to ${BACKTEST_MAX_EVENTS}, got ${typeof body.limit === 'number' ? body.limit : kindOf(body.limit)}`);
    }
    limit = body.limit;
  }
  return { triggerID, trigger, from, to, limit, dryRun: optionalBoolean(body, 'dryRun') ?? true, assumeEvents: optionalBoolean(body, 'assumeEvents') ?? false };
}
