import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type { LiveOptions } from '../../api/instances';
import { overviewRunsQuery, type OverviewWindowKey } from '../../api/overview';
import type { OverviewRunBucket, OverviewRuns } from '../../api/types';
import { Segmented } from '../../components/inputs';
import { useTimeZone } from '../../components/preferences';
import { zoneName } from '../../lib/time';
import { Skeleton } from '../../components/states';
import { formatDuration } from '../../lib/time';
import { listLinks } from './links';
import { OUTCOME_STYLE, OUTCOMES } from './outcomes';
import { CountLink, Muted, Panel, formatCount } from './parts';
import { bucketLabel, WINDOW_LABELS } from './windows';

const RunsChart = lazy(() => import('./RunsChart'));

export type RunsView = 'chart' | 'table';

function useBucketText(runs: OverviewRuns | undefined) {
  const zone = useTimeZone();
  const seconds = runs?.window.bucketSeconds ?? 3600;
  const label = (start: string) => bucketLabel(start, seconds, zone);
  const rangeLabel = (b: OverviewRunBucket) => `${label(b.start)} – ${label(b.end)}${zone === 'local' ? '' : ` ${zoneName(new Date(b.start), zone)}`}`;
  return { label, rangeLabel };
}

/** The same numbers as the chart, one row per interval: for screen readers and copying. */
function RunsTable({ runs, linkable }: { runs: OverviewRuns; linkable: boolean }) {
  const { rangeLabel } = useBucketText(runs);
  return (
    <div className="max-h-80 overflow-auto rounded-lg border border-line">
      <table className="w-full text-[13px]" aria-label="Started runs per interval, by outcome">
        <thead className="sticky top-0 bg-subtle text-left text-[12px] text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Started
            </th>
            {OUTCOMES.map((o) => (
              <th key={o} scope="col" className="px-3 py-2 text-right font-medium">
                {OUTCOME_STYLE[o].label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...runs.buckets].reverse().map((b) => (
            <tr key={b.start} className="border-t border-line">
              <th scope="row" className="px-3 py-1.5 text-left font-normal whitespace-nowrap">
                {rangeLabel(b)}
              </th>
              {OUTCOMES.map((o) => (
                <td key={o} className="px-3 py-1.5 text-right">
                  {b[o] === 0 ? (
                    <span className="text-muted tabular-nums">0</span>
                  ) : (
                    <CountLink
                      value={b[o]}
                      link={linkable ? listLinks.started(o, b) : undefined}
                      label={`${OUTCOME_STYLE[o].label.toLowerCase()}, started ${rangeLabel(b)}`}
                    />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Durations({ runs, linkable }: { runs: OverviewRuns; linkable: boolean }) {
  if (runs.durations.length === 0)
    return <Muted>No run succeeded {WINDOW_LABELS[runs.window.key as OverviewWindowKey].toLowerCase()}: durations show here once some do.</Muted>;
  const span = { from: runs.window.from, to: runs.window.to };
  return (
    <table className="w-full text-[13px]" aria-label="Durations of succeeded runs per workflow" data-testid="durations">
      <thead className="text-left text-[12px] text-muted">
        <tr>
          <th scope="col" className="py-1.5 pr-3 font-medium">
            Workflow
          </th>
          <th scope="col" className="py-1.5 pr-3 text-right font-medium">
            Succeeded runs
          </th>
          <th scope="col" className="py-1.5 pr-3 text-right font-medium" title="Within 5 %">
            Median
          </th>
          <th scope="col" className="py-1.5 text-right font-medium" title="Within 5 %">
            p95
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.durations.map((d) => (
          <tr key={d.workflowID} className="border-t border-line">
            <td className="max-w-[14rem] truncate py-1.5 pr-3">
              <Link to="/workflows/$workflowId" params={{ workflowId: d.workflowID }} className="hover:underline" title={d.workflowID}>
                {d.workflowName || d.workflowID}
              </Link>
            </td>
            <td className="py-1.5 pr-3 text-right">
              <CountLink
                value={d.runs}
                link={linkable ? listLinks.ended('succeeded', span, d.workflowID) : undefined}
                label={`succeeded runs of ${d.workflowName || d.workflowID}`}
              />
            </td>
            <td className="py-1.5 pr-3 text-right tabular-nums">{formatDuration(d.medianMs)}</td>
            <td className="py-1.5 text-right tabular-nums">{formatDuration(d.p95Ms)}</td>
          </tr>
        ))}
      </tbody>
      {runs.moreWorkflows > 0 && (
        <tfoot>
          <tr>
            <td colSpan={4} className="pt-1.5 text-[12px] text-muted">
              and {formatCount(runs.moreWorkflows)} more workflow{runs.moreWorkflows === 1 ? '' : 's'} with fewer succeeded runs
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

/** "Runs over time": started runs per interval by outcome (chart or table), and durations per workflow. */
export function RunsPanel({
  window,
  view,
  onView,
  live,
  linkable,
}: {
  window: OverviewWindowKey;
  view: RunsView;
  onView: (v: RunsView) => void;
  live: LiveOptions;
  linkable: boolean;
}) {
  const q = useQuery(overviewRunsQuery(window, live));
  const runs = q.data;
  const navigate = useNavigate();
  const text = useBucketText(runs);
  const started = runs ? runs.buckets.reduce((s, b) => s + OUTCOMES.reduce((t, o) => t + b[o], 0), 0) : 0;
  return (
    <Panel
      title="Runs over time"
      description={`Runs started ${WINDOW_LABELS[window].toLowerCase()} per interval, by how they stand now.`}
      basis={runs?.basis}
      query={q}
      className="lg:col-span-2"
      actions={
        <Segmented<RunsView>
          label="Show runs as"
          value={view}
          onChange={onView}
          options={[
            { value: 'chart', label: 'Chart' },
            { value: 'table', label: 'Table' },
          ]}
        />
      }
    >
      {runs && (
        <>
          <ul className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-[12.5px] text-muted" aria-label="Legend">
            {OUTCOMES.map((o) => (
              <li key={o} className="inline-flex items-center gap-1.5">
                <span className={`inline-block size-2.5 rounded-sm ${OUTCOME_STYLE[o].swatch}`} aria-hidden="true" />
                {OUTCOME_STYLE[o].label}
              </li>
            ))}
            <li className="ml-auto">{formatCount(started)} started</li>
          </ul>
          {started === 0 ? (
            <Muted>
              No run started {WINDOW_LABELS[window].toLowerCase()}.{' '}
              <Link to="/workflows" className="text-accent-strong hover:underline">
                Run a workflow
              </Link>
              , or choose a longer window.
            </Muted>
          ) : view === 'chart' ? (
            <Suspense fallback={<Skeleton className="h-[220px] w-full" />}>
              <RunsChart
                buckets={runs.buckets}
                label={text.label}
                rangeLabel={text.rangeLabel}
                onOpen={(b) => linkable && void navigate({ to: '/instances', search: { from: b.start, to: b.end } as never })}
              />
            </Suspense>
          ) : (
            <RunsTable runs={runs} linkable={linkable} />
          )}
          <h3 className="mt-5 mb-1 text-[12.5px] font-semibold text-muted">Durations of succeeded runs, per workflow</h3>
          <Durations runs={runs} linkable={linkable} />
        </>
      )}
    </Panel>
  );
}
