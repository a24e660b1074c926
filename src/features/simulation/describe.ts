/** Words for a dry-run's numbers: accounts as people know them, stops, shortfalls, the basis. */
import type { SimOutcome, SimShortfall, SimStage, SimulationBasis, WalletRef } from '../../api/simulations';
import { formatMoney } from '../../lib/money';
import { formatShort, type TimeZoneMode } from '../../lib/time';

/** `wallet “alice” (main)` for a wallet's balance account, else the address. */
export function accountLabel(account: string, wallet?: WalletRef): string {
  if (!wallet) return account;
  return `wallet ${wallet.name ? `“${wallet.name}”` : wallet.id}${wallet.balance && wallet.balance !== 'main' ? ` (${wallet.balance})` : ''}`;
}

const STAGE_KIND: Record<string, string> = { send: 'send', update: 'update', delay: 'delay', wait_event: 'wait for event', noop: 'noop' };

export function stageName(stage: Pick<SimStage, 'number' | 'kind'>): string {
  return `stage ${stage.number + 1} (${STAGE_KIND[stage.kind] ?? stage.kind})`;
}

/** `users:1 on main has 70.00 USD; the send needs 100.00 USD: 30.00 USD missing.` */
export function shortfallSentence(s: SimShortfall): string {
  const who = s.wallet ? accountLabel(s.accounts[0] ?? '', s.wallet) : s.accounts.length === 1 ? s.accounts[0] : s.accounts.join(', ');
  const where = s.wallet ? '' : ` on ${s.ledger}`;
  return `${who}${where} ${s.accounts.length > 1 && !s.wallet ? 'have' : 'has'} ${formatMoney(s.available, s.asset)}; it needs ${formatMoney(s.needed, s.asset)}: ${formatMoney(s.missing, s.asset)} missing.`;
}

/** One sentence for where the run would end. */
export function outcomeSentence(outcome: SimOutcome, stages: SimStage[]): string {
  const stage = outcome.stage !== undefined ? stages[outcome.stage] : undefined;
  const at = stage ? stageName(stage) : `stage ${(outcome.stage ?? 0) + 1}`;
  switch (outcome.status) {
    case 'succeeded':
      return 'The run would succeed.';
    case 'failed':
      return `The run would fail at ${at}: ${outcome.error ?? 'error'}`;
    case 'retrying':
      return outcome.shortfall
        ? `The run would stop at ${at} and retry until the funds are there: insufficient funds.`
        : `The run would stop at ${at} and retry until this clears: ${outcome.error ?? 'error'}`;
    case 'waiting':
      return `The run would wait at ${at} for the event “${stage?.waitEvent?.event ?? '?'}”.`;
  }
}

/** What the numbers rest on, in the reader's time zone. */
export function basisSentence(basis: SimulationBasis, tz: TimeZoneMode): string {
  const at = formatShort(basis.computedAt, tz);
  return basis.mode === 'remote'
    ? `Computed from balances at ${at}; the stack did not execute this.`
    : `Dry run on the embedded sandbox as of ${at}; nothing was written.`;
}
