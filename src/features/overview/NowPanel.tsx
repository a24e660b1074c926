import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { overviewNowQuery, type OverviewWindowKey } from '../../api/overview';
import type { LiveOptions } from '../../api/instances';
import { Time } from '../../components/Time';
import { cn } from '../../lib/cn';
import { listLinks, type ListLink } from './links';
import { CountLink, InstanceLink, Panel } from './parts';
import { WINDOW_LABELS } from './windows';

interface Tile {
  label: string;
  value: number;
  link: ListLink | undefined;
  /** colour when the figure is not zero */
  alarm?: 'danger' | 'warning';
  hint: string;
}

/** "Now": what runs, waits, is delayed or retries, and what ended within the window. */
export function NowPanel({ window, live, linkable }: { window: OverviewWindowKey; live: LiveOptions; linkable: boolean }) {
  const q = useQuery(overviewNowQuery(window, live));
  const now = q.data;
  const span = now ? { from: now.window.from, to: now.window.to } : undefined;
  const tiles: Tile[] = now
    ? [
        { label: 'Running', value: now.running, link: listLinks.running(), hint: 'Instances not terminated' },
        { label: 'Waiting for an event', value: now.waiting, link: linkable ? listLinks.state('waiting') : undefined, hint: 'Parked in a wait_event stage' },
        { label: 'Delayed', value: now.delayed, link: linkable ? listLinks.state('delayed') : undefined, hint: 'In a delay stage' },
        {
          label: 'Retrying',
          value: now.retrying,
          link: linkable ? listLinks.state('retrying') : undefined,
          alarm: 'warning',
          hint: 'An activity failed and waits for its next attempt',
        },
        {
          label: 'Succeeded',
          value: now.succeeded,
          link: linkable && span ? listLinks.ended('succeeded', span) : undefined,
          hint: `Ended ${WINDOW_LABELS[window].toLowerCase()}`,
        },
        {
          label: 'Failed',
          value: now.failed,
          link: linkable && span ? listLinks.ended('failed', span) : undefined,
          alarm: 'danger',
          hint: `Ended ${WINDOW_LABELS[window].toLowerCase()}`,
        },
        {
          label: 'Aborted',
          value: now.aborted,
          link: linkable && span ? listLinks.ended('aborted', span) : undefined,
          hint: `Ended ${WINDOW_LABELS[window].toLowerCase()}`,
        },
      ]
    : [];
  return (
    <Panel title="Now" description={`Live counts, and what ended ${WINDOW_LABELS[window].toLowerCase()}.`} basis={now?.basis} query={q}>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7" data-testid="now-tiles">
        {tiles.map((t) => (
          <li
            key={t.label}
            className={cn(
              'rounded-lg border border-line px-3 py-2.5',
              t.value > 0 && t.alarm === 'danger' && 'border-danger/40 bg-danger-soft',
              t.value > 0 && t.alarm === 'warning' && 'border-amber-300 bg-amber-50 dark:border-amber-400/30 dark:bg-amber-400/10',
            )}
            title={t.hint}
            data-testid={`now-${t.label.toLowerCase().replace(/[^a-z]+/g, '-')}`}
          >
            <p className="text-[12px] font-medium text-muted">{t.label}</p>
            <CountLink value={t.value} link={t.link} label={t.label.toLowerCase()} className="mt-0.5 block text-2xl font-semibold" />
          </li>
        ))}
      </ul>
      {now && now.longestRetries.length > 0 && (
        <div className="mt-4">
          <h3 className="mb-1.5 text-[12.5px] font-semibold text-muted">Longest retry streaks</h3>
          <ul className="divide-y divide-line text-[13px]" data-testid="longest-retries">
            {now.longestRetries.map((r) => (
              <li key={r.instanceID} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 py-1.5">
                <InstanceLink id={r.instanceID} />
                <Link to="/workflows/$workflowId" params={{ workflowId: r.workflowID }} className="hover:underline">
                  {r.workflowName || r.workflowID}
                </Link>
                <span className="font-medium tabular-nums">
                  <Link
                    to="/instances/$instanceId"
                    params={{ instanceId: r.instanceID }}
                    className="text-accent-strong underline decoration-accent/40 underline-offset-2"
                  >
                    {r.failedAttempts}
                  </Link>{' '}
                  failed attempt{r.failedAttempts === 1 ? '' : 's'}, stage {r.stage + 1}
                </span>
                {r.nextExecution && (
                  <span className="text-muted">
                    next try <Time value={r.nextExecution} />
                  </span>
                )}
                {r.lastFailure && (
                  <span className="min-w-0 basis-full truncate font-mono text-[12px] text-muted" title={r.lastFailure}>
                    {r.lastFailure}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
