import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { LiveOptions } from '../../api/instances';
import { overviewAttentionQuery, type AttentionThresholds } from '../../api/overview';
import { Select } from '../../components/inputs';
import { Time } from '../../components/Time';
import { listLinks, type ListLink } from './links';
import { CountLink, InstanceLink, Panel } from './parts';
import { DELAYED_CHOICES, RETRY_CHOICES, spanText, WAITING_CHOICES } from './thresholds';

function Row({ title, count, link, label, children }: { title: ReactNode; count: number; link: ListLink | undefined; label: string; children?: ReactNode }) {
  return (
    <li className="py-2.5 first:pt-0" data-testid="attention-row">
      <div className="flex items-baseline justify-between gap-3">
        <p className="text-[13px]">{title}</p>
        <CountLink value={count} link={link} label={label} className={count > 0 ? 'text-lg font-semibold' : 'text-lg font-semibold !text-muted'} />
      </div>
      {children}
    </li>
  );
}

/** "Needs attention": long waits, long retry streaks, far delays, triggers failing. */
export function AttentionPanel({
  thresholds,
  onThresholds,
  live,
  linkable,
}: {
  thresholds: AttentionThresholds;
  onThresholds: (t: Partial<AttentionThresholds>) => void;
  live: LiveOptions;
  linkable: boolean;
}) {
  const q = useQuery(overviewAttentionQuery(thresholds, live));
  const a = q.data;
  const nothing = a && a.waiting.count === 0 && a.retrying.count === 0 && a.delayed.count === 0 && a.triggers.length === 0;
  return (
    <Panel
      title="Needs attention"
      description="Runs that may be stuck, and triggers that keep failing."
      basis={a?.basis}
      query={q}
      actions={
        <details className="text-[12.5px]">
          <summary className="cursor-pointer text-muted hover:text-fg">Thresholds</summary>
          <div className="mt-2 flex flex-col items-end gap-2">
            <Select label="Waiting longer than" value={thresholds.waitingLongerThan} onChange={(e) => onThresholds({ waitingLongerThan: e.target.value })}>
              {WAITING_CHOICES.map((v) => (
                <option key={v} value={v}>
                  {spanText(v)}
                </option>
              ))}
            </Select>
            <Select label="Failed attempts, at least" value={thresholds.minRetries} onChange={(e) => onThresholds({ minRetries: Number(e.target.value) })}>
              {RETRY_CHOICES.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </Select>
            <Select label="Delayed beyond" value={thresholds.delayedBeyond} onChange={(e) => onThresholds({ delayedBeyond: e.target.value })}>
              {DELAYED_CHOICES.map((v) => (
                <option key={v} value={v}>
                  {spanText(v)}
                </option>
              ))}
            </Select>
          </div>
        </details>
      }
    >
      {a && (
        <>
          {nothing && (
            <p className="mb-2 text-[13px] text-muted">
              Nothing needs attention: no run has waited for an event longer than {spanText(thresholds.waitingLongerThan)}, none has failed {thresholds.minRetries}{' '}
              attempts, none is delayed beyond {spanText(thresholds.delayedBeyond)}, and no trigger’s latest occurrence failed.
            </p>
          )}
          <ul className="divide-y divide-line">
            <Row
              title={<>Waiting for an event for more than {spanText(a.thresholds.waitingLongerThan)}</>}
              count={a.waiting.count}
              link={linkable ? listLinks.waitingSince(a.thresholds.waitingSince) : undefined}
              label={`waiting longer than ${spanText(a.thresholds.waitingLongerThan)}`}
            >
              <Examples>
                {a.waiting.examples.map((e) => (
                  <li key={e.instanceID}>
                    <InstanceLink id={e.instanceID} /> {e.workflowName} waits for <code className="font-mono">{e.event}</code> since <Time value={e.since} />
                  </li>
                ))}
              </Examples>
            </Row>
            <Row
              title={<>Retrying after {a.thresholds.minRetries} or more failed attempts</>}
              count={a.retrying.count}
              link={linkable ? listLinks.retryingAtLeast(a.thresholds.minRetries) : undefined}
              label={`retrying after ${a.thresholds.minRetries} or more failed attempts`}
            >
              <Examples>
                {a.retrying.examples.map((e) => (
                  <li key={e.instanceID} className="min-w-0 truncate" title={e.lastFailure}>
                    <InstanceLink id={e.instanceID} /> {e.workflowName}: {e.failedAttempts} failed attempts
                    {e.lastFailure && <span className="font-mono"> — {e.lastFailure}</span>}
                  </li>
                ))}
              </Examples>
            </Row>
            <Row
              title={<>Delayed beyond {spanText(a.thresholds.delayedBeyond)} from now</>}
              count={a.delayed.count}
              link={linkable ? listLinks.delayedBeyond(a.thresholds.resumesAfter) : undefined}
              label={`delayed beyond ${spanText(a.thresholds.delayedBeyond)}`}
            >
              <Examples>
                {a.delayed.examples.map((e) => (
                  <li key={e.instanceID}>
                    <InstanceLink id={e.instanceID} /> {e.workflowName} resumes <Time value={e.until} />
                  </li>
                ))}
              </Examples>
            </Row>
            <li className="py-2.5 last:pb-0">
              <p className="text-[13px]">Triggers whose latest occurrences failed</p>
              {a.triggers.length === 0 ? (
                <p className="mt-1 text-[12.5px] text-muted">None.</p>
              ) : (
                <ul className="mt-1 space-y-1 text-[12.5px]" data-testid="failing-triggers">
                  {a.triggers.map((t) => (
                    <li key={t.triggerID} className="min-w-0">
                      <Link to="/triggers/$triggerId" params={{ triggerId: t.triggerID }} className="font-medium text-accent-strong hover:underline">
                        {t.name || t.event}
                      </Link>{' '}
                      <span className="text-muted">on {t.event}:</span>{' '}
                      <Link
                        to="/triggers/$triggerId"
                        params={{ triggerId: t.triggerID }}
                        className="tabular-nums text-accent-strong underline decoration-accent/40 underline-offset-2"
                        aria-label={`${t.failedInARow} failed in a row: open the trigger's occurrences`}
                      >
                        {t.failedInARow >= 10 ? '10+' : t.failedInARow}
                      </Link>{' '}
                      failed in a row, last <Time value={t.lastAt} />
                      <p className="truncate font-mono text-muted" title={t.lastError}>
                        {t.lastError}
                      </p>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          </ul>
        </>
      )}
    </Panel>
  );
}

function Examples({ children }: { children: ReactNode[] }) {
  if (children.length === 0) return null;
  return <ul className="mt-1 space-y-0.5 text-[12.5px] text-muted">{children}</ul>;
}
