import { SDK } from '@formance/formance-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/harness.js';
import { acceptedScopes, scopeAllows } from './scopes.js';

describe('scopes', () => {
  it('reads accept read or write of their service; other methods need write', () => {
    expect(acceptedScopes('GET', '/api/orchestration/v2/workflows')).toEqual(['orchestration:read', 'orchestration:write']);
    expect(acceptedScopes('HEAD', '/api/ledger/v2/main/transactions')).toEqual(['ledger:read', 'ledger:write']);
    expect(acceptedScopes('POST', '/api/orchestration/v2/workflows')).toEqual(['orchestration:write']);
    expect(acceptedScopes('DELETE', '/api/orchestration/triggers/x')).toEqual(['orchestration:write']);
    expect(acceptedScopes('PUT', '/api/orchestration/v2/instances/x/abort')).toEqual(['orchestration:write']);
    expect(acceptedScopes('POST', '/api/wallets/wallets/x/credit')).toEqual(['wallets:write']);
    expect(acceptedScopes('POST', '/api/payments/transfer-initiations')).toEqual(['payments:write']);
  });

  it("maps the console's own endpoints, a trigger preview being a read", () => {
    expect(acceptedScopes('POST', '/api/console/triggers/preview')).toEqual(['orchestration:read', 'orchestration:write']);
    expect(acceptedScopes('POST', '/api/console/events')).toEqual(['orchestration:write']);
    expect(acceptedScopes('POST', '/api/console/payments')).toEqual(['payments:write']);
    expect(acceptedScopes('GET', '/api/console/info')).toEqual(['orchestration:read', 'orchestration:write']);
    expect(acceptedScopes('GET', '/api/ledgerx')).toBeUndefined();
  });

  it('a token without a scope claim is full access; a narrowed one allows only its scopes', () => {
    expect(scopeAllows(undefined, 'DELETE', '/api/orchestration/v2/workflows/x')).toBe(true);
    expect(scopeAllows('orchestration:read', 'GET', '/api/orchestration/v2/workflows')).toBe(true);
    expect(scopeAllows('orchestration:read', 'POST', '/api/orchestration/v2/workflows')).toBe(false);
    expect(scopeAllows('openid  orchestration:write', 'GET', '/api/orchestration/v2/workflows')).toBe(true);
    expect(scopeAllows('orchestration:write', 'GET', '/api/ledger/v2')).toBe(false);
    expect(scopeAllows('', 'GET', '/api/orchestration/v2/workflows')).toBe(false);
  });
});

describe('scopes on a server with AUTH_CLIENTS', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ AUTH_CLIENTS: 'ops:ops-secret' });
  });
  afterAll(() => server?.close());

  const tokenFor = async (scope?: string) => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'ops', client_secret: 'ops-secret', ...(scope ? { scope } : {}) });
    const res = await server.api.request('POST', '/api/auth/oauth/token', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    return { authorization: `Bearer ${res.body.access_token as string}` };
  };
  const count = async () =>
    (await server.api.request('GET', '/api/orchestration/v2/workflows?pageSize=100', undefined, await tokenFor())).body.cursor.data.length as number;

  it('a read-only token reads and is refused writes (401 insufficient_scope, nothing stored)', async () => {
    const read = await tokenFor('openid orchestration:read');
    expect((await server.api.request('GET', '/api/orchestration/v2/workflows', undefined, read)).status).toBe(200);
    expect((await server.api.request('GET', '/v2/workflows', undefined, read)).status).toBe(200);
    const before = await count();
    const res = await fetch(`${server.url}/api/orchestration/v2/workflows`, {
      method: 'POST',
      headers: { ...read, 'content-type': 'application/json' },
      body: JSON.stringify({ stages: [{ noop: {} }] }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('www-authenticate')).toContain('orchestration:write');
    expect(await res.text()).toBe('');
    expect(await count()).toBe(before);
  });

  it('scopes are per service; a token without scopes is full access', async () => {
    const ledgerOnly = await tokenFor('ledger:write');
    expect((await server.api.request('GET', '/api/orchestration/v2/workflows', undefined, ledgerOnly)).status).toBe(401);
    expect((await server.api.request('GET', '/api/ledger/v2', undefined, ledgerOnly)).status).toBe(200);
    const full = await tokenFor();
    expect((await server.api.request('POST', '/api/orchestration/v2/workflows', { stages: [{ noop: {} }] }, full)).status).toBe(201);
    expect((await server.api.request('GET', '/api/wallets/wallets', undefined, full)).status).toBe(200);
  });

  it('the official SDK, asking for each operation’s scope, reads and writes', async () => {
    const sdk = new SDK({ serverURL: server.url, security: { clientID: 'ops', clientSecret: 'ops-secret' } });
    const created = await sdk.orchestration.v2.createWorkflow({ name: 'scoped', stages: [{ noop: {} }] });
    expect(created.statusCode).toBe(201);
    const list = await sdk.orchestration.v2.listWorkflows({ pageSize: 100 });
    expect(list.v2ListWorkflowsResponse?.cursor.data.some((w) => w.id === created.v2CreateWorkflowResponse!.data.id)).toBe(true);
    const ledgers = await sdk.ledger.v2.listLedgers({});
    expect(ledgers.statusCode).toBe(200);
  });
});
