import type { ReactNode } from 'react';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Icon } from '../../../components/Icon';
import { useModalDialog } from '../../../components/useModalDialog';
import { cn } from '../../../lib/cn';
import type { EditorMarker } from '../editor/CodeEditor';
import { formatPath } from '../variables';

export function Notice({ tone, children, onDismiss }: { tone: 'info' | 'warning' | 'danger'; children: ReactNode; onDismiss?: () => void }) {
  return (
    <div
      role={tone === 'info' ? 'status' : 'alert'}
      className={cn(
        'mb-4 flex items-start gap-3 rounded-lg border px-3 py-2 text-[13px]',
        tone === 'info' && 'border-sky-300/60 bg-sky-50 text-sky-900 dark:border-sky-400/30 dark:bg-sky-400/10 dark:text-sky-200',
        tone === 'warning' && 'border-amber-300/70 bg-amber-50 text-amber-900 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200',
        tone === 'danger' && 'border-danger/40 bg-danger-soft text-danger',
      )}
    >
      <Icon name="alert" size={16} className="mt-0.5 shrink-0" />
      <div className="min-w-0 flex-1">{children}</div>
      {onDismiss && (
        <button type="button" aria-label="Dismiss" className="rounded p-0.5 opacity-70 hover:opacity-100" onClick={onDismiss}>
          <Icon name="x" size={14} />
        </button>
      )}
    </div>
  );
}

/** The Problems list under an editor: one line per marker (syntax, definition check, server), click to go there. */
export function ProblemList({ problems, onPick }: { problems: EditorMarker[]; onPick: (line: number, column: number) => void }) {
  return (
    <div className="mt-2 rounded-lg border border-line bg-surface text-[13px]" aria-live="polite" data-testid="editor-problems">
      <p className="border-b border-line px-3 py-1.5 text-xs font-medium tracking-wide text-muted uppercase">
        {problems.length ? `Problems (${problems.length})` : 'No problems'}
      </p>
      {problems.length > 0 && (
        <ul className="max-h-48 overflow-auto">
          {problems.map((p, i) => (
            <li key={i}>
              <button type="button" className="flex w-full items-start gap-2 px-3 py-1.5 text-left hover:bg-hover" onClick={() => onPick(p.line, p.column)}>
                <span className={cn('mt-1.5 size-1.5 shrink-0 rounded-full', p.severity === 'error' ? 'bg-red-500' : 'bg-amber-500')} aria-hidden="true" />
                <span className="shrink-0 font-mono text-xs text-muted">
                  {p.line}:{p.column}
                </span>
                <span className="min-w-0 break-words">{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A list of problems with their paths above the views; each one opens its field or line. */
export function ProblemPanel<P extends { path: (string | number)[]; message: string }>({
  tone,
  title,
  problems,
  onPick,
  testId,
}: {
  tone: 'danger' | 'warning';
  title: string;
  problems: P[];
  onPick: (problem: P) => void;
  testId: string;
}) {
  return (
    <div
      role={tone === 'danger' ? 'alert' : 'status'}
      data-testid={testId}
      className={cn(
        'mb-4 rounded-xl border p-4 text-[13px]',
        tone === 'danger'
          ? 'border-danger/40 bg-danger-soft'
          : 'border-amber-300/70 bg-amber-50 text-amber-950 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-100',
      )}
    >
      <p className={cn('font-medium', tone === 'danger' && 'text-danger')}>{title}</p>
      <ul className="mt-2 space-y-1">
        {problems.map((p, i) => (
          <li key={i}>
            <button type="button" className="text-left break-words hover:underline" onClick={() => onPick(p)}>
              {p.path.length > 0 && <code className="mr-1.5 font-mono text-xs">{formatPath(p.path)}</code>}
              {p.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ReviewDialog({
  open,
  unchanged,
  pending,
  onClose,
  onConfirm,
  children,
}: {
  open: boolean;
  unchanged: boolean;
  pending: boolean;
  onClose: () => void;
  onConfirm: () => void;
  children: ReactNode;
}) {
  const ref = useModalDialog(open, { onClose });
  return (
    <dialog ref={ref} aria-labelledby="review-title" className="m-auto w-[min(96vw,1100px)] rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl">
      <div className="p-5">
        <h2 id="review-title" className="text-base font-semibold">
          Review the changes before creating the copy
        </h2>
        <p className="mt-1 mb-3 text-[13px] text-muted">
          {unchanged ? 'The new definition is identical to its source.' : 'Left: the source workflow. Right: the new workflow that will be created.'} The source is not
          modified.
        </p>
        {open && children}
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        <Button onClick={() => ref.current?.close()} disabled={pending}>
          Back to editing
        </Button>
        <Button variant="primary" disabled={pending} onClick={onConfirm}>
          {pending ? 'Creating…' : 'Create workflow'}
        </Button>
      </div>
    </dialog>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Headline of the definition check: what blocks creating, and keys the server would ignore. */
export function checksTitle(blocking: number, ignored: number): string {
  if (blocking) {
    return `${plural(blocking, 'problem')} to fix before creating the workflow${ignored ? `, and ${plural(ignored, 'key')} the server would ignore` : ''}. Each is marked on its field and line.`;
  }
  return `${plural(ignored, 'key')} the server does not read: probably a typo. Creating anyway keeps ${ignored === 1 ? 'it' : 'them'} without effect.`;
}

/** "Save anyway" for keys the server stores but never reads: says exactly which. */
export function IgnoredKeysDialog({
  open,
  keys,
  onClose,
  onConfirm,
}: {
  open: boolean;
  keys: { path: (string | number)[] }[];
  onClose: () => void;
  onConfirm: () => void;
}) {
  return (
    <ConfirmDialog open={open} title="Create with keys the server ignores?" tone="primary" confirmLabel="Create anyway" onClose={onClose} onConfirm={onConfirm}>
      <p>The server does not read these keys. They are stored as written and have no effect:</p>
      <ul className="mt-2 list-disc space-y-0.5 pl-5" data-testid="ignored-keys">
        {keys.map((p) => (
          <li key={formatPath(p.path)}>
            <code className="font-mono text-xs">{formatPath(p.path)}</code>
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}
