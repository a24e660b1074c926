import { afterEach, describe, expect, it } from 'vitest';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createApiClients, setApiClients } from './client';
import { instanceKeys, listInstancesQuery, useAbortInstance, useRunWorkflow } from './instances';
import { listWorkflowsQuery, useDeleteWorkflow, workflowKeys } from './workflows';
import { triggerKeys } from './triggers';
import { ledgerKeys } from './ledger';

afterEach(() => setApiClients(undefined));

function withClient(qc: QueryClient) {
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
}

const page = (data: unknown[]) => JSON.stringify({ cursor: { pageSize: 15, hasMore: false, data } });
const instance = { id: 'i1', workflowID: 'w1', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z', terminated: false };

function routes(handler: (req: Request) => Response | undefined) {
  return async (req: Request) => handler(req) ?? new Response('{"errorCode":"NOT_FOUND","errorMessage":"no route"}', { status: 404 });
}

describe('query keys', () => {
  it('nest all → lists → list(filter) and all → details → detail(id)', () => {
    expect(workflowKeys.list({ pageSize: 15 })).toEqual(['workflows', 'list', { pageSize: 15 }]);
    expect(workflowKeys.detail('w1')).toEqual(['workflows', 'detail', 'w1']);
    expect(instanceKeys.list({ workflowID: undefined, running: true })).toEqual(['instances', 'list', { running: true }]);
    expect(instanceKeys.stageHistory('i1', 2).slice(0, 3)).toEqual(instanceKeys.detail('i1'));
    expect(triggerKeys.everything().slice(0, 2)).toEqual(triggerKeys.lists());
    expect(ledgerKeys.accountList('main', {}).slice(0, 3)).toEqual(ledgerKeys.detail('main'));
  });
});

describe('mutations invalidate through the factory', () => {
  it('run → instance lists refetch and the new instance is cached', async () => {
    let listCalls = 0;
    setApiClients(
      createApiClients({
        baseUrl: 'http://test',
        fetch: routes((req) => {
          const { pathname } = new URL(req.url);
          if (req.method === 'GET' && pathname === '/api/orchestration/v2/instances') {
            listCalls++;
            return new Response(page(listCalls > 1 ? [instance] : []), { headers: { 'Content-Type': 'application/json' } });
          }
          if (req.method === 'POST' && pathname === '/api/orchestration/v2/workflows/w1/instances')
            return new Response(JSON.stringify({ data: instance }), { status: 201, headers: { 'Content-Type': 'application/json' } });
          return undefined;
        }),
      }),
    );
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    await qc.fetchQuery(listInstancesQuery({}));
    const { result } = renderHook(() => useRunWorkflow(), { wrapper: withClient(qc) });
    await act(() => result.current.mutateAsync({ workflowID: 'w1', variables: { a: '1' } }));
    expect(qc.getQueryData(instanceKeys.detail('i1'))).toEqual(instance);
    expect(qc.getQueryState(instanceKeys.list({}))?.isInvalidated).toBe(true);
    // The next read of the list goes back to the server and sees the new instance.
    const fresh = await qc.fetchQuery(listInstancesQuery({}));
    expect(fresh.data).toEqual([instance]);
  });

  it('abort and delete invalidate detail and lists; errors reach the mutation', async () => {
    setApiClients(
      createApiClients({
        baseUrl: 'http://test',
        fetch: routes((req) => {
          const { pathname } = new URL(req.url);
          if (req.method === 'PUT' && pathname === '/api/orchestration/v2/instances/i1/abort') return new Response(null, { status: 204 });
          if (req.method === 'DELETE')
            return new Response('{"errorCode":"VALIDATION","errorMessage":"invalid id"}', {
              status: 400,
              headers: { 'Content-Type': 'application/json' },
            });
          return undefined;
        }),
      }),
    );
    const qc = new QueryClient();
    qc.setQueryData(instanceKeys.detail('i1'), instance);
    qc.setQueryData(listWorkflowsQuery({}).queryKey, { pageSize: 15, hasMore: false, data: [] });
    const abort = renderHook(() => useAbortInstance(), { wrapper: withClient(qc) });
    await act(() => abort.result.current.mutateAsync({ instanceID: 'i1' }));
    expect(qc.getQueryState(instanceKeys.detail('i1'))?.isInvalidated).toBe(true);

    const del = renderHook(() => useDeleteWorkflow(), { wrapper: withClient(qc) });
    await act(async () => {
      await del.result.current.mutateAsync({ id: 'bad' }).catch(() => undefined);
    });
    await waitFor(() => expect(del.result.current.error).toMatchObject({ errorCode: 'VALIDATION', errorMessage: 'invalid id' }));
    expect(qc.getQueryState(listWorkflowsQuery({}).queryKey)?.isInvalidated).toBe(false);
  });
});
