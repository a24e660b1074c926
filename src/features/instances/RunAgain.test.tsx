import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { WorkflowInstance } from '../../api/types';
import { renderWithRouter } from '../../test/render';
import { RunAgain } from './InstanceDetail';

const workflow = {
  id: 'wf-1',
  createdAt: '2026-11-23T10:00:00Z',
  config: {
    name: 'top-up',
    stages: [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'users:1' } }, amount: { asset: 'USD/2', amount: '${amount}' } } }],
  },
};
const instance = (variables?: Record<string, string>): WorkflowInstance =>
  ({
    id: 'i-1',
    workflowID: 'wf-1',
    createdAt: '2026-11-23T10:00:00Z',
    updatedAt: '2026-11-23T10:00:00Z',
    terminated: true,
    workflow,
    ...(variables ? { variables } : {}),
  }) as WorkflowInstance;

describe('Run again', () => {
  it('confirms a rerun with the same variables when the server reports them', async () => {
    await renderWithRouter(<RunAgain instance={instance({ amount: '2000' })} />);
    fireEvent.click(await screen.findByRole('button', { name: /Run again/ }));
    expect(await screen.findByText('Run again with the same variables?')).toBeTruthy();
    expect(screen.getByText('2000')).toBeTruthy();
  });

  it("opens the workflow's Run dialog, asking for the variables, when the stack does not report them", async () => {
    await renderWithRouter(<RunAgain instance={instance()} />);
    fireEvent.click(await screen.findByRole('button', { name: /Run again/ }));
    expect(screen.queryByText('Run again with the same variables?')).toBeNull();
    expect(await screen.findByLabelText(/amount/)).toBeTruthy();
  });
});
