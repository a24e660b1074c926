import { stageNumber } from '../../lib/stages';
import { Link } from '@tanstack/react-router';
import type { WorkflowInstance } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { useTimeZone } from '../../components/preferences';
import { cn } from '../../lib/cn';
import { stageKind } from '../../lib/stages';
import { STATE_TONE } from '../../lib/status';
import { formatDuration, formatExact } from '../../lib/time';
import { useTick } from './live';
import { stageState } from '../../../common/status';

const BAR: Record<string, string> = {
  running: 'bg-sky-500/80 dark:bg-sky-400/70',
  succeeded: 'bg-emerald-500/80 dark:bg-emerald-400/70',
  failed: 'bg-red-500/85 dark:bg-red-400/80',
  aborted: 'bg-amber-500/85 dark:bg-amber-400/80',
  retrying: 'bg-amber-400/70 dark:bg-amber-300/60',
};

const STATE_LABEL = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', aborted: 'Aborted' } as const;

/** Round tick steps for the axis (ms). */
const STEPS = [
  10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000,
  43_200_000, 86_400_000,
];

export function axisTicks(spanMs: number, maxTicks = 6): number[] {
  const step = STEPS.find((s) => spanMs / s <= maxTicks) ?? Math.ceil(spanMs / maxTicks);
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/**
 * Stages on a time axis from the instance's start to its end (or now, growing while it runs):
 * one row per stage of the definition, a bar from its start to its end, coloured by its state.
 * Rows link to the stage's drill-down (`?stage=n`, numbered from 1 like the labels).
 */
export function StageTimeline({ instance, selected, retryingStage }: { instance: WorkflowInstance; selected?: number; retryingStage?: number }) {
  const running = !instance.terminated;
  const now = useTick(250, running);
  const tz = useTimeZone();
  const start = Date.parse(instance.createdAt);
  const end = instance.terminatedAt ? Date.parse(instance.terminatedAt) : Math.max(now, start);
  const span = Math.max(end - start, 100);
  const statuses = [...(instance.status ?? [])].sort((a, b) => a.stage - b.stage);
  const stages = instance.workflow?.config.stages ?? [];
  const count = Math.max(stages.length, statuses.length ? statuses[statuses.length - 1]!.stage + 1 : 0);
  const pct = (t: number) => `${Math.min(100, Math.max(0, ((t - start) / span) * 100))}%`;
  const ticks = axisTicks(span);

  if (count === 0)
    return <p className="rounded-xl border border-line bg-surface p-4 text-[13px] text-muted">This workflow has no stages: it ended as soon as it started.</p>;

  return (
    <div className="rounded-xl border border-line bg-surface p-4" data-testid="timeline">
      <div className="grid grid-cols-[minmax(9rem,13rem)_1fr_5.5rem] items-center gap-x-3">
        <div />
        <div className="relative h-5 text-[11px] text-muted" aria-hidden="true">
          {ticks.map((t) => (
            <span key={t} className="absolute -translate-x-1/2 tabular-nums whitespace-nowrap first:translate-x-0" style={{ left: `${(t / span) * 100}%` }}>
              {t === 0 ? 'start' : `+${formatDuration(t)}`}
            </span>
          ))}
        </div>
        <div className="text-right text-[11px] text-muted">Duration</div>
      </div>
      <ol aria-label="Stages on a time axis" className="mt-1 space-y-1">
        {Array.from({ length: count }, (_, n) => {
          const s = statuses.find((x) => x.stage === n);
          const kind = stageKind(stages[n]);
          const state = s ? stageState(s) : undefined;
          const from = s ? Date.parse(s.startedAt) : undefined;
          const to = s ? (s.terminatedAt ? Date.parse(s.terminatedAt) : end) : undefined;
          const duration = from !== undefined && to !== undefined ? formatDuration(to - from) : undefined;
          const label = `Stage ${stageNumber(n)} ${kind}: ${state ? STATE_LABEL[state] : 'not started'}${duration ? `, ${duration}` : ''}`;
          return (
            <li key={n}>
              <Link
                from="/instances/$instanceId"
                to="."
                search={(prev) => ({ ...prev, stage: stageNumber(n) })}
                resetScroll={false}
                aria-label={label}
                // The router marks the link of the current URL aria-current="page"; the default selection gets "step".
                aria-current={selected === n ? 'step' : undefined}
                data-testid={`timeline-stage-${stageNumber(n)}`}
                data-state={state ?? 'pending'}
                className={cn(
                  'grid grid-cols-[minmax(9rem,13rem)_1fr_5.5rem] items-center gap-x-3 rounded-md px-1 py-1 hover:bg-hover',
                  selected === n && 'bg-accent-soft ring-1 ring-accent/40',
                )}
              >
                <span className="flex min-w-0 items-center gap-2 text-[13px]">
                  <span className="w-6 shrink-0 font-mono text-muted">{stageNumber(n)}</span>
                  <span className="truncate font-mono text-xs">{kind}</span>
                  {state ? (
                    <StatusBadge tone={retryingStage === n && state === 'running' ? 'warning' : STATE_TONE[state]} pulse={state === 'running'}>
                      {retryingStage === n && state === 'running' ? 'Retrying' : STATE_LABEL[state]}
                    </StatusBadge>
                  ) : (
                    <span className="text-xs text-muted">not started</span>
                  )}
                </span>
                <span className="relative h-5 rounded bg-subtle">
                  {ticks.slice(1).map((t) => (
                    <span key={t} className="absolute inset-y-0 w-px bg-line" style={{ left: `${(t / span) * 100}%` }} aria-hidden="true" />
                  ))}
                  {from !== undefined && to !== undefined && (
                    <span
                      className={cn(
                        'absolute inset-y-0.5 min-w-[3px] rounded-sm',
                        BAR[retryingStage === n && state === 'running' ? 'retrying' : state!],
                        state === 'running' && 'animate-pulse',
                      )}
                      style={{ left: pct(from), width: `max(3px, calc(${pct(to)} - ${pct(from)}))` }}
                      title={`${formatExact(s!.startedAt, tz)} → ${s!.terminatedAt ? formatExact(s!.terminatedAt, tz) : 'now'}`}
                    />
                  )}
                </span>
                <span className="text-right text-xs text-muted tabular-nums">{duration ?? '—'}</span>
              </Link>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
