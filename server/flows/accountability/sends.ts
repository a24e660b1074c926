import { resolveStage } from '../../stages/index.js';

/**
 * The money a run would move, read from its workflow's definition and its variables, before it
 * runs: each `send` stage resolved as the engine will resolve it (stages/). What four eyes
 * compares with the approval limits, and what the approver sees.
 *
 * This is the seam for a dry-run: a simulation that runs the stages against the ledger (the
 * balances a `send` from a wallet or a payment would really take) can replace {@link plannedSends}
 * by implementing the same {@link RunPlan}.
 */

export interface PlannedSend {
  /** 0-based, as the API counts stages */
  stage: number;
  /** `account world (ledger default)`, `wallet 3f2… (balance main)`, `payment p-1` */
  source: string;
  destination: string;
  asset?: string;
  /** minor units, decimal; absent when the run decides it (a send of a payment's whole amount) */
  amount?: string;
}

export interface RunPlan {
  sends: PlannedSend[];
  /** a stage the variables cannot resolve: the run fails there, and later stages never run */
  stopsAt?: { stage: number; error: string };
}

function side(s: Record<string, any> | undefined): string {
  if (!s) return 'unknown';
  if (s.account) return `account ${s.account.id} (ledger ${s.account.ledger})`;
  if (s.wallet) return `wallet ${s.wallet.name ? `'${s.wallet.name}'` : s.wallet.id} (balance ${s.wallet.balance})`;
  if (s.payment) return s.payment.id ? `payment ${s.payment.id}` : `payment via ${s.payment.psp ?? 'a connector'}`;
  return 'unknown';
}

/** The sends of a definition's stages with these variables, up to the first stage that cannot resolve. */
export function plannedSends(stages: unknown, variables: Record<string, string>): RunPlan {
  const plan: RunPlan = { sends: [] };
  if (!Array.isArray(stages)) return plan;
  for (let i = 0; i < stages.length; i++) {
    const resolved = resolveStage(stages[i], variables);
    if ('error' in resolved) {
      plan.stopsAt = { stage: i, error: resolved.error };
      return plan;
    }
    if (resolved.kind !== 'send') continue;
    const input = resolved.input as Record<string, any>;
    const send: PlannedSend = { stage: i, source: side(input.source), destination: side(input.destination) };
    if (input.amount?.asset) send.asset = String(input.amount.asset);
    if (typeof input.amount?.amount === 'bigint') send.amount = input.amount.amount.toString();
    plan.sends.push(send);
  }
  return plan;
}

/** Why a run needs approval. */
export type HeldBecause =
  | { kind: 'workflow' }
  | { kind: 'amount'; asset: string; total: string; limit: string }
  | { kind: 'unknown-amount'; stage: number; asset?: string }
  | { kind: 'requested' };

/**
 * The limits a plan goes over: per asset, the total of its sends against the limit; a send whose
 * amount only the run decides (a payment's whole amount) counts as over when its asset has a
 * limit, or when it names no asset while any limit is set.
 */
export function overLimits(plan: RunPlan, limits: Record<string, string>): HeldBecause[] {
  const assets = Object.keys(limits);
  if (assets.length === 0) return [];
  const totals = new Map<string, bigint>();
  const out: HeldBecause[] = [];
  for (const send of plan.sends) {
    if (send.amount === undefined) {
      if (send.asset === undefined || limits[send.asset] !== undefined)
        out.push({ kind: 'unknown-amount', stage: send.stage, ...(send.asset ? { asset: send.asset } : {}) });
      continue;
    }
    if (send.asset === undefined) continue;
    totals.set(send.asset, (totals.get(send.asset) ?? 0n) + BigInt(send.amount));
  }
  for (const [asset, total] of totals) {
    const limit = limits[asset];
    if (limit !== undefined && total > BigInt(limit)) out.push({ kind: 'amount', asset, total: total.toString(), limit });
  }
  return out;
}

/** One line per reason, for refusals and the console. */
export function heldText(reason: HeldBecause): string {
  switch (reason.kind) {
    case 'workflow':
      return 'the workflow requires approval for every run';
    case 'amount':
      return `its sends move ${reason.total} ${reason.asset}, more than the limit of ${reason.limit}`;
    case 'unknown-amount':
      return `stage ${reason.stage + 1} sends an amount only known when it runs${reason.asset ? ` (${reason.asset})` : ''}`;
    case 'requested':
      return 'its requester asked for a second pair of eyes';
  }
}
