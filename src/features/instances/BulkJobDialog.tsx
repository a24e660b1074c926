import { useEffect, useId, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { bulkJobItemsQuery, bulkJobQuery, fetchAllBulkJobItems, useStopBulkJob, type BulkJob, type BulkOutcome } from '../../api/bulkJobs';
import { errorText } from '../../api/errors';
import { instanceKeys } from '../../api/instances';
import { Button } from '../../components/Button';
import { Select } from '../../components/inputs';
import { Time } from '../../components/Time';
import { toast } from '../../components/toast';
import { useModalDialog } from '../../components/useModalDialog';
import { saveFile } from '../../lib/download';
import { CSV_BOM, csvRow } from '../../../common/csv';
import { formatCount as count } from '../../lib/count';

export const OUTCOME_LABEL: Record<BulkOutcome, string> = { pending: 'Pending', done: 'Aborted', skipped: 'Skipped', failed: 'Failed' };
const OUTCOME_CLASS: Record<BulkOutcome, string> = {
  pending: 'text-muted',
  done: 'text-emerald-700 dark:text-emerald-400',
  skipped: 'text-amber-800 dark:text-amber-300',
  failed: 'text-danger',
};

const isOpen = (job: BulkJob) => job.state === 'collecting' || job.state === 'running';

/** One line on a job: how far it is, or how it ended. */
export function jobSummary(job: BulkJob): string {
  const parts = [`${count(job.done)} aborted`, `${count(job.skipped)} skipped`, `${count(job.failed)} failed`];
  if (job.state === 'collecting') return `Listing the instances to abort… ${count(job.total)} so far`;
  if (job.state === 'running') return `${count(job.total - job.pending)} of ${count(job.total)} done: ${parts.join(', ')}`;
  return `${job.state === 'stopped' ? 'Stopped' : 'Finished'}: ${parts.join(', ')}${job.pending ? `, ${count(job.pending)} left as they were` : ''} (of ${count(job.total)})`;
}

async function downloadReport(job: BulkJob) {
  const items = await fetchAllBulkJobItems(job.id);
  const lines = [csvRow(['Position', 'Instance', 'Outcome', 'Message', 'At'])];
  for (const i of items) lines.push(csvRow([String(i.position + 1), i.instanceID, OUTCOME_LABEL[i.outcome], i.message ?? '', i.at ?? '']));
  saveFile(`bulk-abort-${job.id}.csv`, [CSV_BOM, ...lines], 'text/csv;charset=utf-8');
}

/** A bulk job's progress while it runs, then its report row by row (downloadable as CSV); it can be stopped. */
export function BulkJobDialog({ jobId, open, onClose }: { jobId: string; open: boolean; onClose: () => void }) {
  const titleId = useId();
  const ref = useModalDialog(open, { onClose });
  const job = useQuery(bulkJobQuery(jobId)).data;
  const [outcome, setOutcome] = useState<BulkOutcome | undefined>();
  const running = !!job && isOpen(job);
  const items = useQuery({ ...bulkJobItemsQuery(jobId, outcome, running), enabled: open });
  const stop = useStopBulkJob();
  const finishedCount = job ? job.total - job.pending : 0;
  // The list behind shows the aborted runs as such once the job is over.
  const qc = useQueryClient();
  const over = !!job && !running;
  useEffect(() => {
    if (over) void qc.invalidateQueries({ queryKey: instanceKeys.lists() });
  }, [over, qc]);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className="m-auto w-[min(94vw,640px)] rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl">
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold">
          Bulk abort
        </h2>
        {job && (
          <>
            <p className="mt-1 text-[13px] text-muted">
              Started <Time value={job.createdAt} mode="absolute" />, on the server: closing this window does not stop it.
            </p>
            <p className="mt-3 text-[13px]" data-testid="bulk-job-summary" data-state={job.state} aria-live="polite">
              {jobSummary(job)}
            </p>
            {job.error && (
              <p role="alert" className="mt-2 rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
                The job stopped: {job.error}
              </p>
            )}
            <div
              role="progressbar"
              aria-label="Bulk abort progress"
              aria-valuemin={0}
              aria-valuemax={job.total}
              aria-valuenow={finishedCount}
              className="mt-2 h-1.5 overflow-hidden rounded-full bg-subtle"
            >
              <div className="h-full bg-accent transition-[width]" style={{ width: job.total ? `${(finishedCount / job.total) * 100}%` : running ? '0%' : '100%' }} />
            </div>
          </>
        )}
        <div className="mt-4 flex flex-wrap items-center justify-between gap-2">
          <Select label="Show" value={outcome ?? 'all'} onChange={(e) => setOutcome(e.target.value === 'all' ? undefined : (e.target.value as BulkOutcome))}>
            <option value="all">Every instance</option>
            <option value="done">Aborted</option>
            <option value="skipped">Skipped</option>
            <option value="failed">Failed</option>
            <option value="pending">Pending</option>
          </Select>
          {job && (
            <Button
              size="sm"
              disabled={running}
              title={running ? 'The report can be downloaded once the job is over' : undefined}
              onClick={() =>
                void downloadReport(job).catch((err: unknown) => toast({ tone: 'error', title: 'Could not download the report', description: errorText(err) }))
              }
            >
              Download report (CSV)
            </Button>
          )}
        </div>
        <div className="mt-2 max-h-72 overflow-auto rounded-md border border-line">
          <table className="w-full text-[13px]" aria-label="Bulk abort report">
            <thead className="sticky top-0 bg-subtle text-left text-xs text-muted">
              <tr>
                <th className="px-2.5 py-1.5 font-medium">#</th>
                <th className="px-2.5 py-1.5 font-medium">Instance</th>
                <th className="px-2.5 py-1.5 font-medium">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {(items.data?.data ?? []).map((i) => (
                <tr key={i.position} className="border-t border-line align-top" data-outcome={i.outcome}>
                  <td className="px-2.5 py-1.5 text-muted tabular-nums">{i.position + 1}</td>
                  <td className="max-w-[14rem] truncate px-2.5 py-1.5">
                    <Link
                      to="/instances/$instanceId"
                      params={{ instanceId: i.instanceID }}
                      className="font-mono text-xs text-accent-strong hover:underline"
                      title={i.instanceID}
                    >
                      {i.instanceID}
                    </Link>
                  </td>
                  <td className="px-2.5 py-1.5">
                    <span className={OUTCOME_CLASS[i.outcome]}>{OUTCOME_LABEL[i.outcome]}</span>
                    {i.message && <span className="text-muted"> — {i.message}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.data && items.data.data.length === 0 && <p className="px-2.5 py-3 text-[13px] text-muted">No instance here.</p>}
          {items.isError && <p className="px-2.5 py-3 text-[13px] text-danger">{errorText(items.error)}</p>}
        </div>
        {items.data?.hasMore && <p className="mt-1 text-xs text-muted">The first {items.data.data.length} rows; the downloaded report has every one.</p>}
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        {running && (
          <Button variant="danger" disabled={stop.isPending} onClick={() => stop.mutate(jobId)} title="What is done stays done; the rest is left as it is">
            Stop the job
          </Button>
        )}
        <Button variant="primary" onClick={() => ref.current?.close()}>
          Close
        </Button>
      </div>
    </dialog>
  );
}

/** The bulk job started from this list: a line saying how far it is, its report one click away. */
export function BulkJobNote({ jobId, onShow }: { jobId: string; onShow: () => void }) {
  const job = useQuery(bulkJobQuery(jobId)).data;
  if (!job) return null;
  return (
    <div role="status" className="mb-3 flex flex-wrap items-center gap-3 rounded-lg border border-line bg-subtle px-3 py-2 text-[13px]" data-testid="bulk-job-note">
      <span>Bulk abort · {jobSummary(job)}</span>
      <Button variant="ghost" size="sm" onClick={onShow}>
        Show report
      </Button>
    </div>
  );
}
