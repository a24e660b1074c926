import { stageNumber } from '../../lib/stages';
import { useQuery } from '@tanstack/react-query';
import { instanceHistoryQuery, instanceQuery, stageHistoryQuery } from '../../api/instances';
import type { WorkflowInstance } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { cn } from '../../lib/cn';
import { CALLING_KINDS, currentStage, kindOfStage, preciseStatus, type PreciseStatus } from '../../../common/status';
import type { Tone } from '../../lib/status';
import { Countdown } from './live';
import { preciseLabel } from './progress';

/**
 * The precise status of an instance, kept fresh while it runs: the instance (stage statuses),
 * its history (resolved stage inputs) and the current stage's activities (retries), through the
 * shared query cache — the detail page and list rows read the same entries.
 */
export function useInstanceProgress(instance: WorkflowInstance, refetchMs: number | false, callsMs: number | false = refetchMs) {
  const running = !instance.terminated;
  const detail = useQuery({ ...instanceQuery(instance.id, { refetchInterval: running ? refetchMs : false }), enabled: running });
  // The freshest of the two (a list row may be older than the detail, or the other way round).
  const fresh = detail.data && (detail.data.terminated || !instance.terminated) ? detail.data : instance;
  const isRunning = !fresh.terminated;
  const stage = currentStage(fresh);
  const history = useQuery({
    ...instanceHistoryQuery(instance.id, { refetchInterval: isRunning ? callsMs : false }),
    enabled: isRunning && stage !== undefined,
  });
  const kind = stage === undefined ? undefined : kindOfStage(fresh, stage, history.data);
  const activities = useQuery({
    ...stageHistoryQuery(instance.id, stage ?? 0, { refetchInterval: isRunning ? callsMs : false }),
    enabled: isRunning && stage !== undefined && kind !== undefined && CALLING_KINDS.has(kind),
  });
  const status = preciseStatus(fresh, isRunning ? history.data : undefined, isRunning && kind && CALLING_KINDS.has(kind) ? activities.data : undefined);
  return { instance: fresh, status };
}

export function progressTone(s: PreciseStatus): Tone {
  if (s.state === 'succeeded') return 'success';
  if (s.state === 'failed') return 'danger';
  if (s.state === 'aborted') return 'warning';
  return s.phase === 'retrying' ? 'warning' : 'info';
}

export function ProgressBadge({ status }: { status: PreciseStatus }) {
  const pulse = status.state === 'running' && (status.phase === 'stage' || status.phase === 'starting' || status.phase === 'retrying');
  return (
    <StatusBadge tone={progressTone(status)} pulse={pulse} title={status.state === 'failed' ? status.error : undefined}>
      {preciseLabel(status)}
    </StatusBadge>
  );
}

const code = 'rounded bg-subtle px-1 font-mono text-[12px]';

/** The details beside the badge: which stage, which event, until when, which attempt, why. */
export function ProgressDetail({ status, className, compact }: { status: PreciseStatus; className?: string; compact?: boolean }) {
  const body = (() => {
    if (status.state === 'succeeded') return null;
    if (status.state === 'aborted') return status.stage === undefined ? null : <>during stage {stageNumber(status.stage)}</>;
    if (status.state === 'failed') {
      return (
        <span className="text-danger">
          {status.stage !== undefined && <>stage {stageNumber(status.stage)}: </>}
          {status.error}
        </span>
      );
    }
    switch (status.phase) {
      case 'starting':
        return <>no stage started yet</>;
      case 'stage':
        return (
          <>
            stage {stageNumber(status.stage)} <span className="font-mono text-[12px]">{status.kind}</span>
            {status.activity && <> · {status.activity}</>}
          </>
        );
      case 'waiting':
        return (
          <>
            for event <code className={code}>{status.event}</code>
            {!compact && <> · stage {stageNumber(status.stage)}</>}
          </>
        );
      case 'delayed':
        if (!status.until) return <>stage {stageNumber(status.stage)}</>;
        return compact ? (
          <Countdown to={status.until} prefix="resumes in " />
        ) : (
          <>
            until <Time value={status.until} mode="absolute" /> (<Countdown to={status.until} />) · stage {stageNumber(status.stage)}
          </>
        );
      case 'retrying':
        return (
          <>
            {!compact && <>{status.activity} · </>}attempt {status.attempt}
            {status.nextExecution && (
              <>
                {' '}
                · next try <Countdown to={status.nextExecution} overdue={compact ? 'now' : undefined} />
              </>
            )}
            {!compact && status.lastFailure && <> · last failure: {status.lastFailure}</>}
          </>
        );
    }
  })();
  if (!body) return null;
  const title =
    status.state === 'running' && status.phase === 'retrying'
      ? `${status.activity}, attempt ${status.attempt}${status.lastFailure ? ` — last failure: ${status.lastFailure}` : ''}`
      : status.state === 'failed'
        ? status.error
        : undefined;
  return (
    <span className={cn('text-[12.5px] text-muted', className)} title={title}>
      {body}
    </span>
  );
}
