import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useAskReason } from '../../api/access';
import { bulkPreviewQuery, useCreateBulkJob, type BulkJob, type BulkJobRequest } from '../../api/bulkJobs';
import { errorText } from '../../api/errors';
import { useIsRemote } from '../../api/info';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Time } from '../../components/Time';
import { STACK_ABORT } from './abort';
import { formatCount as count } from '../../lib/count';

interface SampleRow {
  id: string;
  workflowID: string;
  createdAt: string;
  workflow?: { config?: { name?: string | null } };
}

/**
 * "Abort all matching": a preview of what the list's filters match now (how many are running,
 * the first of them), a confirmation (with the reason the settings may require), then a bulk job
 * on the server that aborts every one of them, loaded or not.
 */
export function BulkAbortAllDialog({
  open,
  filters,
  onClose,
  onStarted,
}: {
  open: boolean;
  /** the list's filters as query parameters */
  filters: Record<string, string>;
  onClose: () => void;
  onStarted: (job: BulkJob) => void;
}) {
  const request: BulkJobRequest = { action: 'abort', filters };
  const preview = useQuery({ ...bulkPreviewQuery(request), enabled: open });
  const create = useCreateBulkJob();
  const askReason = useAskReason();
  const remote = useIsRemote();
  const p = preview.data;
  const title = !p ? 'Abort all matching instances?' : `Abort all ${count(p.count)}${p.exact ? '' : '+'} running ${p.count === 1 ? 'instance' : 'instances'} matching?`;

  return (
    <ConfirmDialog
      open={open}
      title={title}
      confirmLabel={p ? `Abort ${count(p.count)}${p.exact ? '' : '+'} ${p.count === 1 ? 'instance' : 'instances'}` : 'Abort'}
      confirmDisabled={!p || p.count === 0}
      askReason={askReason}
      onClose={onClose}
      onConfirm={async (reason) => {
        const job = await create.mutateAsync({ ...request, upTo: p!.upTo, reason });
        onStarted(job);
      }}
    >
      {preview.isPending ? (
        <p>Counting the instances the filters match…</p>
      ) : preview.isError ? (
        <p role="alert" className="text-danger">
          Could not preview: {errorText(preview.error)}
        </p>
      ) : (
        <div className="space-y-3" data-testid="bulk-preview">
          <p data-testid="bulk-preview-count">
            The filters match {p!.matching !== undefined ? `${count(p!.matching)} ${p!.matching === 1 ? 'instance' : 'instances'}, ` : ''}
            <strong className="text-fg">
              {count(p!.count)}
              {p!.exact ? '' : '+'} still running
            </strong>
            {p!.matching !== undefined && p!.matching > p!.count ? ' (finished ones are left as they are)' : ''}. Every running one started until{' '}
            <Time value={p!.upTo} mode="absolute" /> is aborted, loaded in the list or not; runs started later are left alone.
          </p>
          {p!.note && <p>{p!.note}</p>}
          {remote ? (
            <p>{STACK_ABORT}</p>
          ) : (
            <p>
              Each stops at once: its current stage is cancelled and it ends with the error <code className="font-mono">canceled</code>. Transactions already made are not
              undone. The job runs on the server; its report lists each instance’s outcome.
            </p>
          )}
          {p!.sample.length > 0 && (
            <>
              <p>{p!.count > p!.sample.length ? `The first ${p!.sample.length}:` : 'They are:'}</p>
              <ul aria-label="Sample of the instances to abort" className="max-h-56 overflow-auto rounded-md border border-line">
                {(p!.sample as unknown as SampleRow[]).map((i) => (
                  <li key={i.id} className="flex min-w-0 items-center justify-between gap-2 border-b border-line px-2.5 py-1.5 text-xs last:border-0">
                    <Link to="/instances/$instanceId" params={{ instanceId: i.id }} className="truncate font-mono text-accent-strong hover:underline" title={i.id}>
                      {i.id}
                    </Link>
                    <span className="max-w-[40%] shrink-0 truncate text-fg">{i.workflow?.config?.name || i.workflowID}</span>
                    <Time value={i.createdAt} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </ConfirmDialog>
  );
}
