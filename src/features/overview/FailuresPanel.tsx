import { useQuery } from '@tanstack/react-query';
import type { LiveOptions } from '../../api/instances';
import { overviewFailuresQuery, type OverviewWindowKey } from '../../api/overview';
import { Time } from '../../components/Time';
import { listLinks } from './links';
import { CountLink, InstanceLink, Muted, Panel, formatCount } from './parts';
import { WINDOW_LABELS } from './windows';

/** "Failures by reason": failed instances grouped by their normalized error. */
export function FailuresPanel({ window, live, linkable }: { window: OverviewWindowKey; live: LiveOptions; linkable: boolean }) {
  const q = useQuery(overviewFailuresQuery(window, live));
  const f = q.data;
  const span = f ? { from: f.window.from, to: f.window.to } : undefined;
  return (
    <Panel
      title="Failures by reason"
      description={
        <>
          Failed {WINDOW_LABELS[window].toLowerCase()}, grouped by error with ids, amounts and account numbers masked (<code className="font-mono">{'{n}'}</code>,{' '}
          <code className="font-mono">{'{id}'}</code>).
        </>
      }
      basis={f?.basis}
      query={q}
    >
      {f && span && (
        <>
          {f.reasons.length === 0 ? (
            <Muted>No failure {WINDOW_LABELS[window].toLowerCase()}. When a run fails, its cause shows here with the runs it hit.</Muted>
          ) : (
            <ol className="divide-y divide-line" data-testid="failure-reasons">
              {f.reasons.map((r) => (
                <li key={r.reason} className="py-2.5 first:pt-0 last:pb-0" data-testid="failure-reason">
                  <div className="flex items-start justify-between gap-3">
                    <p className="min-w-0 font-mono text-[12.5px] break-words" data-testid="failure-reason-text">
                      {r.reason || <span className="text-muted italic">(no message)</span>}
                    </p>
                    <CountLink
                      value={r.count}
                      link={linkable ? listLinks.reason(r.reason, span) : undefined}
                      label={`failures: ${r.reason}`}
                      className="shrink-0 text-lg font-semibold"
                    />
                  </div>
                  <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-[12.5px] text-muted">
                    <span>
                      first <Time value={r.firstSeen} />, last <Time value={r.lastSeen} />
                    </span>
                    <span>
                      e.g. <InstanceLink id={r.exampleInstanceID} />
                    </span>
                  </p>
                  <ul className="mt-1.5 flex flex-wrap gap-1.5 text-[12px]" aria-label={`Workflows affected (${r.workflows.length})`}>
                    {r.workflows.map((w) => (
                      <li key={w.workflowID} className="inline-flex items-center gap-1 rounded-full border border-line px-2 py-0.5">
                        <span className="max-w-[12rem] truncate" title={w.workflowID}>
                          {w.workflowName || w.workflowID}
                        </span>
                        <CountLink
                          value={w.count}
                          link={linkable ? listLinks.reason(r.reason, span, w.workflowID) : undefined}
                          label={`failures of ${w.workflowName || w.workflowID}: ${r.reason}`}
                          className="font-medium"
                        />
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
          {f.more.reasons > 0 && (
            <p className="mt-2 text-[12.5px] text-muted">
              and {formatCount(f.more.reasons)} more reason{f.more.reasons === 1 ? '' : 's'} ({formatCount(f.more.failures)} failure{f.more.failures === 1 ? '' : 's'}):{' '}
              <CountLink value={f.total} link={linkable ? listLinks.ended('failed', span) : undefined} label="failures in all" /> in all.
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
