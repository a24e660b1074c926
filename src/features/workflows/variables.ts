/**
 * The `${variables}` a definition uses, where, and what their values must look like — the run
 * dialog asks for each. Same pattern as the server (server/stages/interpolate.ts): a name
 * is one or more characters other than `}`; only values are interpolated, never map keys.
 */
import { amountMessage, delayDurationMessage, parseRfc3339Date } from './formats';

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** What a value must be when a variable is a whole field on its own. */
export type VariableKind = 'text' | 'amount' | 'bool' | 'duration' | 'date' | 'paymentType';

export interface VariableUse {
  /** JSON path of the field, e.g. `stages[2].send.amount.amount`. */
  path: string;
  /** 0-based stage, when the use is inside a stage. */
  stage?: number;
  kind: VariableKind;
}

export interface WorkflowVariable {
  name: string;
  uses: VariableUse[];
}

/** Every variable name, in order of first appearance (as the server lists them). */
export function variablesOf(value: unknown): string[] {
  return variableUsages(value).map((v) => v.name);
}

/** Every variable with the fields that use it, in order of first appearance. */
export function variableUsages(value: unknown): WorkflowVariable[] {
  const found = new Map<string, VariableUse[]>();
  const visit = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string') {
      const whole = /^\$\{([^}]+)\}$/.exec(v);
      for (const m of v.matchAll(PLACEHOLDER)) {
        const name = m[1]!;
        const uses = found.get(name) ?? [];
        const stage = path[0] === 'stages' && typeof path[1] === 'number' ? path[1] : undefined;
        uses.push({ path: formatPath(path), ...(stage !== undefined ? { stage } : {}), kind: whole ? fieldKind(path) : 'text' });
        found.set(name, uses);
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
  };
  visit(value, []);
  return [...found].map(([name, uses]) => ({ name, uses }));
}

/** `['stages', 0, 'send', 'amount']` → `stages[0].send.amount` (the server's notation). */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function fieldKind(path: (string | number)[]): VariableKind {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  // Values of a metadata map are free text, whatever their key.
  if (path.slice(0, -1).includes('metadata')) return 'text';
  if (key === 'amount' && parent === 'amount') return 'amount';
  if (key === 'allowOverdraft' || key === 'waitingValidation') return 'bool';
  if (key === 'duration') return 'duration';
  if (key === 'until' || key === 'timestamp') return 'date';
  if (key === 'type' && parent === 'payment') return 'paymentType';
  return 'text';
}

export const KIND_HINT: Record<VariableKind, string> = {
  text: 'text',
  amount: 'integer in minor units, e.g. 1250',
  bool: 'true or false',
  duration: 'Go duration, e.g. 30s, 1h30m',
  date: 'RFC 3339 date, e.g. 2030-01-01T00:00:00Z',
  paymentType: 'TRANSFER or PAYOUT',
};

/**
 * Why `value` will fail the stages that use the variable, or undefined. An empty value counts as
 * absent at run time (the field's default applies), so it is not flagged here.
 */
export function checkVariableValue(variable: WorkflowVariable, value: string): string | undefined {
  if (value === '') return undefined;
  for (const use of variable.uses) {
    const problem = checkKind(use.kind, value);
    if (problem) return `${problem} (used in ${use.path})`;
  }
  return undefined;
}

function checkKind(kind: VariableKind, value: string): string | undefined {
  switch (kind) {
    case 'amount':
      return /^\d+$/.test(value) ? amountMessage(value) : 'Expected an integer in minor units';
    case 'bool':
      return /^(true|false)$/i.test(value) ? undefined : 'Expected true or false';
    case 'duration':
      return delayDurationMessage(value);
    case 'date':
      return parseRfc3339Date(value) ? undefined : 'Expected an RFC 3339 date';
    case 'paymentType':
      return /^(transfer|payout)$/i.test(value) ? undefined : 'Expected TRANSFER or PAYOUT';
    default:
      return undefined;
  }
}
