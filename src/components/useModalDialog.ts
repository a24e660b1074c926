import { useEffect, useRef } from 'react';

/**
 * Keeps a native `<dialog>` shown as a modal while `open` is true (focus trapped, Escape closes).
 * `onShow` runs each time it opens; `onClose` when it has closed (Escape, `close()`, a form), so
 * the owner can set `open` to false.
 */
export function useModalDialog(open: boolean, { onShow, onClose }: { onShow?: () => void; onClose?: () => void } = {}) {
  const ref = useRef<HTMLDialogElement>(null);
  const handlers = useRef({ onShow, onClose });
  useEffect(() => {
    handlers.current = { onShow, onClose };
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // The `close` event comes in a later task. By then the dialog may be open again (closed and
    // reopened quickly, e.g. a palette jump then Ctrl+K on a busy page): that late event must not
    // close it.
    const onCloseEvent = () => {
      if (!dialog.open) handlers.current.onClose?.();
    };
    dialog.addEventListener('close', onCloseEvent);
    return () => dialog.removeEventListener('close', onCloseEvent);
  }, []);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal?.();
      handlers.current.onShow?.();
    } else if (!open && dialog.open) dialog.close?.();
  }, [open]);
  return ref;
}
