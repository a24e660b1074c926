import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, render } from '@testing-library/react';
import { useModalDialog } from './useModalDialog';

// jsdom has no showModal/close: these behave as browsers do, the `close` event in a later task.
const proto = HTMLDialogElement.prototype as HTMLDialogElement & Record<string, unknown>;
const saved = { showModal: proto.showModal, close: proto.close };
beforeAll(() => {
  proto.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function (this: HTMLDialogElement) {
    if (!this.open) return;
    this.removeAttribute('open');
    setTimeout(() => this.dispatchEvent(new Event('close')), 0);
  };
});
afterAll(() => Object.assign(proto, saved));

function Modal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useModalDialog(open, { onClose });
  return <dialog ref={ref} aria-label="test" />;
}

describe('useModalDialog', () => {
  it('tells its owner when the dialog closes by itself (Escape)', async () => {
    const onClose = vi.fn();
    const { container } = render(<Modal open onClose={onClose} />);
    const dialog = container.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    await act(async () => {
      dialog.close(); // what Escape does
      await new Promise((r) => setTimeout(r, 5));
    });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('stays open when the close event of an earlier close arrives after a reopen', async () => {
    const onClose = vi.fn();
    const { container, rerender } = render(<Modal open onClose={onClose} />);
    const dialog = container.querySelector('dialog')!;
    rerender(<Modal open={false} onClose={onClose} />); // closed by its owner: its close event is queued
    expect(dialog.open).toBe(false);
    rerender(<Modal open onClose={onClose} />); // reopened before that event arrives
    expect(dialog.open).toBe(true);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 5));
    });
    expect(onClose).not.toHaveBeenCalled();
    expect(dialog.open).toBe(true);
  });
});
