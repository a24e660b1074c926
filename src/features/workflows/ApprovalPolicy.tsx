import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useAskReason, useRefusal } from '../../api/access';
import { approvalPolicyQuery, useSetApprovalPolicy } from '../../api/approvals';
import { errorText } from '../../api/errors';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { RefusalNote, WithReason } from '../../components/WithReason';

/** "Requires approval" beside the workflow's name, for everyone who opens it (nothing while off). */
export function RequiresApprovalBadge({ workflowID }: { workflowID: string }) {
  const policy = useQuery(approvalPolicyQuery(workflowID));
  if (!policy.data?.requiresApproval) return null;
  return (
    <span data-testid="requires-approval-badge">
      <StatusBadge tone="warning" title="Every run waits until a second person with the operator role approves it">
        Requires approval
      </StatusBadge>
    </span>
  );
}

/**
 * Four eyes per workflow (docs/accountability.md): whether every run is held until a different
 * operator approves it, and — for an admin — the switch. Both directions are confirmed and ask a
 * reason (required when the settings require one): turning it off removes a control on money.
 */
export function ApprovalPolicySection({ workflowID, deleted }: { workflowID: string; deleted: boolean }) {
  const policy = useQuery(approvalPolicyQuery(workflowID));
  const update = useSetApprovalPolicy();
  const roleRefusal = useRefusal('setApprovalPolicy');
  const askReason = useAskReason();
  const [confirming, setConfirming] = useState<boolean>();
  const on = policy.data?.requiresApproval ?? false;
  const refusal = deleted ? 'This workflow is deleted: it cannot be run' : roleRefusal;

  return (
    <section className="mt-6" aria-labelledby="approval-policy-title">
      <div className="flex flex-wrap items-start justify-between gap-3 rounded-xl border border-line bg-surface px-4 py-3" data-testid="approval-policy">
        <div className="min-w-0 flex-1">
          <h2 id="approval-policy-title" className="flex items-center gap-2 text-sm font-semibold">
            <Icon name="lock" size={13} /> Four eyes
            {policy.isSuccess && (on ? <StatusBadge tone="warning">Requires approval</StatusBadge> : <StatusBadge tone="neutral">Not required</StatusBadge>)}
          </h2>
          <p className="mt-1 text-[13px] text-muted">
            {policy.isError ? (
              <span className="text-danger">Cannot read the approval policy: {errorText(policy.error)}</span>
            ) : on ? (
              <>
                Every run of this workflow, from the console or the API, waits until a second person with the operator role approves it on the{' '}
                <Link to="/approvals" className="text-accent-strong underline decoration-accent/40 underline-offset-2">
                  Approvals
                </Link>{' '}
                page. Runs started by triggers are not held.
              </>
            ) : (
              <>
                Runs start at once, unless their sends go over an approval limit of{' '}
                <Link to="/settings" className="text-accent-strong underline decoration-accent/40 underline-offset-2">
                  Settings
                </Link>
                . Requiring approval holds every run until a second person approves it.
              </>
            )}
            {policy.data?.updatedBy && (
              <span className="ml-1">
                Changed by {policy.data.updatedBy} <Time value={policy.data.updatedAt} />.
              </span>
            )}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <WithReason reason={refusal}>
            <Button variant={on ? 'secondary' : 'primary'} disabled={!policy.isSuccess || !!refusal || update.isPending} onClick={() => setConfirming(!on)}>
              {on ? 'Stop requiring approval' : 'Require approval'}
            </Button>
          </WithReason>
          <RefusalNote reason={refusal} />
        </div>
      </div>
      <ConfirmDialog
        open={confirming !== undefined}
        title={confirming ? 'Require approval for every run?' : 'Stop requiring approval?'}
        confirmLabel={confirming ? 'Require approval' : 'Stop requiring approval'}
        tone={confirming ? 'primary' : 'danger'}
        askReason={askReason}
        onClose={() => setConfirming(undefined)}
        onConfirm={(reason) => update.mutateAsync({ workflowID, requiresApproval: confirming!, ...(reason ? { reason } : {}) })}
      >
        {confirming ? (
          <p>Every run of this workflow, from the console or the API, will wait until a person other than its requester approves it. Runs already started go on.</p>
        ) : (
          <p>
            This removes a control on money: runs of this workflow will start at once without a second person’s approval (unless their sends go over an approval limit).
            Requests already waiting stay on the Approvals page.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
