import { stageNumber } from '../../lib/stages';
import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useIsRemote } from '../../api/info';
import { stageHistoryQuery } from '../../api/instances';
import type { WorkflowInstance } from '../../api/types';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { JsonView } from '../../components/JsonView';
import { ErrorState, Skeleton } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { useTimeZone } from '../../components/preferences';
import { cn } from '../../lib/cn';
import { stageKind } from '../../lib/stages';
import { STATE_TONE } from '../../lib/status';
import { formatDuration, formatShort } from '../../lib/time';
import { Countdown } from './live';
import { delayEnd, historyOfStage, isCanceled, retryingActivity, stageState } from '../../../common/status';
import type { ActivityLike, StageHistoryLike } from './progress';
import { describeActivity, describeStage, sentenceContext } from './sentences';
import { SentenceView } from './SentenceView';

const STATE_LABEL = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', aborted: 'Aborted' } as const;

function activityState(a: ActivityLike): { label: string; tone: 'info' | 'success' | 'danger' | 'warning'; pulse?: boolean } {
  if (a.error) return isCanceled(a.error) ? { label: 'Cancelled', tone: 'warning' } : { label: 'Failed', tone: 'danger' };
  if (a.terminated) return { label: 'Done', tone: 'success' };
  if (a.lastFailure || a.attempt > 1) return { label: 'Retrying', tone: 'warning', pulse: true };
  return { label: 'Running', tone: 'info', pulse: true };
}

function ActivityItem({ activity, index, parts }: { activity: ActivityLike; index: number; parts: ReturnType<typeof describeActivity> }) {
  const [raw, setRaw] = useState(false);
  // A Formance stack reports `attempt: 1` for every finished call whatever its retries: only a
  // pending call's count is real there.
  const attemptKnown = !useIsRemote() || !activity.terminated;
  const state = activityState(activity);
  const rawId = `activity-${index}-raw`;
  const took = activity.terminatedAt ? formatDuration(Date.parse(activity.terminatedAt) - Date.parse(activity.startedAt)) : undefined;
  return (
    <li className="border-b border-line px-4 py-3 last:border-0" data-testid="activity" data-activity={activity.name}>
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
        <div className="flex min-w-0 flex-1 items-start gap-3">
          <span className="mt-0.5 w-6 shrink-0 font-mono text-xs text-muted">{index + 1}</span>
          <div className="min-w-0 flex-1">
            <p className="text-[13.5px] leading-relaxed break-words">
              <SentenceView parts={parts} />
            </p>
            <p className="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-muted">
              <span className="font-mono">{activity.name}</span>
              {attemptKnown ? (
                <span data-testid="activity-attempt">
                  attempt {activity.attempt}
                  {activity.attempt > 1 && !activity.terminated ? ' (retrying)' : ''}
                </span>
              ) : (
                <span title="The stack reports attempt 1 for every finished call, whatever its retries">attempts not reported</span>
              )}
              <span>
                started <Time value={activity.startedAt} seenAt={activity.terminatedAt} />
              </span>
              {took && <span>took {took}</span>}
            </p>
          </div>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <StatusBadge tone={state.tone} pulse={state.pulse}>
            {state.label}
          </StatusBadge>
          <Button size="sm" variant="ghost" aria-expanded={raw} aria-controls={rawId} onClick={() => setRaw((v) => !v)}>
            <Icon name={raw ? 'chevronDown' : 'chevronRight'} size={12} /> Raw JSON
          </Button>
        </div>
      </div>
      {(activity.lastFailure || (!activity.terminated && activity.nextExecution) || activity.error) && (
        <div className="mt-2 ml-9 space-y-1 text-[12.5px]">
          {activity.error && (
            <p className="rounded-md bg-danger-soft px-2.5 py-1.5 font-mono break-words text-danger" role="note">
              Error: {activity.error}
            </p>
          )}
          {activity.lastFailure && !activity.terminated && (
            <p className="rounded-md bg-amber-50 px-2.5 py-1.5 break-words text-amber-900 dark:bg-amber-400/10 dark:text-amber-200">
              <span className="font-medium">Last failure:</span> <span className="font-mono">{activity.lastFailure}</span>
            </p>
          )}
          {!activity.terminated && activity.nextExecution && (
            <p className="text-muted">
              Next execution: <Time value={activity.nextExecution} mode="absolute" /> —{' '}
              <Countdown to={activity.nextExecution} className="font-medium text-fg tabular-nums" />
            </p>
          )}
        </div>
      )}
      {raw && (
        <div id={rawId} className="mt-3 ml-9 grid gap-3 lg:grid-cols-2">
          <div>
            <p className="mb-1 text-xs font-medium text-muted">Input</p>
            <JsonView value={activity.input} label={`Input of activity ${index + 1} (${activity.name})`} maxHeight={320} />
          </div>
          <div>
            <p className="mb-1 text-xs font-medium text-muted">Output</p>
            {activity.output === undefined ? (
              <p className="rounded-lg border border-line bg-subtle p-3 text-xs text-muted">
                No output {activity.terminated ? '(this call returns none)' : '(not finished)'}.
              </p>
            ) : (
              <JsonView value={activity.output} label={`Output of activity ${index + 1} (${activity.name})`} maxHeight={320} />
            )}
          </div>
        </div>
      )}
    </li>
  );
}

/**
 * Drill-down of one stage: what it does (resolved input as a sentence), its state and times,
 * and every activity in order with attempts, last failure, next execution and raw JSON.
 */
export function StageDetail({
  instance,
  stage,
  history,
  refetchMs,
  scrollIntoView,
}: {
  instance: WorkflowInstance;
  stage: number;
  history: readonly StageHistoryLike[] | undefined;
  refetchMs: number | false;
  /** Scroll the section to the top of the view once its activities are loaded (deep links). */
  scrollIntoView?: boolean;
}) {
  const tz = useTimeZone();
  const status = instance.status?.find((s) => s.stage === stage);
  const definition = instance.workflow?.config.stages?.[stage];
  const kind = stageKind(definition);
  const entry = historyOfStage(history, status);
  const state = status ? stageState(status) : undefined;
  const isRunning = state === 'running';
  const activities = useQuery({
    ...stageHistoryQuery(instance.id, stage, { refetchInterval: isRunning ? refetchMs : false }),
    enabled: !!status,
  });
  const count = Math.max(instance.workflow?.config.stages?.length ?? 0, (instance.status ?? []).length);
  const until =
    kind === 'delay' && status
      ? delayEnd(status.startedAt, entry?.input ?? (definition as Record<string, unknown> | undefined)?.delay, entry ? undefined : instance.variables)
      : undefined;
  const stageParts = describeStage(entry, kind, { until, formatAt: (iso) => formatShort(iso, tz) });
  const list = activities.data ?? [];
  const retrying = isRunning && !!retryingActivity(list);
  const section = useRef<HTMLElement>(null);
  const scrolled = useRef(false);
  const ready = !status || !activities.isPending;
  useEffect(() => {
    if (!scrollIntoView || scrolled.current || !ready) return;
    scrolled.current = true;
    // Scroll only the page's scroll container (scrollIntoView would also shift the app shell).
    const el = section.current;
    const main = el?.closest('main');
    if (el && main) main.scrollTo({ top: el.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16 });
  }, [scrollIntoView, ready]);
  const ctx = sentenceContext(list);
  const remote = useIsRemote();

  return (
    <section ref={section} aria-labelledby="stage-heading" className="mt-6" id="stage">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="stage-heading" className="flex items-center gap-2 text-sm font-semibold">
          Stage {stageNumber(stage)} <span className="font-mono text-xs font-normal text-muted">{kind}</span>
          {state ? (
            <StatusBadge tone={retrying ? 'warning' : STATE_TONE[state]} pulse={isRunning}>
              {retrying ? 'Retrying' : STATE_LABEL[state]}
            </StatusBadge>
          ) : (
            <StatusBadge tone="neutral">Not started</StatusBadge>
          )}
        </h2>
        <nav aria-label="Stages" className="flex items-center gap-1">
          <Link
            from="/instances/$instanceId"
            to="."
            search={(prev) => ({ ...prev, stage: stageNumber(Math.max(0, stage - 1)) })}
            resetScroll={false}
            disabled={stage === 0}
            className={cn(
              'inline-flex h-7 items-center gap-1 rounded-md border border-line-strong px-2 text-xs hover:bg-hover',
              stage === 0 && 'pointer-events-none opacity-50',
            )}
          >
            <Icon name="chevronLeft" size={12} /> Previous stage
          </Link>
          <Link
            from="/instances/$instanceId"
            to="."
            search={(prev) => ({ ...prev, stage: stageNumber(Math.min(count - 1, stage + 1)) })}
            resetScroll={false}
            disabled={stage >= count - 1}
            className={cn(
              'inline-flex h-7 items-center gap-1 rounded-md border border-line-strong px-2 text-xs hover:bg-hover',
              stage >= count - 1 && 'pointer-events-none opacity-50',
            )}
          >
            Next stage <Icon name="chevronRight" size={12} />
          </Link>
        </nav>
      </div>
      <div className="rounded-xl border border-line bg-surface">
        <div className="border-b border-line px-4 py-3">
          <p className="text-[14px] font-medium break-words" data-testid="stage-sentence">
            <SentenceView parts={stageParts} />
          </p>
          {status ? (
            <p className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-muted">
              <span>
                Started <Time value={status.startedAt} mode="absolute" />
              </span>
              {status.terminatedAt ? (
                <span>
                  Ended <Time value={status.terminatedAt} mode="absolute" /> · took {formatDuration(Date.parse(status.terminatedAt) - Date.parse(status.startedAt))}
                </span>
              ) : (
                <span>still running</span>
              )}
              {isRunning && until && (
                <span>
                  Ends <Countdown to={until} className="font-medium text-fg tabular-nums" />
                </span>
              )}
            </p>
          ) : (
            <p className="mt-1 text-xs text-muted">
              {instance.terminated ? 'Never started: the instance ended before reaching this stage.' : 'Not started yet: stages run one after another.'}
            </p>
          )}
          {status?.error && (
            <p
              role="note"
              className={cn(
                'mt-2 rounded-md px-2.5 py-1.5 font-mono text-[12.5px] break-words',
                state === 'aborted' ? 'bg-amber-50 text-amber-900 dark:bg-amber-400/10 dark:text-amber-200' : 'bg-danger-soft text-danger',
              )}
            >
              {state === 'aborted' ? 'Aborted' : 'Error'}: {status.error}
            </p>
          )}
          {status && !entry && status.error && state !== 'aborted' && (
            <p className="mt-1 text-xs text-muted">The stage failed before running (its configuration did not resolve or validate), so it made no call.</p>
          )}
        </div>
        {!status ? null : activities.isPending ? (
          <div className="space-y-2 p-4" role="status" aria-label="Loading activities">
            <Skeleton className="h-4 w-3/4" />
            <Skeleton className="h-4 w-1/2" />
          </div>
        ) : activities.isError ? (
          <div className="p-4">
            <ErrorState error={activities.error} onRetry={() => void activities.refetch()} title="Could not load the stage's activities" />
          </div>
        ) : list.length === 0 ? (
          <p className="px-4 py-3 text-[13px] text-muted">
            {kind === 'delay' || kind === 'wait_event' || kind === 'noop'
              ? `A ${kind} stage makes no remote call, so it has no activities.`
              : isRunning
                ? 'No activity recorded yet.'
                : 'This stage recorded no activity.'}
          </p>
        ) : (
          <ol aria-label={`Activities of stage ${stageNumber(stage)}`}>
            {list.map((a, i) => (
              <ActivityItem
                key={`${i}-${a.name}`}
                activity={a}
                index={i}
                // Embedded mode: the engine references a payout `<instance>-<stage>-<activity>`.
                parts={describeActivity(a, remote ? ctx : { ...ctx, transferReference: `${instance.id}-${stage}-${i}` })}
              />
            ))}
          </ol>
        )}
        <details className="border-t border-line px-4 py-2 text-[13px]">
          <summary className="cursor-pointer text-muted hover:text-fg">Stage configuration (resolved input{entry ? '' : ' unavailable: definition shown'})</summary>
          <div className="mt-2 mb-1">
            <JsonView value={entry?.input ?? definition ?? null} label={`Configuration of stage ${stageNumber(stage)}`} maxHeight={320} />
          </div>
        </details>
      </div>
    </section>
  );
}
