import { useId, useRef, useState } from 'react';
import { downloadFile, instancesExportUrl, type DownloadProgress, type ExportFormat } from '../../api/exports';
import { errorText } from '../../api/errors';
import type { InstanceListFilter } from '../../api/instances';
import { Button } from '../../components/Button';
import { Segmented } from '../../components/inputs';
import { useModalDialog } from '../../components/useModalDialog';
import { columnLabel } from '../../../common/instance-columns';
import { formatCount as count } from '../../lib/count';

type Phase = { kind: 'idle' } | { kind: 'running'; progress: DownloadProgress } | { kind: 'done'; fileName: string; rows: number } | { kind: 'failed'; error: string };

/**
 * Exports every instance the list's filters match (not only the loaded rows) as CSV or JSON: the
 * server streams it, the dialog counts the rows as they arrive and can stop it half way.
 */
export function ExportDialog({
  open,
  filter,
  columns,
  remoteScope,
  onClose,
}: {
  open: boolean;
  /** the list's server filter (its paging is dropped) */
  filter: InstanceListFilter;
  /** the list's columns, in order: the CSV's */
  columns: readonly string[];
  /** remote mode: what the export covers, in words (the stack filters by workflow and running only) */
  remoteScope?: string;
  onClose: () => void;
}) {
  const titleId = useId();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);
  const ref = useModalDialog(open, {
    onShow: () => setPhase({ kind: 'idle' }),
    onClose: () => {
      controller.current?.abort();
      onClose();
    },
  });
  const running = phase.kind === 'running';

  const start = async () => {
    const abort = new AbortController();
    controller.current = abort;
    setPhase({ kind: 'running', progress: { rows: 0, bytes: 0 } });
    try {
      const result = await downloadFile(instancesExportUrl(filter, format, columns), {
        format,
        fallbackName: `instances.${format}`,
        signal: abort.signal,
        onProgress: (progress) => setPhase({ kind: 'running', progress }),
      });
      setPhase({ kind: 'done', ...result });
    } catch (err) {
      if (abort.signal.aborted) setPhase({ kind: 'idle' });
      else setPhase({ kind: 'failed', error: errorText(err) });
    } finally {
      if (controller.current === abort) controller.current = undefined;
    }
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape while running stops the export first; a second Escape closes.
        if (running) {
          e.preventDefault();
          controller.current?.abort();
        }
      }}
      className="m-auto w-[min(94vw,480px)] rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold">
          Export instances
        </h2>
        <p className="mt-1 text-[13px] text-muted">
          Every instance that matches the list’s filters, not only the rows loaded, read from the server in batches and saved as one file.
        </p>
        {remoteScope && (
          <p className="mt-2 text-[13px] text-amber-800 dark:text-amber-300" data-testid="export-remote-scope">
            {remoteScope}
          </p>
        )}
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <span className="text-[13px] text-muted">Format</span>
          <Segmented<ExportFormat>
            label="Format"
            value={format}
            onChange={(f) => !running && setFormat(f)}
            options={[
              { value: 'csv', label: 'CSV' },
              { value: 'json', label: 'JSON' },
            ]}
          />
        </div>
        <p className="mt-2 text-[13px] text-muted">
          {format === 'csv' ? (
            <>
              Columns, as the list shows them: <span className="text-fg">{columns.map(columnLabel).join(', ')}</span>.
            </>
          ) : (
            'Each instance as the API returns it (variables and stage statuses included), one per line.'
          )}
        </p>
        <div className="mt-3 min-h-[3.25rem]" aria-live="polite">
          {phase.kind === 'running' && <ExportProgress progress={phase.progress} />}
          {phase.kind === 'done' && (
            <p className="text-[13px]" data-testid="export-done">
              Saved <span className="font-mono">{phase.fileName}</span>: {count(phase.rows)} {phase.rows === 1 ? 'instance' : 'instances'}.
            </p>
          )}
          {phase.kind === 'failed' && (
            <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
              The export failed: {phase.error}
            </p>
          )}
        </div>
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        {running ? (
          <Button variant="secondary" onClick={() => controller.current?.abort()}>
            Cancel export
          </Button>
        ) : (
          <Button variant="ghost" onClick={() => ref.current?.close()}>
            Close
          </Button>
        )}
        <Button variant="primary" disabled={running} onClick={() => void start()}>
          Export {format.toUpperCase()}
        </Button>
      </div>
    </dialog>
  );
}

function ExportProgress({ progress }: { progress: DownloadProgress }) {
  const { rows, total } = progress;
  const share = total ? Math.min(1, rows / total) : undefined;
  return (
    <div data-testid="export-progress">
      <p className="text-[13px]">
        Exporting… {count(rows)}
        {total !== undefined ? ` of ${count(total)}` : ''} rows{total === undefined ? ' so far' : ''}
      </p>
      <div
        role="progressbar"
        aria-label="Export progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={total !== undefined ? rows : undefined}
        className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-subtle"
      >
        <div
          className={share === undefined ? 'h-full w-1/3 animate-pulse bg-accent' : 'h-full bg-accent transition-[width]'}
          style={share !== undefined ? { width: `${share * 100}%` } : undefined}
        />
      </div>
    </div>
  );
}
