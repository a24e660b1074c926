import { checkAmount } from '../../common/amount.js';
import { checkDelayDuration, delayDurationProblem } from '../../common/duration.js';
import { parseRfc3339 } from '../../common/rfc3339.js';
import { hasPlaceholder, interpolate } from './interpolate.js';

/**
 * A small schema language for stage configs. One description per stage kind serves both the
 * create-time check (no variables: placeholders are unknown values) and the run-time resolution
 * (variables substituted, defaults filled), so the two can never disagree.
 */
export type Field =
  | { t: 'string'; go: string; default?: string; required?: boolean; enum?: string[]; upper?: boolean; hiddenAtDefault?: boolean }
  | { t: 'bool'; go: string; default?: boolean; hiddenAtDefault?: boolean }
  | { t: 'amount'; go: string }
  | { t: 'duration'; go: string }
  | { t: 'date'; go: string }
  | { t: 'map'; go: string; required?: boolean }
  | ObjectField;

/**
 * `hiddenAtDefault`: stage history leaves the field out while it holds its default. Older SDKs
 * (the Go SDK v2.0.0-beta.10) decode a stage input strictly and do not know these fields.
 */
export interface ObjectField {
  t: 'object';
  go: string;
  fields: Record<string, Field>;
  required?: boolean;
  /** exactly one of these keys must be given */
  oneOf?: string[];
  /** accepted spellings: alias → key */
  aliases?: Record<string, string>;
}

/** Collects problems with their JSON path (create) and Go validator lines (run). */
export class Problems {
  readonly create: string[] = [];
  readonly run: string[] = [];
  /**
   * Values beyond what any stage can take (an amount past the ledger's bound, a delay beyond Go's
   * limit or negative): refused when a run is asked for. A malformed value stays a run-time stage
   * failure, as upstream.
   */
  readonly bounds: string[] = [];
  add(path: string, message: string, outOfBounds = false) {
    this.create.push(`${path}: ${message}`);
    if (outOfBounds) this.bounds.push(`${path}: ${message}`);
  }
  addRule(goKey: string, goField: string, tag: string, path: string, message: string) {
    this.run.push(`Key: '${goKey}' Error:Field validation for '${goField}' failed on the '${tag}' tag`);
    this.create.push(`${path}: ${message}`);
  }
  get ok() {
    return this.create.length === 0;
  }
}

/** vars = null: create-time check, where a value with a placeholder is unknown (not checked). */
export type Vars = Record<string, string> | null;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function resolveObject(spec: ObjectField, value: unknown, vars: Vars, path: string, goPath: string, problems: Problems): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    if (spec.required) problems.addRule(goPath, spec.go, 'required', path, 'required');
    return undefined;
  }
  if (!isPlainObject(value)) {
    problems.add(path, `expected an object, got ${describe(value)}`);
    return undefined;
  }
  const source: Record<string, unknown> = { ...value };
  for (const [alias, key] of Object.entries(spec.aliases ?? {})) {
    if (source[alias] !== undefined && source[key] === undefined) source[key] = source[alias];
    delete source[alias];
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec.fields)) {
    const v = resolveField(field, source[key], vars, `${path}.${key}`, `${goPath}.${field.go}`, problems);
    if (v !== undefined) out[key] = v;
  }
  if (spec.oneOf) {
    // A key counts as given when present and not empty after interpolation, even if invalid
    // (its own problem is reported above).
    const given = spec.oneOf.filter((k) => {
      const raw = source[k];
      if (raw === undefined || raw === null) return false;
      return typeof raw !== 'string' || isUnknown(raw, vars) || (vars ? interpolate(raw, vars) : raw) !== '';
    });
    if (given.length !== 1) {
      const tag = spec.oneOf.join(' or ');
      for (const k of spec.oneOf) problems.run.push(`Key: '${goPath}.${k}' Error:Field validation for '${k}' failed on the '${tag}' tag`);
      problems.create.push(
        `${path}: ${given.length === 0 ? 'one of' : 'only one of'} ${spec.oneOf.map((k) => `'${k}'`).join(', ')} ${given.length === 0 ? 'is required' : `may be given, got ${given.join(' and ')}`}`,
      );
    }
  }
  return out;
}

/** At create time a string with a placeholder may resolve to anything, even empty. */
function isUnknown(v: unknown, vars: Vars): boolean {
  return vars === null && typeof v === 'string' && hasPlaceholder(v);
}

function resolveField(field: Field, raw: unknown, vars: Vars, path: string, goPath: string, problems: Problems): unknown {
  if (field.t === 'object') return resolveObject(field, raw, vars, path, goPath, problems);
  if (raw === undefined || raw === null) return missing(field, path, goPath, problems);

  if (field.t === 'map') {
    if (!isPlainObject(raw)) {
      problems.add(path, `expected an object of strings, got ${describe(raw)}`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string') {
        problems.add(`${path}.${k}`, `expected a string, got ${describe(v)}`);
        continue;
      }
      out[k] = vars ? interpolate(v, vars) : v;
    }
    return out;
  }

  if (field.t === 'bool' && typeof raw === 'boolean') return raw;
  if (field.t === 'amount' && (typeof raw === 'number' || typeof raw === 'bigint')) return amountOf(raw, path, problems);
  if (typeof raw !== 'string') {
    const expected = field.t === 'bool' ? 'a boolean' : field.t === 'amount' ? 'an integer' : 'a string';
    problems.add(path, `expected ${expected}, got ${describe(raw)}`);
    return undefined;
  }
  if (isUnknown(raw, vars)) return raw;
  const text = vars ? interpolate(raw, vars) : raw;
  // A value that interpolates to empty counts as absent (docs/compatibility.md: templated booleans and empty values).
  if (text === '') return missing(field, path, goPath, problems);

  switch (field.t) {
    case 'string': {
      const v = field.upper ? text.toUpperCase() : text;
      if (field.enum && !field.enum.includes(v)) {
        problems.add(path, `must be one of ${field.enum.join(', ')}, got '${text}'`);
        return undefined;
      }
      return v;
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      problems.add(path, `unable to resolve field 'bool' to bool value: expected true or false, got '${text}'`);
      return undefined;
    }
    case 'amount': {
      if (!/^\d+$/.test(text)) {
        problems.add(path, `unable to parse '${text.length > 40 ? `${text.slice(0, 40)}…` : text}' as big int: amounts are non-negative integers in minor units`);
        return undefined;
      }
      return amountOf(text, path, problems);
    }
    case 'duration': {
      // Beyond Go's int64 range, or negative: refused at create and when a run is asked for.
      const checked = checkDelayDuration(text);
      if ('issue' in checked) {
        problems.add(path, delayDurationProblem(text)!, checked.issue !== 'syntax');
        return undefined;
      }
      return checked.ns;
    }
    case 'date': {
      const d = parseRfc3339(text);
      if (!d) {
        problems.add(path, `expected date as rfc3339 format, got '${text}'`);
        return undefined;
      }
      return d;
    }
  }
}

/** An amount within the ledger's bound (common/amount.ts), or its problem. */
function amountOf(raw: number | bigint | string, path: string, problems: Problems): bigint | undefined {
  if (typeof raw === 'number' && !Number.isInteger(raw)) {
    problems.add(path, `unable to parse '${raw}' as big int: amounts are integers in minor units`);
    return undefined;
  }
  const checked = checkAmount(raw);
  if ('problem' in checked) {
    problems.add(
      path,
      checked.problem === 'negative amount' ? `amount must not be negative, got ${raw}` : checked.problem,
      checked.problem.startsWith('amount too large'),
    );
    return undefined;
  }
  return checked.amount;
}

function missing(field: Field, path: string, goPath: string, problems: Problems): unknown {
  if ('default' in field && field.default !== undefined) return field.default;
  if ('required' in field && field.required) problems.addRule(goPath, field.go, 'required', path, 'required');
  return undefined;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** A resolved config without the `hiddenAtDefault` fields that hold their default (a copy). */
export function withoutHiddenDefaults(spec: ObjectField, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = spec.fields[key];
    if (field && 'hiddenAtDefault' in field && field.hiddenAtDefault && v === field.default) continue;
    out[key] = field?.t === 'object' && isPlainObject(v) ? withoutHiddenDefaults(field, v) : v;
  }
  return out;
}
