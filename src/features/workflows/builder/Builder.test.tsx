import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Builder } from './Builder';
import { TEMPLATES } from '../templates';
import { parseServerProblems } from '../serverErrors';

// The builder in jsdom: loading reports nothing, each edit reports the new definition, server
// problems land on their field. (Monaco is not involved: the editors are tested in Playwright.)

const template = (id: string) => TEMPLATES.find((t) => t.id === id)!.definition;

function setup(definition: unknown, extra: Partial<Parameters<typeof Builder>[0]> = {}) {
  const onChange = vi.fn();
  const view = render(<Builder definition={definition} revision={0} serverProblems={[]} onChange={onChange} {...extra} />);
  return { onChange, ...view };
}

describe('Builder', () => {
  it('shows a loaded definition without reporting a change', async () => {
    const { onChange } = setup(template('ledger-to-wallet'));
    expect(screen.getByLabelText(/^Workflow name/)).toHaveProperty('value', 'ledger-to-wallet');
    expect(screen.getByLabelText(/^Account address/)).toHaveProperty('value', 'world');
    expect(screen.getByLabelText(/^Wallet id/)).toHaveProperty('value', '${walletID}');
    await act(async () => {});
    expect(onChange).not.toHaveBeenCalled();
  });

  it('reports each edit as a new definition', async () => {
    const { onChange } = setup(template('wait-for-event'));
    fireEvent.change(screen.getByLabelText(/^Event name/), { target: { value: 'approved-twice' } });
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith({ name: 'wait-for-approval', stages: [{ wait_event: { event: 'approved-twice' } }, { noop: {} }] }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove stage 2' }));
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith({ name: 'wait-for-approval', stages: [{ wait_event: { event: 'approved-twice' } }] }));
    fireEvent.click(screen.getByRole('button', { name: 'Delay' }));
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({ name: 'wait-for-approval', stages: [{ wait_event: { event: 'approved-twice' } }, { delay: { duration: '' } }] }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Move stage 2 up' }));
    await waitFor(() => expect(onChange.mock.lastCall?.[0].stages[0]).toEqual({ delay: { duration: '' } }));
  });

  it('switches endpoint kinds with the pickers', async () => {
    const { onChange } = setup(template('ledger-to-wallet'));
    const destination = screen.getByRole('group', { name: 'To: destination' });
    fireEvent.click(within(destination).getByLabelText('External payment'));
    await waitFor(() => expect(onChange.mock.lastCall?.[0].stages[0].send.destination).toEqual({ payment: {} }));
    fireEvent.change(screen.getByLabelText('PSP (connector)'), { target: { value: 'stripe' } });
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'PAYOUT' } });
    await waitFor(() => expect(onChange.mock.lastCall?.[0].stages[0].send.destination).toEqual({ payment: { psp: 'stripe', type: 'PAYOUT' } }));
  });

  it('validates per field', async () => {
    setup({ stages: [{ send: { source: { account: { id: '' } }, destination: { account: { id: 'b' } }, amount: { asset: 'USD/2', amount: '12.5' } } }] });
    expect(await screen.findByText('Account address is required')).toBeTruthy();
    expect(screen.getByText('Integer in minor units (1250 = 12.50 for USD/2)')).toBeTruthy();
  });

  it('puts server problems on their fields', async () => {
    const definition = { stages: [{ wait_event: { event: 'x' } }, { delay: { duration: '1s' } }] };
    const serverProblems = parseServerProblems("stages[1].delay.duration: invalid duration '1s': made up for the test", definition);
    setup(definition, { serverProblems });
    expect(await screen.findByText("invalid duration '1s': made up for the test")).toBeTruthy();
    expect(screen.getByLabelText(/^Duration/).getAttribute('aria-invalid')).toBe('true');
  });

  it('is read-only while the text of an editor does not parse', () => {
    setup(template('delay'), { readOnly: true });
    // A disabled fieldset disables every control in it.
    expect(screen.getByLabelText(/^Workflow name/).matches(':disabled')).toBe(true);
  });

  it('says why it cannot show a definition', () => {
    setup({ stages: 'nope' });
    expect(screen.getByText(/"stages" is not an array/)).toBeTruthy();
  });
});
