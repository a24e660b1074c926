import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ConfirmDialog } from './ConfirmDialog';
import { CommandPalette } from './layout/CommandPalette';
import { renderWithRouter } from '../test/render';
import { ApiError } from '../api/errors';
import { createApiClients, setApiClients } from '../api/client';
import { getSettings, reloadSettings } from '../lib/settings';

afterEach(() => setApiClients(undefined));

describe('ConfirmDialog', () => {
  it('says what will happen, runs the action, then closes', async () => {
    const onConfirm = vi.fn().mockResolvedValue(undefined);
    const onClose = vi.fn();
    render(
      <ConfirmDialog open title="Delete this workflow?" confirmLabel="Delete workflow" onConfirm={onConfirm} onClose={onClose}>
        It disappears from the lists.
      </ConfirmDialog>,
    );
    const dialog = screen.getByRole('dialog', { hidden: true }) as HTMLDialogElement;
    expect(screen.getByRole('heading', { name: 'Delete this workflow?', hidden: true }).id).toBe(dialog.getAttribute('aria-labelledby'));
    expect(dialog.textContent).toContain('It disappears from the lists.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Delete workflow', hidden: true })));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    if (typeof dialog.showModal === 'function') expect(dialog.open).toBe(false);
  });

  it('keeps the dialog open and shows the server error when the action fails', async () => {
    const onConfirm = vi.fn().mockRejectedValue(new ApiError({ status: 400, errorCode: 'VALIDATION', errorMessage: 'already terminated' }));
    render(
      <ConfirmDialog open title="Abort?" confirmLabel="Abort instance" onConfirm={onConfirm} onClose={() => {}}>
        Stops now.
      </ConfirmDialog>,
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Abort instance', hidden: true })));
    expect(screen.getByRole('alert', { hidden: true }).textContent).toBe('VALIDATION: already terminated');
  });

  it('asks for a reason, and will not confirm without one when it is required', async () => {
    const onConfirm = vi.fn().mockResolvedValue(undefined);
    render(
      <ConfirmDialog open title="Abort?" confirmLabel="Abort instance" askReason="required" onConfirm={onConfirm} onClose={() => {}}>
        Stops now.
      </ConfirmDialog>,
    );
    const confirm = screen.getByRole('button', { name: 'Abort instance', hidden: true }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(screen.getByText('(required)')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Reason/), { target: { value: '  duplicate payout ' } });
    expect(confirm.disabled).toBe(false);
    await act(async () => fireEvent.click(confirm));
    expect(onConfirm).toHaveBeenCalledWith('duplicate payout');
  });
});

describe('CommandPalette', () => {
  const workflow = { id: 'wf-0001', config: { name: 'payin-to-wallet', stages: [] }, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' };
  const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });

  function fakeServer() {
    setApiClients(
      createApiClients({
        baseUrl: 'http://test',
        fetch: async (req) => {
          const { pathname } = new URL(req.url);
          if (pathname === '/api/orchestration/workflows') return json({ data: [workflow] });
          if (pathname === '/api/orchestration/triggers') return json({ data: [] });
          if (pathname === '/api/orchestration/v2/instances') return json({ cursor: { pageSize: 100, hasMore: false, data: [] } });
          return new Response('{"errorCode":"NOT_FOUND","errorMessage":"x"}', { status: 404 });
        },
      }),
    );
  }

  function Palette() {
    const [open, setOpen] = React.useState(false);
    return <CommandPalette open={open} onOpenChange={setOpen} />;
  }

  it('opens with Ctrl+K and jumps to a workflow by name', async () => {
    fakeServer();
    const { router } = await renderWithRouter(<Palette />);
    act(() => void fireEvent.keyDown(window, { key: 'k', ctrlKey: true }));
    const input = await screen.findByRole('combobox', { hidden: true });
    fireEvent.change(input, { target: { value: 'payin' } });
    await waitFor(() => expect(screen.getByRole('option', { name: /payin-to-wallet/, hidden: true })).toBeTruthy());
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/workflows/wf-0001'));
  });

  it('opens a whole id directly, never a piece of one (a piece is a search), and runs actions', async () => {
    fakeServer();
    localStorage.clear();
    reloadSettings();
    const { router } = await renderWithRouter(<Palette />);
    act(() => void fireEvent.keyDown(window, { key: 'K', metaKey: true }));
    const input = await screen.findByRole('combobox', { hidden: true });
    fireEvent.change(input, { target: { value: 'abc123_7' } });
    await screen.findByText(/No match for “abc123_7”/, undefined, { timeout: 3000 });
    expect(screen.queryByRole('option', { name: /Open instance/, hidden: true })).toBeNull();
    const whole = '0f8fad5b-d9cb-469f-a165-70867728950e_7';
    fireEvent.change(input, { target: { value: whole } });
    const option = await screen.findByRole('option', { name: new RegExp(`Open instance ${whole}`), hidden: true });
    fireEvent.click(option);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/instances/${whole}`));

    act(() => void fireEvent.keyDown(window, { key: 'k', ctrlKey: true }));
    fireEvent.change(await screen.findByRole('combobox', { hidden: true }), { target: { value: 'utc' } });
    fireEvent.click(await screen.findByRole('option', { name: /Show times in UTC/, hidden: true }));
    expect(getSettings().timeZone).toBe('utc');
  });
});
