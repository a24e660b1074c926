import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { createApiClients, setApiClients } from '../../api/client';
import type { CodeEditorProps } from './editor/types';
import { TriggerForm } from './TriggerForm';

// Monaco cannot run in jsdom: the editors become textareas that expose their markers.
vi.mock('./editor/LazyEditors', () => {
  const Editor = (props: Omit<CodeEditorProps, 'language'>) => (
    <textarea aria-label={props.ariaLabel} value={props.value} onChange={(e) => props.onChange?.(e.target.value)} data-problems={JSON.stringify(props.problems ?? [])} />
  );
  return { ExpressionEditor: Editor, JsonEditor: Editor };
});

afterEach(() => setApiClients(undefined));

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const workflow = {
  id: 'wf-1',
  createdAt: '2024-01-01T00:00:00Z',
  config: { name: 'flag-deposit', stages: [{ update: { account: { id: '${account}', ledger: 'main', metadata: { txid: '${txid}' } } } }] },
};

/** The real API client over a fake server; returns the bodies the form sent. */
function fakeServer(create: (body: Record<string, unknown>) => Response) {
  const sent: Record<string, unknown>[] = [];
  setApiClients(
    createApiClients({
      baseUrl: 'http://test',
      fetch: async (req) => {
        const { pathname } = new URL(req.url);
        if (pathname === '/api/console/event-types') return json({ data: { ledger: ['COMMITTED_TRANSACTIONS'], payments: ['SAVED_PAYMENT'] } });
        if (pathname === '/api/orchestration/workflows') return json({ data: [workflow] });
        if (pathname === '/api/console/events') return json({ data: [] });
        if (pathname === '/api/orchestration/v2/triggers' && req.method === 'POST') {
          const body = (await req.json()) as Record<string, unknown>;
          sent.push(body);
          return create(body);
        }
        return json({ errorCode: 'NOT_FOUND', errorMessage: `no route ${pathname}` }, 404);
      },
    }),
  );
  return sent;
}

async function renderForm() {
  const root = createRootRoute();
  const page = createRoute({ getParentRoute: () => root, path: '/', component: () => <TriggerForm /> });
  const done = createRoute({ getParentRoute: () => root, path: '/triggers/$triggerId', component: () => <p>created</p> });
  const router = createRouter({ routeTree: root.addChildren([page, done]), history: createMemoryHistory({ initialEntries: ['/'] }) });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <RouterProvider router={router as never} />
    </QueryClientProvider>,
  );
  await screen.findByRole('form', { name: 'New trigger' });
  await screen.findByRole('option', { name: /flag-deposit/ });
  return router;
}

async function fillValidTrigger() {
  fireEvent.change(screen.getByLabelText('Event type'), { target: { value: 'COMMITTED_TRANSACTIONS' } });
  fireEvent.change(screen.getByLabelText('Workflow to start'), { target: { value: 'wf-1' } });
  // The workflow reads ${account} and ${txid}: the form offers to add both rows.
  fireEvent.click(await screen.findByRole('button', { name: 'Add them' }));
  fireEvent.change(screen.getByLabelText('Filter expression'), { target: { value: 'event.ledger == "main"' } });
  fireEvent.change(await screen.findByLabelText('Variable account expression'), { target: { value: 'event.(' } });
  fireEvent.change(screen.getByLabelText('Variable txid expression'), { target: { value: 'event.transactions[0].id' } });
}

describe('TriggerForm', () => {
  it('puts a compile error from the server on its variable, at its line and column', async () => {
    const sent = fakeServer(() =>
      json(
        {
          errorCode: 'VALIDATION',
          errorMessage: `vars.account: validating data: error compiling expression 'event.(': unexpected token Bracket("(") (1:7)\n | event.(\n | ......^`,
        },
        400,
      ),
    );
    await renderForm();
    await fillValidTrigger();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create trigger' })));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      event: 'COMMITTED_TRANSACTIONS',
      workflowID: 'wf-1',
      filter: 'event.ledger == "main"',
      vars: { account: 'event.(', txid: 'event.transactions[0].id' },
    });
    const row = screen.getAllByTestId('var-row')[0]!;
    expect(await within(row).findByText('unexpected token Bracket("(") (line 1, column 7)')).toBeTruthy();
    const editor = within(row).getByLabelText('Variable account expression');
    expect(JSON.parse(editor.getAttribute('data-problems')!)).toEqual([{ message: 'unexpected token Bracket("(")', line: 1, column: 7 }]);
    // The other editors carry no marker.
    expect(JSON.parse(screen.getByLabelText('Filter expression').getAttribute('data-problems')!)).toEqual([]);

    // Editing the expression drops the marker: it would point at the wrong place.
    fireEvent.change(editor, { target: { value: 'event.transactions[0].postings[0].destination' } });
    await waitFor(() => expect(JSON.parse(editor.getAttribute('data-problems')!)).toEqual([]));
    expect(within(row).queryByText(/unexpected token/)).toBeNull();
  });

  it('checks names and event types before asking the server', async () => {
    const sent = fakeServer(() => json({ data: {} }, 201));
    await renderForm();
    await fillValidTrigger();
    fireEvent.change(screen.getByLabelText('Event type'), { target: { value: 'committed.transactions' } });
    fireEvent.change(screen.getByLabelText('Variable 2 name'), { target: { value: 'account' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create trigger' })));
    expect(await screen.findByText(/Event types are UPPER_SNAKE_CASE/)).toBeTruthy();
    expect(sent).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Event type'), { target: { value: 'COMMITTED_TRANSACTIONS' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create trigger' })));
    expect((await screen.findAllByText('“account” is used twice')).length).toBe(2);
    expect(sent).toHaveLength(0);
  });

  it('creates the trigger and opens it', async () => {
    const sent = fakeServer((body) => json({ data: { ...body, id: 't-new', createdAt: '2024-01-01T00:00:00Z' } }, 201));
    const router = await renderForm();
    await fillValidTrigger();
    fireEvent.change(screen.getByLabelText('Variable account expression'), { target: { value: 'event.transactions[0].postings[0].destination' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create trigger' })));
    await waitFor(() => expect(router.state.location.pathname).toBe('/triggers/t-new'));
    expect(sent[0]!.vars).toEqual({ account: 'event.transactions[0].postings[0].destination', txid: 'event.transactions[0].id' });
  });
});
