import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { auditTrailQuery } from '../../api/audit';
import { Section } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { EntryTargets } from './AuditTarget';
import { abortedBySentence, entryVerb, lastAbort, outcomeText, whoDid } from './sentences';

/** What was done to a workflow, instance or trigger, from the audit log (its page's "Activity"). */
export function AuditTrail({ targetType, targetId }: { targetType: 'workflow' | 'instance' | 'trigger'; targetId: string }) {
  const trail = useQuery(auditTrailQuery(targetType, targetId));
  const entries = trail.data ?? [];
  return (
    <Section
      title="Activity"
      actions={
        <Link to="/audit" search={{ targetType, targetId }} className="text-[13px] text-accent-strong hover:underline">
          Open in the audit log
        </Link>
      }
    >
      {trail.isPending ? (
        <p className="text-[13px] text-muted">Reading the audit log…</p>
      ) : trail.isError ? (
        <p className="text-[13px] text-muted">The audit log could not be read.</p>
      ) : entries.length === 0 ? (
        <p className="text-[13px] text-muted">Nothing recorded through this console yet.</p>
      ) : (
        <ul aria-label="Activity" className="divide-y divide-line rounded-xl border border-line bg-surface">
          {entries.map((e) => {
            const { text, tone } = outcomeText(e);
            return (
              <li key={e.id} className="flex flex-wrap items-baseline gap-x-2 gap-y-1 px-4 py-2 text-[13px]">
                <Time value={e.at} className="w-24 shrink-0 text-xs text-muted" />
                <span className="font-medium">{whoDid(e)}</span>
                <span>
                  {entryVerb(e)} <EntryTargets entry={e} />
                </span>
                {e.reason && <span className="text-muted">— {e.reason}</span>}
                {e.outcome?.outcome !== 'succeeded' && <StatusBadge tone={tone}>{text}</StatusBadge>}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

/** "Aborted by client ops-bot — duplicate payout", once the log has that instance's abort. */
export function AbortedBy({ instanceId }: { instanceId: string }) {
  const trail = useQuery(auditTrailQuery('instance', instanceId));
  const abort = lastAbort(trail.data ?? []);
  if (!abort) return null;
  return (
    <p
      data-testid="aborted-by"
      className="mb-4 rounded-xl border border-amber-300 bg-amber-50 px-4 py-2.5 text-[13px] text-amber-950 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200"
    >
      {abortedBySentence(abort)} · <Time value={abort.at} />
    </p>
  );
}
