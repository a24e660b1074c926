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
  onConfirm: () => Promise<unknown> | void;
  onClose: () => void;
}) {
  const titleId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const ref = useModalDialog(open, { onShow: () => setError(undefined), onClose });

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
          disabled={pending || confirmDisabled}
          onClick={async () => {
            setPending(true);
            setError(undefined);
            try {
              await onConfirm();
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
