/**
 * The one client-side check of a definition, before the server sees it: the JSON Schema of
 * `schema.ts` (the editors' own rules) and the builder's field rules (`formValidation.ts`), as one
 * list of problems with JSON paths. The authoring page blocks saving on it, lists it, and marks
 * each problem on its builder field or editor line, so every view counts the same problems.
 */
import { Validator, type OutputUnit } from '@cfworker/json-schema';
import { definitionToForm, type StageForm } from './form';
import { stageIssues } from './formValidation';
import { workflowSchema } from './schema';

export type JsonPath = (string | number)[];

export interface DefinitionProblem {
  path: JsonPath;
  message: string;
  /**
   * A key the server does not read (it keeps the definition as written but ignores the key), so
   * saving anyway is possible — but the key has no effect, which is usually a typo.
   */
  ignoredKey?: true;
}

type Schema = Record<string, unknown>;

let validator: Validator | undefined;

/** `#/stages/0/send` → ['stages', 0, 'send']. */
function pointer(location: string): JsonPath {
  return location
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The schema node a keyword location points into (the object holding the keyword). */
function schemaAt(keywordLocation: string): Schema | undefined {
  let node: unknown = workflowSchema;
  const path = pointer(keywordLocation);
  for (const seg of path.slice(0, -1)) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node && typeof node === 'object' ? (node as Schema) : undefined;
}

const quoted = /"([^"]*)"/;

/** One readable problem per schema failure that is about the value itself (not its wrappers). */
function schemaProblems(definition: unknown): DefinitionProblem[] {
  validator ??= new Validator(workflowSchema as never, '7', false);
  const { errors } = validator.validate(definition);
  const falseAt = new Set(errors.filter((e) => e.keyword === 'false').map((e) => e.instanceLocation));
  const out: DefinitionProblem[] = [];
  for (const e of errors) {
    const problem = readable(e, falseAt);
    if (problem) out.push(problem);
  }
  return out;
}

function readable(e: OutputUnit, falseAt: Set<string>): DefinitionProblem | undefined {
  // Failures of alternatives (oneOf branches, if/then) are summed up by their parent.
  if (/\/oneOf\/\d+\//.test(e.keywordLocation)) return undefined;
  const at = pointer(e.instanceLocation);
  const node = schemaAt(e.keywordLocation);
  const custom = typeof node?.errorMessage === 'string' ? node.errorMessage : undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = quoted.exec(e.error)?.[1];
      // Only keys the schema forbids (a map's own value errors are reported on the value).
      if (key === undefined || (!falseAt.has(`${e.instanceLocation}/${encodeURIComponent(key)}`) && !falseAt.has(`${e.instanceLocation}/${key}`))) return undefined;
      if (at.length === 2 && at[0] === 'stages' && custom) return { path: [...at, key], message: custom };
      return { path: [...at, key], message: `Property ${key} is not allowed.`, ignoredKey: true };
    }
    case 'required': {
      const key = quoted.exec(e.error)?.[1] ?? '';
      return { path: [...at, key], message: `Missing property "${key}".` };
    }
    case 'oneOf': {
      const alternatives = (node?.oneOf as Schema[] | undefined)?.flatMap((s) => (s.required as string[] | undefined) ?? []) ?? [];
      const list = alternatives.map((k) => `"${k}"`).join(' or ');
      return { path: at, message: /0 matches/.test(e.error) ? `Give one of ${list}.` : `Give only one of ${list}.` };
    }
    case 'pattern':
      return { path: at, message: typeof node?.patternErrorMessage === 'string' ? node.patternErrorMessage : 'Invalid value.' };
    case 'type': {
      const type = node?.type;
      const expected = Array.isArray(type) ? type.join(' or ') : String(type);
      return { path: at, message: `Incorrect type. Expected ${expected}.` };
    }
    case 'minProperties':
    case 'maxProperties': {
      const keys = Object.keys((node?.properties as Schema | undefined) ?? {});
      if (at.length === 2 && at[0] === 'stages') return { path: at, message: 'A stage has exactly one key, its kind: send, delay, wait_event, update or noop.' };
      return { path: at, message: `Give exactly one of ${keys.map((k) => `"${k}"`).join(', ')}.` };
    }
    case 'minLength':
      return { path: at, message: 'Must not be empty.' };
    case 'maxLength':
      return { path: at, message: `At most ${String(node?.maxLength)} characters.` };
    case 'maxItems':
      return { path: at, message: `At most ${String(node?.maxItems)} stages.` };
    case 'minimum':
      return { path: at, message: 'Must not be negative.' };
    case 'not':
    case 'const':
    case 'enum':
      return { path: at, message: custom ?? 'Invalid value.' };
    default:
      // Wrappers (properties, items, if/then/else, false) say nothing of their own.
      return undefined;
  }
}

/** Builder rules of one stage, on the definition's own paths (the form's `ref`, `kind`, rows mapped back). */
function ruleProblems(stage: StageForm, index: number): DefinitionProblem[] {
  if (stage.kind === 'raw') return [];
  return stageIssues(stage).map((issue) => {
    const path: JsonPath = [...issue.path];
    const last = path.length - 1;
    if (path[last] === 'ref' && path[last - 1] === 'wallet') {
      const side = path[1] as 'source' | 'destination';
      path[last] = stage.send[side].wallet.by;
    }
    if (path[last] === 'kind') path.pop();
    // A metadata row → its key in the definition's map.
    const rows = path.indexOf('metadata');
    if (rows >= 0 && typeof path[rows + 1] === 'number') {
      const list = stage.kind === 'send' ? stage.send.metadata : stage.update.account.metadata;
      path.splice(rows + 1, 2, list[path[rows + 1] as number]?.key ?? '');
    }
    return { path: ['stages', index, ...path], message: issue.message };
  });
}

const NAME_REQUIRED = 'Name the workflow: definitions are immutable, so it cannot be renamed later.';

/**
 * Every problem the console can see in a definition, in path order, one per path (a builder rule
 * and the schema saying the same thing count once, in the builder's words).
 */
export function definitionProblems(definition: unknown): DefinitionProblem[] {
  const byPath = new Map<string, DefinitionProblem>();
  const add = (p: DefinitionProblem) => {
    const key = JSON.stringify(p.path);
    if (!byPath.has(key)) byPath.set(key, p);
  };
  const named = definition && typeof definition === 'object' && !Array.isArray(definition) ? (definition as { name?: unknown }).name : undefined;
  if (typeof named !== 'string' || named.trim() === '') {
    if (named === undefined || typeof named === 'string') add({ path: ['name'], message: NAME_REQUIRED });
  }
  const form = definitionToForm(definition);
  const rules = form.ok ? form.form.stages.flatMap(ruleProblems) : [];
  rules.forEach(add);
  // The schema's summary of a field the rules already name (a wallet without its id: "give one
  // of id or name") is the same problem.
  const within = (outer: JsonPath, inner: JsonPath) => inner.length > outer.length && outer.every((seg, i) => inner[i] === seg);
  schemaProblems(definition)
    .filter((p) => !rules.some((r) => within(p.path, r.path)))
    .forEach(add);
  return [...byPath.values()];
}

export { NAME_REQUIRED };
