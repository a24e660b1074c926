import { useQuery } from '@tanstack/react-query';
import { useAskReason } from '../../api/access';
import { Link } from '@tanstack/react-router';
import { errorText } from '../../api/errors';
import { useIsRemote } from '../../api/info';
import { triggerKeys } from '../../api/triggers';
import type { Workflow } from '../../api/types';
import { useDeleteWorkflow } from '../../api/workflows';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { triggersOf, useDeleteWorkflowAndTriggers } from './deleteWorkflow';

/**
 * Deleting a workflow, said as it will happen. Embedded: a soft delete that also stops its
 * triggers. Remote: upstream keeps firing a deleted workflow's triggers and hides the runs they
 * start, so the dialog lists the workflow's triggers and deletes them first.
 */
export function DeleteWorkflowDialog({
  workflow,
  onClose,
  onDeleted,
}: {
  workflow: Workflow | undefined;
  onClose: () => void;
  onDeleted?: () => Promise<unknown> | void;
}) {
  const remote = useIsRemote();
  const name = workflow?.config.name || workflow?.id;
  const embedded = useDeleteWorkflow();
  const withTriggers = useDeleteWorkflowAndTriggers();
  const askReason = useAskReason();
  const triggers = useQuery({
    queryKey: [...triggerKeys.lists(), 'of-workflow', workflow?.id],
    queryFn: ({ signal }) => triggersOf(workflow!.id, signal),
    enabled: remote && !!workflow,
    staleTime: 0,
    retry: false,
  });
  const own = triggers.data ?? [];

  if (!remote) {
    return (
      <ConfirmDialog
        open={!!workflow}
        title="Delete this workflow?"
        confirmLabel="Delete workflow"
        askReason={askReason}
        onClose={onClose}
        onConfirm={async (reason) => {
          await embedded.mutateAsync({ id: workflow!.id, reason });
          await onDeleted?.();
        }}
      >
        <p>
          “{name}” will be soft-deleted: it disappears from the lists and can no longer be run, and its instances leave the instance lists. Running instances are not
          stopped, triggers on it stop firing, and the definition stays readable by id.
        </p>
      </ConfirmDialog>
    );
  }

  return (
    <ConfirmDialog
      open={!!workflow}
      title="Delete this workflow?"
      confirmLabel={own.length ? `Delete ${own.length} trigger${own.length === 1 ? '' : 's'} and the workflow` : 'Delete workflow'}
      confirmDisabled={!triggers.isSuccess}
      askReason={askReason}
      onClose={onClose}
      onConfirm={async (reason) => {
        await withTriggers.mutateAsync({ workflowID: workflow!.id, reason });
        await onDeleted?.();
      }}
    >
      <p>
        On a Formance stack, deleting a workflow does not stop its triggers: the stack keeps firing them, and the runs they start are left out of every instance list.
      </p>
      <div className="mt-2" data-testid="workflow-triggers">
        {triggers.isPending ? (
          <p>Reading the stack’s triggers…</p>
        ) : triggers.isError ? (
          <p className="text-danger">Cannot list this workflow’s triggers, so it cannot be deleted safely: {errorText(triggers.error)}</p>
        ) : own.length ? (
          <>
            <p>The console deletes its {own.length === 1 ? 'trigger' : `${own.length} triggers`} first:</p>
            <ul className="mt-1 list-disc pl-5 text-fg">
              {own.map((t) => (
                <li key={t.id}>
                  <Link to="/triggers/$triggerId" params={{ triggerId: t.id }} className="text-accent-strong hover:underline" target="_blank">
                    {t.name || t.id}
                  </Link>{' '}
                  <span className="font-mono text-xs text-muted">on {t.event}</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>It has no trigger.</p>
        )}
      </div>
      <p className="mt-2">
        Then “{name}” is soft-deleted: it leaves the workflow list and its instances leave the instance lists (they stay readable by id, also from its page). Running
        instances are not stopped. The stack would still run it by id; the console does not offer to.
      </p>
    </ConfirmDialog>
  );
}
