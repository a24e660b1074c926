import { fireEvent, screen, within } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { instanceKeys } from '../../api/instances';
import type { WorkflowInstance } from '../../api/types';
import { renderWithRouter } from '../../test/render';
import { RunAgain } from './InstanceDetail';

const at = '2026-11-23T10:00:00Z';
const workflow = {
  id: 'wf-1',
  createdAt: at,
  config: {
    name: 'top-up',
    stages: [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'users:1' } }, amount: { asset: 'USD/2', amount: '${amount}' } } }],
  },
};
const instance = (variables?: Record<string, string>, extra: Partial<WorkflowInstance> = {}): WorkflowInstance =>
  ({
    id: 'i-1',
    workflowID: 'wf-1',
    createdAt: at,
    updatedAt: at,
    terminated: true,
    workflow,
    ...(variables ? { variables } : {}),
    ...extra,
  }) as WorkflowInstance;

const posting = { source: 'world', destination: 'users:1', amount: 2000, asset: 'USD/2' };
const sent = [
  {
    name: 'CreateTransaction',
    input: { CreateTransaction: { ledger: 'main', data: { postings: [posting], metadata: {} } } },
    output: { CreateTransaction: { data: [{ id: 42, txid: 42, postings: [posting], metadata: {}, timestamp: at }] } },
    startedAt: at,
    terminatedAt: at,
    terminated: true,
    attempt: 1,
  },
];

const dialog = () => screen.getByRole('dialog', { hidden: true });
const runButton = (name = 'Run again') => within(dialog()).getByRole('button', { name, hidden: true }) as HTMLButtonElement;

describe('Run again', () => {
  it("opens the Run dialog prefilled with the instance's variables, editable", async () => {
    await renderWithRouter(<RunAgain instance={instance({ amount: '2000', note: 'kept' })} />);
    fireEvent.click(await screen.findByRole('button', { name: /Run again/ }));
    expect(await screen.findByText('Run “top-up” again')).toBeTruthy();
    const amount = screen.getByLabelText(/amount/) as HTMLInputElement;
    expect(amount.value).toBe('2000');
    // The button says what it does: the same variables, or edited ones.
    expect(runButton('Run again')).toBeTruthy();
    fireEvent.change(amount, { target: { value: '2500' } });
    expect(amount.value).toBe('2500');
    expect(within(dialog()).queryByRole('button', { name: 'Run again', hidden: true })).toBeNull();
    fireEvent.change(amount, { target: { value: '2000' } });
    expect(runButton('Run again')).toBeTruthy();
    fireEvent.change(amount, { target: { value: '2500' } });
    expect(screen.getByTestId('rerun-source').textContent).toContain('passed on as they were: note');
    // It ran no stage: nothing moved, nothing to confirm.
    expect(screen.getByTestId('rerun-money').textContent).toContain('moved no money');
    expect(runButton('Run again with changes').disabled).toBe(false);
  });

  it('lists the money the original moved, with its transaction id, and holds Run until confirmed', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    queryClient.setQueryData(instanceKeys.stageHistory('i-1', 0), sent);
    const moved = instance({ amount: '2000' }, { status: [{ stage: 0, instanceID: 'i-1', startedAt: at, terminatedAt: at, terminated: true }] } as never);
    await renderWithRouter(<RunAgain instance={moved} />, { queryClient });
    fireEvent.click(await screen.findByRole('button', { name: /Run again/ }));
    const warning = await screen.findByTestId('rerun-money');
    expect(warning.textContent).toContain('already moved money');
    expect(warning.textContent).toContain('20.00 USD');
    const tx = within(warning).getByRole('link', { name: '#42', hidden: true });
    expect(tx.getAttribute('href')).toContain('/sandbox/ledger');
    expect(tx.getAttribute('href')).toMatch(/tx=(%22)?42(%22)?(&|$)/);
    expect(runButton().disabled).toBe(true);
    fireEvent.click(within(warning).getByRole('checkbox', { hidden: true }));
    expect(runButton().disabled).toBe(false);
  });

  it('reads the variables back from the history when the stack does not report them', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    queryClient.setQueryData(instanceKeys.stageHistory('i-1', 0), sent);
    queryClient.setQueryData(instanceKeys.history('i-1'), [
      { name: 'RunSend', input: { ...workflow.config.stages[0]!.send, amount: { asset: 'USD/2', amount: 2000 } }, terminated: true, startedAt: at, terminatedAt: at },
    ]);
    const remote = instance(undefined, { status: [{ stage: 0, instanceID: 'i-1', startedAt: at, terminatedAt: at, terminated: true }] } as never);
    await renderWithRouter(<RunAgain instance={remote} />, { queryClient });
    fireEvent.click(await screen.findByRole('button', { name: /Run again/ }));
    expect(((await screen.findByLabelText(/amount/)) as HTMLInputElement).value).toBe('2000');
    expect(screen.getByTestId('rerun-source').textContent).toContain('${amount} is read back from the values its stages ran with');
  });

  it('says so when the stack does not report the variables, and still asks for them', async () => {
    await renderWithRouter(<RunAgain instance={instance()} />);
    fireEvent.click(await screen.findByRole('button', { name: /Run again/ }));
    expect(await screen.findByLabelText(/amount/)).toBeTruthy();
    expect(screen.getByTestId('rerun-source').textContent).toContain('does not report the variables');
  });
});
