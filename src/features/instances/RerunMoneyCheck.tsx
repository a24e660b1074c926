import { useEffect } from 'react';
import { useQueries } from '@tanstack/react-query';
import { stageHistoryQuery } from '../../api/instances';
import { errorText } from '../../api/errors';
import { useIsRemote } from '../../api/info';
import type { WorkflowInstance } from '../../api/types';
import { stageNumber } from '../../lib/stages';
import { movedMoney, stagesThatMayMove } from './movedMoney';
import type { ActivityLike } from './progress';
import { SentenceView } from './SentenceView';

/** Whether the rerun may start: `checking` while the original's history loads, `needs-confirm` until the operator says so. */
export type RerunGate = 'checking' | 'clear' | 'needs-confirm';

const warningBox =
  'mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] text-amber-900 dark:border-amber-400/40 dark:bg-amber-400/10 dark:text-amber-200';

/**
 * Before a rerun: what the original run already did with money (its send stages' activities,
 * read from the stage history — the stack's own in remote mode), with transaction ids linking to
 * the ledger. When it moved any, or may have (still running, history unreadable), the operator
 * must tick the box before Run is enabled.
 */
export function RerunMoneyCheck({
  instance,
  confirmed,
  onConfirm,
  onGate,
}: {
  instance: WorkflowInstance;
  confirmed: boolean;
  onConfirm: (confirmed: boolean) => void;
  onGate: (gate: RerunGate) => void;
}) {
  const remote = useIsRemote();
  const stages = stagesThatMayMove(instance);
  const histories = useQueries({ queries: stages.map((n) => stageHistoryQuery(instance.id, n)) });
  const pending = histories.some((h) => h.isPending);
  const failed = histories.find((h) => h.isError);
  const moves = pending ? [] : movedMoney(histories.flatMap((h, i) => (h.data ? [{ stage: stages[i]!, activities: h.data as ActivityLike[] }] : [])));
  const running = !instance.terminated;
  const gate: RerunGate = pending ? 'checking' : moves.length || failed || running ? 'needs-confirm' : 'clear';
  useEffect(() => onGate(gate), [gate, onGate]);

  if (pending) {
    return (
      <p className="mt-4 text-[13px] text-muted" role="status" data-testid="rerun-money">
        Checking what the original run already moved…
      </p>
    );
  }
  const source = remote ? 'the stack’s stage history' : 'its stage history';
  if (gate === 'clear') {
    return (
      <p className="mt-4 text-[13px] text-muted" data-testid="rerun-money">
        The original run moved no money ({stages.length ? `no transaction, wallet movement or transfer in ${source}` : 'it ran no send stage'}).
      </p>
    );
  }
  const transactions = moves.flatMap((m) => m.transactions);
  return (
    <div role="alert" className={warningBox} data-testid="rerun-money">
      {moves.length > 0 ? (
        <>
          <p className="font-medium">
            The original run already moved money. Running again moves it again
            {transactions.length ? ` (the original’s ${transactions.length === 1 ? 'transaction' : `${transactions.length} transactions`} stay as they are)` : ''}:
          </p>
          <ul className="mt-1.5 space-y-1" aria-label="Money the original run moved">
            {moves.map((m, i) => (
              <li key={i} className="[overflow-wrap:anywhere]">
                <span className="text-xs opacity-80">Stage {stageNumber(m.stage)} · </span>
                <SentenceView parts={m.parts} />
                {m.inFlight && <span className="ml-1 text-xs">(in progress when read)</span>}
              </li>
            ))}
          </ul>
          <p className="mt-1.5 text-xs opacity-80">Read from {source}.</p>
        </>
      ) : failed ? (
        <p>Could not read what the original run moved ({errorText(failed.error)}). Check its stages and the ledger before running it again.</p>
      ) : null}
      {running && <p className={moves.length || failed ? 'mt-1.5' : undefined}>The original run is still running: its later stages may move more money.</p>}
      <label className="mt-2 flex items-start gap-2 font-medium">
        <input type="checkbox" checked={confirmed} onChange={(e) => onConfirm(e.target.checked)} className="mt-0.5 size-4 accent-[var(--accent)]" />I have checked: run it
        again anyway
      </label>
    </div>
  );
}
