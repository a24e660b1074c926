import { useId, useState, type ReactNode } from 'react';
import { Button } from './Button';
import { errorText } from '../api/errors';
import { useModalDialog } from './useModalDialog';

/**
 * The one confirmation dialog: says exactly what will happen, waits for the action to finish,
 * shows its error inline. Native <dialog>: focus is trapped and Escape cancels.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel = 'Confirm',
  tone = 'danger',
  confirmDisabled,
  askReason,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  tone?: 'danger' | 'primary';
  /** Nothing to confirm (e.g. an empty selection); the dialog still explains why. */
  confirmDisabled?: boolean;
  /** Ask why (recorded in the audit log); `required` when the server's settings demand one. */
  askReason?: 'optional' | 'required';
  onConfirm: (reason?: string) => Promise<unknown> | void;
  onClose: () => void;
}) {
  const titleId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const ref = useModalDialog(open, {
    onShow: () => {
      setError(undefined);
      setReason('');
    },
    onClose,
  });
  const missingReason = askReason === 'required' && reason.trim() === '';

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        if (pending) e.preventDefault();
      }}
      className="m-auto w-[min(92vw,440px)] rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <div className="mt-2 text-[13px] text-muted">{children}</div>
        {askReason && (
          <div className="mt-3">
            <label htmlFor={reasonId} className="text-[13px] font-medium">
              Reason {askReason === 'required' ? <span className="text-danger">(required)</span> : <span className="font-normal text-muted">(optional)</span>}
            </label>
            <textarea
              id={reasonId}
              value={reason}
              maxLength={1000}
              rows={2}
              onChange={(e) => setReason(e.target.value)}
              placeholder="Why? It is recorded in the audit log, e.g. duplicate payout"
              className="mt-1 w-full rounded-md border border-line bg-surface px-2.5 py-1.5 text-[13px] text-fg placeholder:text-muted focus:border-accent focus:outline-none"
            />
          </div>
        )}
        {error && (
          <p role="alert" className="mt-3 rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
            {error}
          </p>
        )}
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        <Button onClick={() => ref.current?.close()} disabled={pending}>
          Cancel
        </Button>
        <Button
          variant={tone}
          disabled={pending || confirmDisabled || missingReason}
          title={missingReason ? 'Give a reason first: the console’s settings require one' : undefined}
          onClick={async () => {
            setPending(true);
            setError(undefined);
            try {
              await onConfirm(askReason ? reason.trim() || undefined : undefined);
              ref.current?.close();
            } catch (err) {
              setError(errorText(err));
            } finally {
              setPending(false);
            }
          }}
        >
          {pending ? 'Working…' : confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
