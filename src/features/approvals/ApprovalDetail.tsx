import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { meQuery, useRefusal } from '../../api/access';
import { approvalQuery, useApprove, useReject, type ApprovalDetail as Detail } from '../../api/approvals';
import type { DryRunReport as Report } from '../../api/simulations';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Money } from '../../components/Money';
import { Facts, PageHeader, Section } from '../../components/Page';
import { ErrorState, PageSkeleton } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { WithReason } from '../../components/WithReason';
import { DryRunReport } from '../simulation/DryRunReport';
import { approvalStatus } from './status';

const route = getRouteApi('/approvals/$approvalId');

/** Why this caller may not approve (the server refuses it anyway), or undefined. */
function useApproveRefusal(approval: Detail | undefined): string | undefined {
  const me = useQuery(meQuery()).data;
  const role = useRefusal('decideApproval');
  if (role) return role;
  if (!me || !approval) return undefined;
  if (me.kind === 'local') return 'Four eyes needs sign-in: without it nobody can be the second person';
  if (me.kind === approval.requestedBy.kind && me.name === approval.requestedBy.name) return 'You requested this run: another person must approve it';
  return undefined;
}

/** One held run: who asked, why it is held, its variables, the sends it makes and a dry-run; Approve / Reject. */
export function ApprovalDetail() {
  const { approvalId } = route.useParams();
  const query = useQuery(approvalQuery(approvalId));
  const approval = query.data;
  const approve = useApprove();
  const reject = useReject();
  const [dialog, setDialog] = useState<'approve' | 'reject'>();
  const approveRefusal = useApproveRefusal(approval);
  const rejectRefusal = useRefusal('decideApproval');

  if (query.isPending) return <PageSkeleton />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Could not read this request" />;
  const a = query.data;
  const { label, tone } = approvalStatus(a);
  const pending = a.status === 'pending';
  const name = a.workflowName || a.workflowID;
  const variables = Object.entries(a.variables);

  return (
    <>
      <PageHeader
        title={`Run of “${name}”`}
        description="Held for approval: it starts, with these variables, only once another operator approves it."
        meta={<StatusBadge tone={tone}>{label}</StatusBadge>}
        actions={
          pending && (
            <>
              <WithReason reason={rejectRefusal}>
                <Button disabled={!!rejectRefusal} onClick={() => setDialog('reject')}>
                  Reject
                </Button>
              </WithReason>
              <WithReason reason={approveRefusal}>
                <Button variant="primary" disabled={!!approveRefusal} onClick={() => setDialog('approve')}>
                  Approve and run
                </Button>
              </WithReason>
            </>
          )
        }
      />
      {pending && approveRefusal && (
        <p className="mb-4 rounded-md border border-line bg-subtle px-3 py-2 text-[13px] text-muted" data-testid="approve-refusal">
          {approveRefusal}.
        </p>
      )}
      <Facts
        items={[
          {
            label: 'Workflow',
            value: (
              <Link to="/workflows/$workflowId" params={{ workflowId: a.workflowID }} className="text-accent-strong hover:underline">
                {name}
              </Link>
            ),
          },
          { label: 'Requested by', value: a.requestedBy.label },
          { label: 'Requested', value: <Time value={a.requestedAt} mode="absolute" /> },
          { label: pending ? 'Expires' : 'Was to expire', value: <Time value={a.expiresAt} mode="absolute" /> },
          ...(a.decidedBy
            ? [
                { label: a.status === 'approved' ? 'Approved by' : 'Rejected by', value: a.decidedBy.label },
                { label: 'Decided', value: a.decidedAt ? <Time value={a.decidedAt} mode="absolute" /> : '—' },
                ...(a.decisionReason ? [{ label: 'Reason', value: `“${a.decisionReason}”` }] : []),
              ]
            : []),
          ...(a.instanceID
            ? [
                {
                  label: 'Run',
                  value: (
                    <Link
                      to="/instances/$instanceId"
                      params={{ instanceId: a.instanceID }}
                      className="font-mono text-accent-strong hover:underline"
                      data-testid="approved-run"
                    >
                      {a.instanceID}
                    </Link>
                  ),
                },
              ]
            : []),
          ...(a.error ? [{ label: 'Did not start', value: <span className="text-danger">{a.error}</span> }] : []),
        ]}
      />
      <Section title="Held because">
        <ul className="list-disc space-y-0.5 pl-5 text-[13px]">
          {a.heldBecause.map((h, i) => (
            <li key={i}>{h.text}</li>
          ))}
        </ul>
      </Section>
      <Section title="Variables">
        {variables.length ? (
          <dl aria-label="Variables" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-xl border border-line bg-surface p-3 font-mono text-[12.5px]">
            {variables.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-muted">{k}</dt>
                <dd className="break-all">{v}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="text-[13px] text-muted">None.</p>
        )}
      </Section>
      <Section title="Sends in the definition">
        {a.sends.length ? (
          <ul aria-label="Sends" className="space-y-1 text-[13px]">
            {a.sends.map((s) => (
              <li key={s.stage}>
                Stage {s.stage + 1}: {s.amount !== undefined && s.asset ? <Money amount={s.amount} asset={s.asset} /> : `${s.asset ?? 'an amount'} decided when it runs`}{' '}
                from <span className="font-mono">{s.source}</span> to <span className="font-mono">{s.destination}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-[13px] text-muted">No send stage.</p>
        )}
      </Section>
      {pending && (
        <Section title="What it would do now (dry run)">
          {a.dryRun ? <DryRunReport report={a.dryRun as unknown as Report} /> : <p className="text-[13px] text-muted">No dry-run: {a.dryRunError ?? 'not available'}</p>}
        </Section>
      )}
      <ConfirmDialog
        open={dialog === 'approve'}
        tone="primary"
        title="Approve and start this run?"
        confirmLabel="Approve and run"
        askReason="optional"
        onClose={() => setDialog(undefined)}
        onConfirm={(reason) => approve.mutateAsync({ id: a.id, reason })}
      >
        <p>
          Starts <strong className="text-fg">{name}</strong> now with the variables requested by {a.requestedBy.label}. Its sends move money.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'reject'}
        title="Reject this run?"
        confirmLabel="Reject"
        askReason="required"
        onClose={() => setDialog(undefined)}
        onConfirm={(reason) => reject.mutateAsync({ id: a.id, reason })}
      >
        <p>The run never starts. {a.requestedBy.label} sees your reason on the request and in the audit log.</p>
      </ConfirmDialog>
    </>
  );
}
