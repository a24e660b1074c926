/**
 * Backtest a trigger (saved, or the unsaved one of the trigger form): replay the platform events
 * of a time range through it, count the matches, show each match's variables and errors, and —
 * dry-running the workflow per match — what each account and asset would have moved. Bounded
 * (at most N events), with progress and cancel.
 */
import { useId, useState } from 'react';
import { errorText } from '../../api/errors';
import type { BacktestReport, BacktestRequest, SimStage } from '../../api/simulations';
import { Button } from '../../components/Button';
import { Money } from '../../components/Money';
import { useTimeZone } from '../../components/preferences';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { inputClass } from '../../components/inputs';
import { cn } from '../../lib/cn';
import { toBigInt } from '../../lib/money';
import type { Tone } from '../../lib/status';
import { accountLabel, basisSentence } from './describe';
import { useBacktest } from './useBacktest';

export type BacktestTarget = { triggerID: string } | { trigger: NonNullable<BacktestRequest['trigger']> };

const RANGES = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

const OUTCOME: Record<SimStage['status'], { tone: Tone; label: string }> = {
  succeeded: { tone: 'success', label: 'would succeed' },
  failed: { tone: 'danger', label: 'would fail' },
  retrying: { tone: 'warning', label: 'would retry' },
  waiting: { tone: 'info', label: 'would wait' },
};

export function BacktestPanel({ target, disabledReason }: { target: BacktestTarget | undefined; disabledReason?: string }) {
  const ids = useId();
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('24h');
  const [limit, setLimit] = useState('500');
  const [dryRun, setDryRun] = useState(true);
  const { state, start, cancel } = useBacktest();
  const limitValue = Number(limit);
  const limitProblem = !Number.isInteger(limitValue) || limitValue < 1 || limitValue > 5000 ? 'from 1 to 5,000' : undefined;
  const blocked = disabledReason ?? (!target ? 'Nothing to backtest yet' : limitProblem ? `At most: ${limitProblem}` : undefined);
  const running = state.status === 'running';

  function run() {
    if (!target || blocked) return;
    const to = new Date();
    const from = new Date(to.getTime() - RANGES.find((r) => r.id === range)!.ms);
    start({ ...target, from: from.toISOString(), to: to.toISOString(), limit: limitValue, dryRun });
  }

  return (
    <section className="rounded-xl border border-line bg-surface p-4" aria-labelledby={`${ids}-title`} data-testid="backtest">
      <h2 id={`${ids}-title`} className="text-sm font-semibold">
        Backtest on past events
      </h2>
      <p className="mt-1 text-[13px] text-muted">
        How often it would have fired, with which variables, and what its workflow would have moved — replayed on the events of a time range. Nothing is started or
        recorded.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <div>
          <label htmlFor={`${ids}-range`} className="mb-1 block text-[12px] text-muted">
            Events of
          </label>
          <select id={`${ids}-range`} className={cn(inputClass, 'pr-7')} value={range} onChange={(e) => setRange(e.target.value as typeof range)}>
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-limit`} className="mb-1 block text-[12px] text-muted">
            At most (events)
          </label>
          <input
            id={`${ids}-limit`}
            inputMode="numeric"
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
            aria-invalid={limitProblem ? true : undefined}
            title={limitProblem}
            className={cn(inputClass, 'w-24 tabular-nums', limitProblem && 'border-amber-500')}
          />
        </div>
        <label className="flex items-center gap-2 pb-1.5 text-[13px]">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} className="size-4 accent-[var(--accent)]" />
          Dry-run the workflow for each match
        </label>
        {running ? (
          <Button onClick={cancel}>Cancel</Button>
        ) : (
          <Button type="submit" variant="primary" disabled={!!blocked} title={blocked}>
            Backtest
          </Button>
        )}
      </form>

      {state.status === 'running' && (
        <div className="mt-4" role="status" aria-live="polite">
          <progress className="h-2 w-full accent-[var(--accent)]" max={state.progress?.total || 1} value={state.progress?.scanned ?? 0} aria-label="Events scanned" />
          <p className="mt-1 text-[12.5px] text-muted" data-testid="backtest-progress">
            {state.progress ? `Scanned ${state.progress.scanned} of ${state.progress.total} events — ${state.progress.matched} matched` : 'Reading the events…'}
          </p>
        </div>
      )}
      {state.status === 'canceled' && (
        <p className="mt-4 text-[13px] text-muted" role="status">
          Canceled{state.progress ? ` after ${state.progress.scanned} of ${state.progress.total} events (${state.progress.matched} matched)` : ''}.
        </p>
      )}
      {state.status === 'error' && (
        <p role="alert" className="mt-4 rounded-md bg-danger-soft px-3 py-2 text-[13px] break-words text-danger">
          {errorText(state.error)}
        </p>
      )}
      {state.status === 'done' && <BacktestResult report={state.report} />}
    </section>
  );
}

const TRUNCATED: Record<NonNullable<BacktestReport['truncated']>, string> = {
  limit: 'Stopped at the limit: the range holds more events of this type.',
  time: 'Stopped after 60 s: the rest of the range was not scanned.',
  canceled: 'Canceled before the end of the range.',
};

function BacktestResult({ report }: { report: BacktestReport }) {
  const tz = useTimeZone();
  const counts = [
    { label: 'Events scanned', value: `${report.scanned}${report.total > report.scanned ? ` of ${report.total}` : ''}` },
    { label: 'Would have fired', value: report.matched, testid: 'backtest-matched' },
    { label: 'Variable errors', value: report.errors },
    { label: 'Filter errors', value: report.filterErrors.count },
    ...(report.duplicates ? [{ label: 'Skipped (already fired for that id)', value: report.duplicates }] : []),
  ];
  const dryRuns = Object.values(report.outcomes).reduce((a, b) => a + b, 0);
  return (
    <div className="mt-4 space-y-4" data-testid="backtest-result">
      <p className="text-[12.5px] text-muted">
        {basisSentence(report.basis, tz)} Events from <Time value={report.from} mode="absolute" /> to <Time value={report.to} mode="absolute" />.
      </p>
      <dl className="grid grid-cols-[repeat(auto-fill,minmax(8.5rem,1fr))] gap-3">
        {counts.map((c) => (
          <div key={c.label} className="rounded-lg border border-line bg-subtle/50 px-3 py-2">
            <dt className="text-[11px] tracking-wide text-muted uppercase">{c.label}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={c.testid}>
              {c.value}
            </dd>
          </div>
        ))}
      </dl>
      {dryRuns > 0 && (
        <p className="flex flex-wrap items-center gap-2 text-[13px]">
          Dry-runs of the workflow:
          {(Object.keys(OUTCOME) as SimStage['status'][])
            .filter((k) => report.outcomes[k] > 0)
            .map((k) => (
              <StatusBadge key={k} tone={OUTCOME[k].tone}>
                {report.outcomes[k]} {OUTCOME[k].label}
              </StatusBadge>
            ))}
        </p>
      )}
      {report.truncated && <p className="text-[13px] text-amber-800 dark:text-amber-300">{TRUNCATED[report.truncated]}</p>}
      {(report.uncovered ?? []).map((u) => (
        <p key={u} className="rounded-md bg-subtle px-3 py-2 text-[12.5px] text-muted">
          {u}
        </p>
      ))}
      {report.filterErrors.examples.length > 0 && (
        <details className="text-[13px]">
          <summary className="cursor-pointer text-muted">Filter errors (the trigger skips these events silently)</summary>
          <ul className="mt-1 space-y-1">
            {report.filterErrors.examples.map((e, i) => (
              <li key={i} className="font-mono text-[12px] break-words whitespace-pre-wrap">
                {e.seq !== undefined ? `#${e.seq} ` : ''}
                {e.error}
              </li>
            ))}
          </ul>
        </details>
      )}

      {report.totals.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-semibold">What would have moved</h3>
          <div className="overflow-x-auto rounded-lg border border-line">
            <table className="w-full text-left text-[13px]" aria-label="Totals per account and asset" data-testid="backtest-totals">
              <thead>
                <tr className="border-b border-line text-[11px] tracking-wide text-muted uppercase">
                  <th className="px-3 py-1.5 font-medium">Account</th>
                  <th className="px-3 py-1.5 font-medium">Asset</th>
                  <th className="px-3 py-1.5 text-right font-medium">In</th>
                  <th className="px-3 py-1.5 text-right font-medium">Out</th>
                  <th className="px-3 py-1.5 text-right font-medium">Net</th>
                </tr>
              </thead>
              <tbody>
                {report.totals.map((t) => {
                  const net = (toBigInt(t.in) ?? 0n) - (toBigInt(t.out) ?? 0n);
                  return (
                    <tr key={`${t.ledger} ${t.account} ${t.asset}`} className="border-b border-line last:border-0">
                      <td className="px-3 py-1.5">
                        <span className="font-mono text-[12.5px]">{accountLabel(t.account, t.wallet)}</span> <span className="text-[11px] text-muted">{t.ledger}</span>
                      </td>
                      <td className="px-3 py-1.5 font-mono text-[12px] text-muted">{t.asset}</td>
                      <td className="px-3 py-1.5 text-right">
                        <Money amount={t.in} asset={t.asset} />
                      </td>
                      <td className="px-3 py-1.5 text-right">
                        <Money amount={t.out} asset={t.asset} />
                      </td>
                      <td className={cn('px-3 py-1.5 text-right', net > 0n && 'text-emerald-700 dark:text-emerald-300')}>
                        {net > 0n ? '+' : ''}
                        <Money amount={net} asset={t.asset} signed />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}

      {report.matches.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-semibold">
            Matches{report.matched > report.matches.length ? ` (the first ${report.matches.length} of ${report.matched})` : ''}
          </h3>
          <div className="max-h-96 overflow-auto rounded-lg border border-line">
            <table className="w-full text-left text-[13px]" aria-label="Matches">
              <thead className="sticky top-0 bg-surface">
                <tr className="border-b border-line text-[11px] tracking-wide text-muted uppercase">
                  <th className="px-3 py-1.5 font-medium">Event</th>
                  <th className="px-3 py-1.5 font-medium">Variables</th>
                  <th className="px-3 py-1.5 font-medium">Run</th>
                </tr>
              </thead>
              <tbody>
                {report.matches.map((m, i) => (
                  <tr key={i} className="border-b border-line align-top last:border-0" data-testid="backtest-match">
                    <td className="px-3 py-1.5 whitespace-nowrap">
                      <Time value={m.date} mode="absolute" />
                      {m.seq !== undefined && <div className="text-[11px] text-muted">#{m.seq}</div>}
                    </td>
                    <td className="px-3 py-1.5">
                      {m.error ? (
                        <span className="font-mono text-[12px] break-words text-danger">{m.error}</span>
                      ) : (
                        Object.entries(m.variables ?? {}).map(([k, v]) => (
                          <code key={k} className="mr-1.5 inline-block rounded bg-subtle px-1 font-mono text-[12px]">
                            {k} = {v}
                          </code>
                        ))
                      )}
                    </td>
                    <td className="px-3 py-1.5">
                      {m.outcome ? (
                        <>
                          <StatusBadge tone={OUTCOME[m.outcome.status].tone}>{OUTCOME[m.outcome.status].label}</StatusBadge>
                          {m.outcome.error && <div className="mt-0.5 max-w-md text-[12px] break-words text-muted">{m.outcome.error}</div>}
                          {m.postings !== undefined && <div className="text-[11px] text-muted">{m.postings} posting(s)</div>}
                        </>
                      ) : m.error ? (
                        <span className="text-[12px] text-muted">no run (occurrence with the error)</span>
                      ) : (
                        <span className="text-[12px] text-muted">not dry-run</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
