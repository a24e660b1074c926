/**
 * What a run already did with money, read from its stages' activity history: the ledger
 * transactions it created, the wallets it credited or debited, the transfers it initiated. The
 * rerun dialog lists them before a rerun, so that nobody pays twice by accident.
 */
import type { ActivityLike } from './progress';
import { describeActivity, sentenceContext, type Part } from './sentences';

/** Activities that move money (a transaction, a wallet movement, a payout, a hold confirmed). */
const MOVING = new Set(['CreateTransaction', 'RevertTransaction', 'CreditWallet', 'DebitWallet', 'ConfirmHold', 'CreateTransferInitiation', 'StripeTransfer']);

export interface MoneyMove {
  /** 0-based stage */
  stage: number;
  /** the activity's sentence (amounts, accounts, ledger, transaction id as parts) */
  parts: Part[];
  /** still running when read: it may or may not have moved the money yet */
  inFlight: boolean;
  /** ledger transactions it created, by ledger and id */
  transactions: { ledger: string; id: string }[];
}

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);

/** Every activity of these stages that moved (or may be moving) money; failed attempts are left out. */
export function movedMoney(stages: readonly { stage: number; activities: readonly ActivityLike[] }[]): MoneyMove[] {
  return stages.flatMap(({ stage, activities }) => {
    const ctx = sentenceContext(activities);
    return activities
      .filter((a) => MOVING.has(a.name) && !a.error)
      .map((a) => {
        const parts = describeActivity(a, ctx);
        const transactions = parts.flatMap((p) => (typeof p === 'object' && 'transaction' in p ? [{ ledger: p.ledger, id: String(p.transaction) }] : []));
        return { stage, parts, inFlight: !a.terminated, transactions };
      });
  });
}

/** The started stages that may have moved money (`send` stages; every stage when the kinds are unknown). */
export function stagesThatMayMove(instance: { status?: readonly { stage: number }[] | null; workflow?: { config: { stages: readonly unknown[] } } }): number[] {
  const stages = instance.workflow?.config.stages;
  return [...new Set((instance.status ?? []).map((s) => s.stage))]
    .filter((n) => !stages || stages[n] === undefined || obj(stages[n])?.send !== undefined)
    .sort((a, b) => a - b);
}
