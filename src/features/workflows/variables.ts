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
  /**
   * Left blank, this use breaks its stage: the field is required (an account id, an event name, a
   * delay, an amount to send…), or the variable is only part of a value (`users:${userID}`
   * becomes `users:`). A blank whole value of a field with a default or an optional field counts
   * as absent, which is fine.
   */
  neededWhenBlank: boolean;
}

export interface WorkflowVariable {
  name: string;
  uses: VariableUse[];
}

/** Fields whose blank value counts as absent without harm (a default applies, or they are optional). */
const OPTIONAL_KEYS = new Set([
  'ledger',
  'throughAccount',
  'allowOverdraft',
  'balance',
  'holdingAccount',
  'psp',
  'type',
  'sourceAccount',
  'waitingValidation',
  'connectorId',
  'connectorID',
  'timestamp',
]);

function neededWhenBlank(path: readonly (string | number)[], whole: boolean, root: unknown): boolean {
  // Only stages run (the workflow's name, say, is not resolved).
  if (path[0] !== 'stages' && typeof path[0] !== 'number') return false;
  // Metadata values are free text: blank is a value like any other.
  if (path.slice(0, -1).includes('metadata')) return false;
  if (!whole) return true;
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof key === 'string' && OPTIONAL_KEYS.has(key)) return false;
  // The metadata key a payment destination reads the PSP account from has a default.
  if (key === 'metadata' && parent === 'payment') return false;
  // A send from a payment moves the payment's own amount when none is given.
  if (key === 'amount' && parent === 'amount') return sendSource(root, path) !== 'payment';
  return true;
}

/** The source kind of the send stage a path points into (`account`, `wallet`, `payment`). */
function sendSource(root: unknown, path: readonly (string | number)[]): string | undefined {
  let node: unknown = root;
  for (const p of path.slice(0, path.indexOf('send') + 1)) node = (node as Record<string | number, unknown> | undefined)?.[p];
  const source = (node as { source?: Record<string, unknown> } | undefined)?.source;
  return source ? Object.keys(source).find((k) => source[k] != null) : undefined;
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
        uses.push({
          path: formatPath(path),
          ...(stage !== undefined ? { stage } : {}),
          kind: whole ? fieldKind(path) : 'text',
          neededWhenBlank: neededWhenBlank(path, !!whole, value),
        });
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

/** The uses a blank value would break (empty when the variable may be left blank). */
export function usesNeedingValue(variable: WorkflowVariable): VariableUse[] {
  return variable.uses.filter((u) => u.neededWhenBlank);
}

/**
 * Why `value` will fail the stages that use the variable, or undefined. An empty value counts as
 * absent at run time (the field's default applies); whether blank is allowed is
 * `usesNeedingValue`'s question.
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
