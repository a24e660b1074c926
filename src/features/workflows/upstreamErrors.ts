/**
 * Upstream Flows (remote mode) refuses an invalid stage at create time with HTTP 500
 * `creating workflow: resolving field 'Source': resolving field 'Account': …`: Go field names,
 * no stage index, first problem only. This reads such a message back onto the definition: the Go
 * names become JSON keys, and the stage is the first one whose value at that place is what the
 * message complains about (upstream checks stages in order and stops at the first problem).
 */
import { ApiError } from '../../api/errors';
import type { JsonPath, ServerProblem } from './serverErrors';

const PREFIX = 'creating workflow: ';

/** Whether `error` is upstream's create-time refusal of a definition. */
export function isUpstreamCreateRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 500 && error.errorMessage.startsWith(PREFIX);
}

/** Go field name → JSON key (the stage structs' tags: `ID` → `id`, `ConnectorID` → `connectorId`). */
function jsonKey(goName: string): string {
  if (goName === 'ID' || goName === 'PSP') return goName.toLowerCase();
  if (goName === 'ConnectorID') return 'connectorId';
  return goName[0]!.toLowerCase() + goName.slice(1);
}

/** Go's `%T` of a JSON value. */
function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** With no variables, every `${…}` is the empty string (how upstream checks at create). */
const withoutVars = (v: string) => v.replace(/\$\{[^}]+\}/g, '');

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObj(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Whether `value` is what `leaf` (the innermost message) complains about. */
function fits(value: unknown, leaf: string): boolean {
  const wasType = /(?:but was|got type:) (.+)$/.exec(leaf)?.[1];
  if (wasType) return goType(value) === wasType || (isObj(value) && Object.values(value).some((v) => goType(v) === wasType));
  const big = /^unable to parse '(.*)' as big int$/.exec(leaf);
  if (big) return (typeof value === 'string' || typeof value === 'number') && withoutVars(String(value)) === big[1];
  if (/to bool value$/.test(leaf)) return typeof value === 'string' && !['true', 'false'].includes(withoutVars(value).toLowerCase());
  if (/to duration value$|rfc3339/.test(leaf)) return typeof value === 'string';
  return false;
}

/** Said after the stack's words when a `${variable}` is where it refused a value. */
const VARIABLE_HINT = ' — the stack checks this value without variables when the workflow is created, so it cannot come from a ${variable}';

/** The problem in upstream's create refusal, placed on the definition where possible. */
export function parseUpstreamCreateRefusal(errorMessage: string, definition: unknown): ServerProblem[] {
  const text = errorMessage.slice(PREFIX.length);
  const stages: unknown[] = isObj(definition) && Array.isArray(definition.stages) ? definition.stages : [];
  const whole = (message: string, index?: number): ServerProblem[] => [{ path: index === undefined ? [] : ['stages', index], message, text: errorMessage }];
  // Stage-level refusals.
  if (text === 'empty specification')
    return whole(
      text,
      indexOf(stages, (s) => isObj(s) && Object.keys(s).length === 0),
    );
  if (text === 'a specification should have only one name')
    return whole(
      text,
      indexOf(stages, (s) => isObj(s) && Object.keys(s).length > 1),
    );
  const schema = /^unable to resolve schema (.+)$/.exec(text);
  if (schema)
    return whole(
      text,
      indexOf(stages, (s) => isObj(s) && Object.keys(s)[0] === schema[1]),
    );
  // Field refusals: `resolving field 'A': resolving field 'B': <leaf>`.
  const fields: string[] = [];
  let rest = text;
  for (let m = /^resolving field '(\w+)': /.exec(rest); m; m = /^resolving field '(\w+)': /.exec(rest)) {
    fields.push(jsonKey(m[1]!));
    rest = rest.slice(m[0].length);
  }
  if (!fields.length) return whole(text);
  const at = (i: number) => {
    const stage = stages[i];
    if (!isObj(stage)) return undefined;
    const kind = Object.keys(stage)[0]!;
    return { kind, value: valueAt(stage[kind], fields) };
  };
  let index = indexOf(stages, (_, i) => {
    const v = at(i);
    return !!v && fits(v.value, rest);
  });
  // Nothing fits exactly: the first stage whose kind has that field's parent.
  index ??= indexOf(stages, (s, i) => {
    const v = at(i);
    return !!v && (fields.length === 1 || isObj(valueAt((s as Record<string, unknown>)[v.kind], fields.slice(0, -1))));
  });
  if (index === undefined) return whole(text);
  const kind = at(index)!.kind;
  const value = at(index)!.value;
  const path: JsonPath = ['stages', index, kind, ...fields];
  const hint = typeof value === 'string' && /\$\{[^}]+\}/.test(value) ? VARIABLE_HINT : '';
  return [{ path, message: `${rest}${hint}`, text: errorMessage }];
}

function indexOf(stages: unknown[], test: (stage: unknown, index: number) => boolean): number | undefined {
  const i = stages.findIndex(test);
  return i < 0 ? undefined : i;
}
