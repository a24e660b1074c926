import { useEffect, useRef } from 'react';

/**
 * Keeps a native `<dialog>` shown as a modal while `open` is true (focus trapped, Escape closes:
 * the dialog's own `close` event tells the owner). `onShow` runs each time it opens.
 */
export function useModalDialog(open: boolean, onShow?: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const onShowRef = useRef(onShow);
  useEffect(() => {
    onShowRef.current = onShow;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal?.();
      onShowRef.current?.();
    } else if (!open && dialog.open) dialog.close?.();
  }, [open]);
  return ref;
}
