/**
 * A dry-run's answer: where the run would end, what each stage would do (postings with the
 * wallet or payment they go through, transfers, metadata, pauses, balances before and after),
 * the money-flow diagram (lazy) and the net change of every account and asset.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import type { DryRunReport as Report, SimBalance, SimPosting, SimStage } from '../../api/simulations';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { Money } from '../../components/Money';
import { useTimeZone } from '../../components/preferences';
import { Skeleton } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { cn } from '../../lib/cn';
import { toBigInt } from '../../lib/money';
import type { Tone } from '../../lib/status';
import { accountLabel, basisSentence, outcomeSentence, shortfallSentence, stageName } from './describe';

const MoneyFlow = lazy(() => import('./MoneyFlow'));

const STATUS: Record<SimStage['status'], { tone: Tone; label: string }> = {
  succeeded: { tone: 'success', label: 'would succeed' },
  failed: { tone: 'danger', label: 'would fail' },
  retrying: { tone: 'warning', label: 'would retry' },
  waiting: { tone: 'info', label: 'would wait' },
};

const BANNER: Record<SimStage['status'], string> = {
  succeeded: 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-400/30 dark:bg-emerald-400/10 dark:text-emerald-200',
  failed: 'border-danger/40 bg-danger-soft text-danger',
  retrying: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200',
  waiting: 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-400/30 dark:bg-sky-400/10 dark:text-sky-200',
};

function change(b: SimBalance): bigint {
  return (toBigInt(b.after) ?? 0n) - (toBigInt(b.before) ?? 0n);
}

function Account({ account, wallet, ledger }: { account: string; wallet?: SimPosting['sourceWallet']; ledger?: string }) {
  return (
    <span className="inline-flex min-w-0 flex-col" title={wallet ? `${account} on ${ledger ?? ''}` : undefined}>
      <span className="truncate font-mono text-[12.5px]">{accountLabel(account, wallet)}</span>
      {ledger && <span className="text-[11px] text-muted">{ledger}</span>}
    </span>
  );
}

function Signed({ amount, asset }: { amount: bigint; asset: string }) {
  return (
    <span className={cn(amount > 0n && 'text-emerald-700 dark:text-emerald-300')}>
      {amount > 0n ? '+' : ''}
      <Money amount={amount} asset={asset} signed />
    </span>
  );
}

function MiniTable({ label, head, children }: { label: string; head: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-[13px]" aria-label={label}>
        <thead>
          <tr className="border-b border-line text-[11px] tracking-wide text-muted uppercase">
            {head.map((h, i) => (
              <th key={h} className={cn('px-2 py-1.5 font-medium', i >= head.length - 3 && head[0] !== 'From' && 'text-right')}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function BalanceRows({ balances, label }: { balances: SimBalance[]; label: string }) {
  return (
    <MiniTable label={label} head={['Account', 'Asset', 'Before', 'After', 'Change']}>
      {balances.map((b) => (
        <tr key={`${b.ledger} ${b.account} ${b.asset}`} className="border-b border-line last:border-0">
          <td className="px-2 py-1.5">
            <Account account={b.account} wallet={b.wallet} ledger={b.ledger} />
          </td>
          <td className="px-2 py-1.5 font-mono text-[12px] text-muted">{b.asset}</td>
          <td className="px-2 py-1.5 text-right">
            <Money amount={b.before} asset={b.asset} signed />
          </td>
          <td className="px-2 py-1.5 text-right">
            <Money amount={b.after} asset={b.asset} signed />
          </td>
          <td className="px-2 py-1.5 text-right">
            <Signed amount={change(b)} asset={b.asset} />
          </td>
        </tr>
      ))}
    </MiniTable>
  );
}

/** The wallet or payment a posting goes through (wallet moves name the wallet; a payment source names the payment). */
function through(p: SimPosting): string | undefined {
  if (p.via?.wallet) {
    const wallet = [p.sourceWallet, p.destinationWallet].find((w) => w?.id === p.via?.wallet);
    return wallet ? accountLabel('', { ...wallet, balance: 'main' }) : `wallet ${p.via.wallet}`;
  }
  return p.via?.payment ? `payment ${p.via.payment}` : undefined;
}

function Postings({ postings }: { postings: SimPosting[] }) {
  return (
    <MiniTable label="Postings" head={['From', 'To', 'Amount', 'Through']}>
      {postings.map((p, i) => (
        <tr key={i} className="border-b border-line last:border-0" data-testid="dry-run-posting">
          <td className="px-2 py-1.5">
            <Account account={p.source} wallet={p.sourceWallet} ledger={p.ledger} />
          </td>
          <td className="px-2 py-1.5">
            <Account account={p.destination} wallet={p.destinationWallet} ledger={p.ledger} />
          </td>
          <td className="px-2 py-1.5 font-semibold" title={`posted by ${p.activity}`}>
            <Money amount={p.amount} asset={p.asset} />
          </td>
          <td className="max-w-56 truncate px-2 py-1.5 text-[12px] text-muted" title={through(p)}>
            {through(p) ?? '—'}
          </td>
        </tr>
      ))}
    </MiniTable>
  );
}

function StageCard({ stage, onAssumeEvents }: { stage: SimStage; onAssumeEvents?: () => void }) {
  const status = STATUS[stage.status];
  return (
    <li className="rounded-lg border border-line bg-surface p-3" data-testid="dry-run-stage">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-[12px] font-semibold text-muted tabular-nums">{stage.number + 1}</span>
        <span className="rounded bg-subtle px-1.5 py-0.5 font-mono text-[11.5px]">{stage.kind}</span>
        <StatusBadge tone={status.tone}>{status.label}</StatusBadge>
      </div>
      {stage.error && stage.status === 'failed' && <p className="mt-2 text-[13px] break-words text-danger">{stage.error}</p>}
      {stage.retry && (
        <div className="mt-2 text-[13px] text-amber-900 dark:text-amber-200">
          {stage.retry.shortfall ? (
            <p data-testid="dry-run-shortfall">{shortfallSentence(stage.retry.shortfall)}</p>
          ) : (
            <p className="break-words">{stage.retry.message}</p>
          )}
          <p className="text-[12px] text-muted">The run would retry this call (after 1 s, 2 s, 4 s … up to every 100 s) until it goes through, or until it is aborted.</p>
        </div>
      )}
      {stage.postings.length > 0 && (
        <div className="mt-2">
          <Postings postings={stage.postings} />
        </div>
      )}
      {stage.transfers.map((t, i) => (
        <p key={i} className="mt-2 text-[13px]">
          Transfer initiation: {t.type.toLowerCase()} of <Money amount={t.amount} asset={t.asset} /> to <span className="font-mono">{t.destinationAccountID}</span> via{' '}
          {t.provider?.toLowerCase() ?? t.connectorID}
          {t.waitingValidation ? ' (waits for validation)' : ' (sent to the PSP at once)'}
        </p>
      ))}
      {stage.metadata.map((m, i) => (
        <p key={i} className="mt-2 text-[13px]">
          Metadata on <span className="font-mono">{m.account}</span> <span className="text-muted">({m.ledger})</span>:{' '}
          {Object.entries(m.metadata).map(([k, v]) => (
            <code key={k} className="mr-1.5 rounded bg-subtle px-1 font-mono text-[12px]">
              {k} = {v}
            </code>
          ))}
        </p>
      ))}
      {stage.pause && (
        <p className="mt-2 text-[13px]">
          <Icon name="clock" size={13} className="mr-1 inline" aria-hidden="true" />
          Pauses until <Time value={stage.pause.until} mode="absolute" /> (<Time value={stage.pause.until} />
          ); the dry-run goes on as if that time had come.
        </p>
      )}
      {stage.waitEvent && (
        <p className="mt-2 text-[13px]">
          Waits for the event <code className="rounded bg-subtle px-1 font-mono">{stage.waitEvent.event}</code>
          {stage.waitEvent.assumed ? ' — assumed to arrive.' : '.'}
          {!stage.waitEvent.assumed && onAssumeEvents && (
            <Button size="sm" className="ml-2" onClick={onAssumeEvents}>
              Assume it arrives
            </Button>
          )}
        </p>
      )}
      {stage.balances.length > 0 && (
        <details className="mt-2 text-[13px]">
          <summary className="cursor-pointer text-muted">Balances before and after this stage</summary>
          <div className="mt-1">
            <BalanceRows balances={stage.balances} label={`Balances of ${stageName(stage)}`} />
          </div>
        </details>
      )}
    </li>
  );
}

/** `stageCount`: stages of the definition (those after a stop are not in the report). */
export function DryRunReport({ report, stageCount, onAssumeEvents }: { report: Report; stageCount?: number; onAssumeEvents?: () => void }) {
  const tz = useTimeZone();
  const postings = report.stages.flatMap((s) => s.postings);
  const notReached = (stageCount ?? report.stages.length) - report.stages.length;
  return (
    <div className="space-y-4" data-testid="dry-run-report">
      <p className="flex items-center gap-1.5 text-[12.5px] text-muted" data-testid="dry-run-basis">
        <Icon name={report.basis.mode === 'remote' ? 'external' : 'lock'} size={13} aria-hidden="true" />
        {basisSentence(report.basis, tz)}
      </p>
      <div role="status" className={cn('rounded-lg border px-3 py-2.5 text-[13.5px]', BANNER[report.outcome.status])} data-testid="dry-run-outcome">
        <p className="font-medium break-words">{outcomeSentence(report.outcome, report.stages)}</p>
        {report.outcome.shortfall && <p className="mt-0.5">{shortfallSentence(report.outcome.shortfall)}</p>}
        {report.outcome.status === 'succeeded' && (
          <p className="mt-0.5">
            {postings.length} posting{postings.length === 1 ? '' : 's'} on {new Set(postings.map((p) => p.ledger)).size} ledger(s)
            {report.stages.some((s) => s.transfers.length) ? `, ${report.stages.reduce((n, s) => n + s.transfers.length, 0)} transfer initiation(s)` : ''}.
          </p>
        )}
        {notReached > 0 && (
          <p className="mt-0.5 text-[12.5px] opacity-80">
            The {notReached} stage{notReached === 1 ? '' : 's'} after it would not run{report.outcome.status === 'succeeded' ? '' : ' until then'}.
          </p>
        )}
      </div>

      <section aria-label="Stages">
        <h3 className="mb-2 text-sm font-semibold">Stage by stage</h3>
        {report.stages.length === 0 ? (
          <p className="text-[13px] text-muted">No stages: the run would succeed at once.</p>
        ) : (
          <ol className="space-y-2">
            {report.stages.map((s) => (
              <StageCard key={s.number} stage={s} onAssumeEvents={onAssumeEvents} />
            ))}
          </ol>
        )}
      </section>

      {postings.length > 0 && (
        <section aria-label="Money flow">
          <h3 className="mb-2 text-sm font-semibold">Money flow</h3>
          <Suspense fallback={<Skeleton className="h-64 w-full rounded-xl" />}>
            <MoneyFlow postings={postings} />
          </Suspense>
        </section>
      )}

      <section aria-label="Net changes">
        <h3 className="mb-2 text-sm font-semibold">Net change per account and asset</h3>
        {report.netChanges.length === 0 ? (
          <p className="text-[13px] text-muted">No balance would change.</p>
        ) : (
          <div className="rounded-lg border border-line bg-surface p-2" data-testid="dry-run-net">
            <BalanceRows balances={report.netChanges} label="Net changes" />
          </div>
        )}
      </section>
    </div>
  );
}
