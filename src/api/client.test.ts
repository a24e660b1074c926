import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, errorText, isNotFoundError } from './errors';
import { createApiClients, data, setApiClients } from './client';
import { instanceQuery } from './instances';
import { listLedgersQuery } from './ledger';
import { QueryClient } from '@tanstack/react-query';

function fakeFetch(status: number, body: string | null, contentType = 'application/json') {
  const calls: Request[] = [];
  const fetch = async (req: Request) => {
    calls.push(req);
    return new Response(body, { status, headers: contentType ? { 'Content-Type': contentType } : {} });
  };
  return { fetch, calls };
}

afterEach(() => setApiClients(undefined));

describe('api client', () => {
  it('turns an error body into a typed ApiError', async () => {
    const { fetch } = fakeFetch(404, '{"errorCode":"NOT_FOUND","errorMessage":"Instance not found"}');
    setApiClients(createApiClients({ baseUrl: 'http://test', fetch }));
    const qc = new QueryClient();
    const err = await qc.fetchQuery(instanceQuery('nope')).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, errorCode: 'NOT_FOUND', errorMessage: 'Instance not found' });
    expect(isNotFoundError(err)).toBe(true);
    expect('isNotFound' in err).toBe(false); // would make TanStack Router show its not-found page
    expect(errorText(err)).toBe('NOT_FOUND: Instance not found');
  });

  it('maps empty and non-JSON error bodies by status', async () => {
    const empty = createApiClients({ baseUrl: 'http://test', fetch: fakeFetch(404, null).fetch });
    await expect(data(empty.sandbox.GET('/api/wallets/wallets/{id}', { params: { path: { id: 'x' } } }))).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
      status: 404,
    });
    const text = createApiClients({ baseUrl: 'http://test', fetch: fakeFetch(502, 'upstream unreachable', 'text/plain').fetch });
    await expect(data(text.flows.GET('/api/orchestration/v2/workflows'))).rejects.toMatchObject({
      errorCode: 'BAD_GATEWAY',
      errorMessage: 'upstream unreachable',
    });
  });

  it('reports network failures as NETWORK errors', async () => {
    const clients = createApiClients({
      baseUrl: 'http://test',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(data(clients.flows.GET('/api/orchestration/v2/workflows'))).rejects.toMatchObject({ errorCode: 'NETWORK', status: 0 });
  });

  it('keeps amounts beyond 2^53 exact', async () => {
    const body = '{"cursor":{"pageSize":15,"hasMore":false,"data":[{"name":"main","bucket":"_default","addedAt":"2024-01-01T00:00:00Z","id":123456789012345678901}]}}';
    setApiClients(createApiClients({ baseUrl: 'http://test', fetch: fakeFetch(200, body).fetch }));
    const page = await new QueryClient().fetchQuery(listLedgersQuery());
    expect(page.data[0]!.id).toBe('123456789012345678901');
  });

  it('sends filters as query params and omits empty ones', async () => {
    const { fetch, calls } = fakeFetch(200, '{"cursor":{"pageSize":15,"hasMore":false,"data":[]}}');
    const clients = createApiClients({ baseUrl: 'http://test', fetch });
    await data(clients.flows.GET('/api/orchestration/v2/instances', { params: { query: { workflowID: 'w1', running: true } } }));
    expect(new URL(calls[0]!.url).search).toBe('?workflowID=w1&running=true');
  });
});
