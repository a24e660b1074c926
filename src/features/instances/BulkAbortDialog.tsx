import { useQueries } from '@tanstack/react-query';
import { useAskReason } from '../../api/access';
import { instanceQuery, useAbortInstances } from '../../api/instances';
import { errorText } from '../../api/errors';
import { useIsRemote } from '../../api/info';
import type { WorkflowInstance } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { toast } from '../../components/toast';
import { STACK_ABORT } from './abort';
import { ProgressBadge, ProgressDetail, useInstanceProgress } from './InstanceProgress';

function PreviewRow({ instance }: { instance: WorkflowInstance }) {
  const { status } = useInstanceProgress(instance, false);
  return (
    <li className="flex min-w-0 flex-col gap-0.5 border-b border-line px-2.5 py-1.5 last:border-0">
      <span className="flex min-w-0 items-center justify-between gap-2">
        <code className="truncate font-mono text-[12px] text-fg" title={instance.id}>
          {instance.id}
        </code>
        <ProgressBadge status={status} />
      </span>
      <span className="flex min-w-0 gap-1 text-xs">
        <span className="max-w-[50%] shrink-0 truncate text-fg" title={instance.workflow?.config.name || instance.workflowID}>
          {instance.workflow?.config.name || instance.workflowID}
        </span>
        <ProgressDetail status={status} compact className="truncate text-xs" />
      </span>
    </li>
  );
}

/**
 * Bulk abort with a preview of exactly which instances stop: the selection is re-read from the
 * server when the dialog opens; only those still running are aborted, the others are listed
 * as skipped. Failures keep their instances selected and are listed in the dialog.
 */
export function BulkAbortDialog({
  open,
  selected,
  onClose,
  onAborted,
}: {
  open: boolean;
  selected: WorkflowInstance[];
  onClose: () => void;
  onAborted: (ids: string[]) => void;
}) {
  const fresh = useQueries({
    queries: selected.map((i) => ({ ...instanceQuery(i.id), enabled: open, staleTime: 0 })),
  });
  const current = selected.map((i, n) => ({ ...i, ...(fresh[n]?.data ?? {}) }) as WorkflowInstance);
  const loading = open && fresh.some((q) => q.isPending);
  const running = current.filter((i) => !i.terminated);
  const finished = current.filter((i) => i.terminated);
  const abort = useAbortInstances();
  const remote = useIsRemote();
  const verb = remote ? 'Ask the stack to abort' : 'Abort';
  const askReason = useAskReason();

  return (
    <ConfirmDialog
      open={open}
      title={running.length === 1 ? `${verb} 1 instance?` : `${verb} ${running.length} instances?`}
      confirmLabel={remote ? 'Ask to abort' : running.length === 1 ? 'Abort 1 instance' : `Abort ${running.length} instances`}
      confirmDisabled={loading || running.length === 0}
      askReason={askReason}
      onClose={onClose}
      onConfirm={async (reason) => {
        const results = await abort.mutateAsync({ instanceIDs: running.map((i) => i.id), reason });
        const ok = results.filter((r) => r.ok).map((r) => r.id);
        const failed = results.filter((r) => !r.ok);
        onAborted(ok);
        if (ok.length) toast({ tone: 'success', title: ok.length === 1 ? 'Aborted 1 instance' : `Aborted ${ok.length} instances` });
        if (failed.length) {
          const why = remote ? ' The stack cannot abort a run that has started: these go on, as it reports them.' : '';
          throw new Error(
            `${failed.length} could not be aborted (still selected): ` +
              failed.map((f) => `${f.id.slice(0, 8)}… ${errorText('error' in f ? f.error : '')}`).join('; ') +
              `.${why}`,
          );
        }
      }}
    >
      {loading ? (
        <p>Checking the selected instances…</p>
      ) : (
        <div className="space-y-3" data-testid="bulk-abort-preview">
          {running.length > 0 ? (
            <>
              {remote ? (
                <p data-testid="abort-explanation">{STACK_ABORT}</p>
              ) : (
                <p>
                  These {running.length === 1 ? 'instance stops' : `${running.length} instances stop`} at once: the current stage is cancelled (waits, timers and retries)
                  and each ends with the error <code className="font-mono">canceled</code>. Later stages never run; transactions already made are not undone.
                </p>
              )}
              <ul aria-label="Instances to abort" className="max-h-56 overflow-auto rounded-md border border-line">
                {running.map((i) => (
                  <PreviewRow key={i.id} instance={i} />
                ))}
              </ul>
            </>
          ) : (
            <p>None of the selected instances is still running: there is nothing to abort.</p>
          )}
          {finished.length > 0 && (
            <>
              <p>Skipped — already finished ({finished.length}):</p>
              <ul aria-label="Skipped instances" className="max-h-32 overflow-auto rounded-md border border-line">
                {finished.map((i) => (
                  <PreviewRow key={i.id} instance={i} />
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </ConfirmDialog>
  );
}
