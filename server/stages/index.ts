import { describe, Problems, resolveObject, withoutHiddenDefaults } from './fields.js';
import { isStageKind, STAGE_KINDS, type StageKind } from './kinds.js';
import { formatGoDuration } from '../../common/duration.js';

export { variablesOf, interpolate } from './interpolate.js';
export { STAGE_KINDS, type StageKind } from './kinds.js';
export { formatGoDuration, parseGoDuration } from '../../common/duration.js';

/** A stage object must have exactly one key, a known kind (upstream messages kept). */
function kindOf(stage: unknown, path: string): { kind: StageKind; config: unknown } | string {
  if (typeof stage !== 'object' || stage === null || Array.isArray(stage)) return `${path}: expected an object, got ${describe(stage)}`;
  const keys = Object.keys(stage);
  if (keys.length === 0) return `${path}: empty specification`;
  if (keys.length > 1) return `${path}: a specification should have only one name`;
  if (!isStageKind(keys[0])) return `${path}: unable to resolve schema ${keys[0]}`;
  return { kind: keys[0], config: (stage as Record<string, unknown>)[keys[0]] };
}

/**
 * Create-time check of a whole definition: shapes, literal values, and every required /
 * exactly-one-of rule that does not depend on variables. Returns problems naming the field.
 */
export function checkStages(stages: unknown): string[] {
  if (!Array.isArray(stages)) return [`stages: expected an array, got ${describe(stages)}`];
  const out: string[] = [];
  stages.forEach((stage, i) => {
    const path = `stages[${i}]`;
    const k = kindOf(stage, path);
    if (typeof k === 'string') return void out.push(k);
    if (k.kind === 'noop') {
      if (typeof k.config !== 'object' || k.config === null || Array.isArray(k.config)) out.push(`${path}.noop: expected an object, got ${describe(k.config)}`);
      return;
    }
    const problems = new Problems();
    const resolved = resolveObject({ ...STAGE_KINDS[k.kind].spec, required: true }, k.config, null, `${path}.${k.kind}`, STAGE_KINDS[k.kind].spec.go, problems);
    out.push(...problems.create);
    if (k.kind === 'send' && resolved && problems.ok) out.push(...checkSendPair(resolved, `${path}.send`, k.config as Record<string, any>));
  });
  return out;
}

function checkSendPair(send: Record<string, any>, path: string, raw: Record<string, any>): string[] {
  const src = Object.keys(raw.source ?? {}).find((k) => raw.source[k] != null);
  const dst = Object.keys(raw.destination ?? {}).find((k) => raw.destination[k] != null);
  if (src === 'payment' && dst === 'payment') return [`${path}: send from payment to payment is not supported`];
  if (src !== 'payment' && raw.amount == null) return [`${path}.amount: amount must be specified`];
  if (raw.amount != null && raw.amount.amount == null && src !== 'payment') return [`${path}.amount.amount: required`];
  return [];
}

/**
 * The values a run's variables would give typed fields that are out of every stage's bounds (an
 * amount past the ledger's bound, a delay beyond Go's limit or negative), each naming its field:
 * checked when a run is asked for, so an absurd value is a 400 and nothing starts. A malformed
 * value (`12.50` for an amount) and required / exactly-one-of rules stay run-time stage failures,
 * as upstream. Values written in the definition were checked at create.
 */
export function checkRunValues(stages: unknown, vars: Record<string, string>): string[] {
  if (!Array.isArray(stages)) return [];
  const out: string[] = [];
  stages.forEach((stage, i) => {
    const k = kindOf(stage, `stages[${i}]`);
    if (typeof k === 'string' || k.kind === 'noop') return;
    const problems = new Problems();
    resolveObject({ ...STAGE_KINDS[k.kind].spec, required: true }, k.config, vars, `stages[${i}].${k.kind}`, STAGE_KINDS[k.kind].spec.go, problems);
    out.push(...problems.bounds);
  });
  return out;
}

export interface ResolvedStage {
  kind: StageKind;
  runName: string;
  /** resolved config in memory (amounts as bigint, durations in nanoseconds as bigint, dates as Date) */
  input: any;
}

/** Run-time resolution of one stage with the run's variables; error = upstream validator text. */
export function resolveStage(stage: unknown, vars: Record<string, string>): ResolvedStage | { error: string } {
  const k = kindOf(stage, 'stage');
  if (typeof k === 'string') return { error: k.replace(/^stage: /, '') };
  const { spec, runName } = STAGE_KINDS[k.kind];
  if (k.kind === 'noop') return { kind: k.kind, runName, input: {} };
  const problems = new Problems();
  const input = resolveObject({ ...spec, required: true }, k.config, vars, k.kind, spec.go, problems);
  if (!problems.ok || !input) return { error: (problems.run.length ? problems.run : problems.create).join('\n') };
  if (k.kind === 'send') fillSendDefaults(input);
  return { kind: k.kind, runName, input };
}

function fillSendDefaults(send: any) {
  const pay = send.source.payment;
  if (pay && !pay.holdingAccount) pay.holdingAccount = defaultHoldingAccount(pay.id);
  // The SDK requires a wallet `id` even for wallets referenced by name (docs/compatibility.md: stage history shapes).
  for (const side of [send.source, send.destination]) if (side.wallet && side.wallet.id === undefined) side.wallet.id = '';
}

const defaultHoldingAccount = (paymentID: unknown) => `payment:${String(paymentID).replaceAll('-', '_')}`;

/**
 * A stored stage input as stage history answers it, so that every SDK of the seeds decodes it:
 * fields older SDKs do not know are left out while they hold their default (`hiddenAtDefault`,
 * and a payment source's derived holding account), and kept when they were set to anything else.
 */
export function historyView(runName: string, input: unknown): unknown {
  const kind = Object.values(STAGE_KINDS).find((k) => k.runName === runName);
  if (!kind || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const view: Record<string, any> = withoutHiddenDefaults(kind.spec, input as Record<string, unknown>);
  const pay = view.source?.payment;
  if (pay && pay.holdingAccount === defaultHoldingAccount(pay.id)) delete pay.holdingAccount;
  return view;
}

/** The resolved input as stage history shows it: exact amounts (bigint), Go durations, UTC dates. */
export function historyInput(input: unknown): unknown {
  return toHistory(input, '');
}

function toHistory(v: unknown, key: string): unknown {
  if (typeof v === 'bigint') return key === 'duration' ? formatGoDuration(v) : v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => toHistory(x, ''));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toHistory(x, k)]));
  return v;
}
