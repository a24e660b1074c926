import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/harness.js';
import { rawRequest } from './raw-request.js';

// Four eyes through the API (console-approvals.ts, flows/accountability/approvals.ts): a held run,
// the requester refused, another operator approving, rejections, limits, expiry, bad input.

type Server = Awaited<ReturnType<typeof startTestServer>>;
const JSON_TYPE = { 'content-type': 'application/json' };
const CLIENTS = ['alice:s-alice:operator', 'bob:s-bob:operator', 'vic:s-vic:viewer', 'root:s-root:admin'];

describe('four eyes', () => {
  let server: Server;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer({ AUTH_CLIENTS: CLIENTS.join(',') });
    for (const entry of CLIENTS) {
      const [id, secret] = entry.split(':');
      const r = await rawRequest(server.url, '/api/auth/oauth/token', {
        method: 'POST',
        body: `grant_type=client_credentials&client_id=${id}&client_secret=${secret}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      tokens[id!] = r.json().access_token;
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  const as = (who: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    rawRequest(server.url, path, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      headers: { ...JSON_TYPE, authorization: `Bearer ${tokens[who]}`, ...headers },
    });
  const count = async (table: string) => Number((await server.ctx.db.query(`select count(*) n from ${table}`))[0].n);

  async function workflow(stages: unknown[]): Promise<string> {
    const r = await as('root', 'POST', '/api/orchestration/v2/workflows', { name: `approval-${Math.random().toString(36).slice(2)}`, stages });
    expect(r.status, r.text).toBe(201);
    return r.json().data.id;
  }
  const payout = [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'users:${user}' } }, amount: { asset: 'USD/2', amount: '${amount}' } } }];

  it('holds a run of a workflow that requires approval; the requester cannot approve it, another operator can, and the run starts with its variables', async () => {
    const wf = await workflow(payout);
    const policy = await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: true });
    expect(policy.status, policy.text).toBe(200);
    expect(policy.json().data).toMatchObject({ workflowID: wf, requiresApproval: true, updatedBy: 'client root' });

    const instancesBefore = await count('instances');
    const held = await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, { user: '42', amount: '1500' });
    expect(held.status, held.text).toBe(202);
    const approval = held.json().data;
    expect(held.headers.location).toBe(`/api/console/approvals/${approval.id}`);
    expect(approval).toMatchObject({
      workflowID: wf,
      status: 'pending',
      variables: { user: '42', amount: '1500' },
      requestedBy: { kind: 'client', name: 'alice', label: 'client alice' },
      heldBecause: [{ kind: 'workflow', text: 'the workflow requires approval for every run' }],
      sends: [{ stage: 0, source: 'account world (ledger default)', destination: 'account users:42 (ledger default)', asset: 'USD/2', amount: '1500' }],
    });
    expect(await count('instances')).toBe(instancesBefore);
    // v1 is held the same way
    expect((await as('alice', 'POST', `/api/orchestration/workflows/${wf}/instances`, { user: '1', amount: '1' })).status).toBe(202);

    const own = await as('alice', 'POST', `/api/console/approvals/${approval.id}/approve`);
    expect(own.status).toBe(403);
    expect(own.json()).toEqual({ errorCode: 'FORBIDDEN', errorMessage: 'client alice requested this run: a different person must approve it' });
    const viewer = await as('vic', 'POST', `/api/console/approvals/${approval.id}/approve`);
    expect(viewer.status).toBe(403);
    expect(viewer.json().requiredRole).toBe('operator');

    // The approver sees the variables, the sends, and a dry-run of them on today's balances.
    const seen = await as('bob', 'GET', `/api/console/approvals/${approval.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json().data).toMatchObject({ status: 'pending', variables: { user: '42', amount: '1500' }, dryRun: { outcome: { status: 'succeeded' } } });
    expect(JSON.stringify(seen.json().data.dryRun)).toContain('users:42');

    const approved = await as('bob', 'POST', `/api/console/approvals/${approval.id}/approve`, { reason: 'checked with finance' });
    expect(approved.status, approved.text).toBe(200);
    const decided = approved.json().data;
    expect(decided).toMatchObject({
      status: 'approved',
      decidedBy: { kind: 'client', name: 'bob' },
      decisionReason: 'checked with finance',
      instanceID: expect.any(String),
    });
    const instance = await as('bob', 'GET', `/api/orchestration/v2/instances/${decided.instanceID}`);
    expect(instance.status).toBe(200);
    expect(instance.json().data).toMatchObject({ workflowID: wf });
    const [row] = await server.ctx.db.query(`select variables from instances where id = $1`, [decided.instanceID]);
    expect(row.variables).toEqual({ user: '42', amount: '1500' });

    // Once only: a second decision is a conflict, and starts nothing.
    const again = await as('root', 'POST', `/api/console/approvals/${approval.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ errorCode: 'CONFLICT', errorMessage: expect.stringContaining('already approved (by client bob)') });

    // Everything is in the audit log: the held run, the refusals, the approval and the run it started.
    const log = (await as('vic', 'GET', `/api/console/audit?targetType=approval&targetId=${approval.id}`)).json().cursor.data as any[];
    expect(log.map((e) => [e.action, e.actor.name, e.outcome?.outcome, e.outcome?.status])).toEqual([
      ['approval.approve', 'root', 'failed', 409],
      ['approval.approve', 'bob', 'succeeded', 200],
      ['approval.approve', 'vic', 'refused', 403],
      ['approval.approve', 'alice', 'failed', 403],
      ['instance.run', 'alice', 'succeeded', 202],
    ]);
    expect(log[1]).toMatchObject({ reason: 'checked with finance', outcome: { result: { type: 'instance', id: decided.instanceID } } });
    const runs = (await as('vic', 'GET', `/api/console/audit?action=instance.run&targetId=${approval.id}`)).json().cursor.data as any[];
    expect(runs).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ name: 'alice' }),
        outcome: expect.objectContaining({ status: 202, result: { type: 'approval', id: approval.id } }),
      }),
    ]);
  });

  it('rejects with a reason (the requester may withdraw); bad input is a 400 naming the field, an unknown id a 404, and nothing changes', async () => {
    const wf = await workflow([{ noop: {} }]);
    expect((await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: true })).status).toBe(200);
    const approval = (await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, {})).json().data;

    for (const [body, message] of [
      [undefined, 'reason: required'],
      [{ reason: '  ' }, 'reason: required'],
      [{ reason: 7 }, 'reason: expected a string'],
      [{ why: 'x' }, '"why": unknown field'],
      ['[1', 'request body: invalid JSON'],
    ] as const) {
      const r = await as('bob', 'POST', `/api/console/approvals/${approval.id}/reject`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json()).toMatchObject({ errorCode: 'VALIDATION', errorMessage: expect.stringContaining(message) });
    }
    expect((await as('bob', 'GET', `/api/console/approvals/${approval.id}`)).json().data.status).toBe('pending');
    expect((await as('bob', 'POST', '/api/console/approvals/no-such-request/reject', { reason: 'x' })).status).toBe(404);
    expect((await as('bob', 'POST', '/api/console/approvals/no-such-request/approve')).status).toBe(404);
    expect((await as('bob', 'GET', '/api/console/approvals/no-such-request')).status).toBe(404);

    const policies = await count('workflow_policies');
    for (const [body, message] of [
      [{ requiresApproval: 'yes' }, 'requiresApproval: expected true or false'],
      [{}, 'requiresApproval: expected true or false'],
      [{ requiresApproval: true, extra: 1 }, '"extra": unknown field'],
    ] as const) {
      const r = await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, body);
      expect(r.status).toBe(400);
      expect(r.json().errorMessage).toContain(message);
    }
    const unknown = await as('root', 'PUT', '/api/console/workflows/no-such-workflow/approval-policy', { requiresApproval: true });
    expect(unknown.status).toBe(404);
    expect(await count('workflow_policies')).toBe(policies);
    expect((await as('vic', 'GET', '/api/console/approvals?status=maybe')).json()).toMatchObject({
      errorCode: 'VALIDATION',
      errorMessage: expect.stringContaining('status: expected one of'),
    });

    const rejected = await as('alice', 'POST', `/api/console/approvals/${approval.id}/reject`, { reason: 'wrong merchant' });
    expect(rejected.status).toBe(200);
    expect(rejected.json().data).toMatchObject({ status: 'rejected', decidedBy: { name: 'alice' }, decisionReason: 'wrong merchant' });
    expect(rejected.json().data.instanceID).toBeUndefined();
    const list = (await as('vic', 'GET', `/api/console/approvals?status=rejected&workflowID=${wf}`)).json().cursor.data;
    expect(list.map((a: { id: string }) => a.id)).toEqual([approval.id]);
    const log = (await as('vic', 'GET', `/api/console/audit?action=approval.reject&targetId=${approval.id}`)).json().cursor.data as any[];
    expect(log[0]).toMatchObject({ reason: 'wrong merchant', outcome: { outcome: 'succeeded' } });
  });

  it('holds a run whose sends go over the limit of their asset; below it, the run starts at once', async () => {
    const wf = await workflow(payout);
    const settings = await as('root', 'PUT', '/api/console/settings', { approvalLimits: { 'USD/2': '100000' } });
    expect(settings.status, settings.text).toBe(200);
    try {
      const small = await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, { user: '1', amount: '100000' });
      expect(small.status, small.text).toBe(201);
      const big = await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, { user: '1', amount: '100001' });
      expect(big.status, big.text).toBe(202);
      expect(big.json().data.heldBecause).toEqual([
        { kind: 'amount', asset: 'USD/2', total: '100001', limit: '100000', text: 'its sends move 100001 USD/2, more than the limit of 100000' },
      ]);
      // Bad variables are not held: the run's own answer (400) comes back.
      const bad = await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, { user: 1 });
      expect(bad.status).toBe(400);
    } finally {
      await as('root', 'PUT', '/api/console/settings', { approvalLimits: {} });
    }
  });

  it('a policy change is recorded with its reason; with reasons required, one without is refused and nothing changes', async () => {
    const wf = await workflow([{ noop: {} }]);
    const on = await as(
      'root',
      'PUT',
      `/api/console/workflows/${wf}/approval-policy`,
      { requiresApproval: true },
      { 'x-audit-reason': encodeURIComponent('payouts — ticket 12') },
    );
    expect(on.status, on.text).toBe(200);
    const listed = async () => ((await as('vic', 'GET', '/api/console/approval-policies')).json().data as { workflowID: string }[]).map((p) => p.workflowID);
    expect(await listed()).toContain(wf);
    const operator = await as('alice', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: false });
    expect(operator.status).toBe(403);
    expect(operator.json().requiredRole).toBe('admin');
    expect((await as('root', 'PUT', '/api/console/settings', { requireReason: true })).status).toBe(200);
    try {
      const bare = await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: false });
      expect(bare.status).toBe(400);
      expect(bare.json().errorMessage).toMatch(/^x-audit-reason: a reason is required to change a workflow's approval policy/);
      expect((await as('vic', 'GET', `/api/console/workflows/${wf}/approval-policy`)).json().data.requiresApproval).toBe(true);
      const off = await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: false }, { 'x-audit-reason': 'pilot over' });
      expect(off.status, off.text).toBe(200);
      expect(await listed()).not.toContain(wf);
    } finally {
      await as('root', 'PUT', '/api/console/settings', { requireReason: false });
    }
    const log = (await as('vic', 'GET', `/api/console/audit?action=workflow.policy&targetType=workflow&targetId=${wf}`)).json().cursor.data as any[];
    expect(log.map((e) => [e.actor.name, e.reason, e.outcome.outcome, e.outcome.status, e.details.body])).toEqual([
      ['root', 'pilot over', 'succeeded', 200, '{"requiresApproval":false}'],
      ['root', undefined, 'refused', 400, undefined],
      ['alice', undefined, 'refused', 403, undefined],
      ['root', 'payouts — ticket 12', 'succeeded', 200, '{"requiresApproval":true}'],
    ]);
  });

  it('a request past its time reads expired and can no longer be approved', async () => {
    const wf = await workflow([{ noop: {} }]);
    await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: true });
    const approval = (await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, {})).json().data;
    expect(new Date(approval.expiresAt).getTime() - new Date(approval.requestedAt).getTime()).toBe(24 * 3600_000);
    await server.ctx.db.query(`update approvals set expires_at = now() - interval '1 second' where id = $1`, [approval.id]);
    expect((await as('bob', 'GET', `/api/console/approvals/${approval.id}`)).json().data.status).toBe('expired');
    const late = await as('bob', 'POST', `/api/console/approvals/${approval.id}/approve`);
    expect(late.status).toBe(409);
    expect(late.json().errorMessage).toContain('already expired');
    const expired = (await as('vic', 'GET', `/api/console/approvals?status=expired&workflowID=${wf}`)).json().cursor.data;
    expect(expired).toHaveLength(1);
    expect((await as('vic', 'GET', `/api/console/approvals?status=pending&workflowID=${wf}`)).json().cursor.data).toHaveLength(0);
  });
});

describe('four eyes without sign-in', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('holds the run, but nobody can approve it (every caller is the same "local"): it can be rejected', async () => {
    const wf = (await server.api.post('/api/orchestration/v2/workflows', { name: 'local-approval', stages: [{ noop: {} }] })).body.data.id;
    expect((await server.api.put(`/api/console/workflows/${wf}/approval-policy`, { requiresApproval: true })).status).toBe(200);
    const held = await server.api.post(`/api/orchestration/v2/workflows/${wf}/instances`, {});
    expect(held.status).toBe(202);
    const approve = await server.api.post(`/api/console/approvals/${held.body.data.id}/approve`);
    expect(approve.status).toBe(403);
    expect(approve.body.errorMessage).toContain('four eyes needs sign-in');
    expect((await server.api.post(`/api/console/approvals/${held.body.data.id}/reject`, { reason: 'no second person' })).status).toBe(200);
  });

  it('a workflow id no workflow can have (a NUL) is answered by the run route, never a 500 from the approval check', async () => {
    for (const [method, path] of [
      ['POST', '/api/orchestration/workflows/%00/instances'],
      ['POST', '/api/orchestration/v2/workflows/a%00b/instances'],
      ['GET', '/api/console/approvals/%00'],
      ['POST', '/api/console/approvals/%00/approve'],
      ['GET', '/api/console/workflows/%00/approval-policy'],
      ['PUT', '/api/console/workflows/%00/approval-policy'],
    ] as const) {
      const r = await server.api.request(method, path, method === 'GET' ? undefined : { a: 'b', requiresApproval: true, reason: 'x' });
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
    }
  });
});

describe('four eyes in remote mode', () => {
  let stack: Server;
  let remote: Server;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    stack = await startTestServer();
    // The embedded server plays the stack; the remote console holds the requests in its own store.
    remote = await startTestServer({ FORMANCE_URL: stack.url, DATA_DIR: 'memory', AUTH_CLIENTS: 'alice:s-alice:operator,bob:s-bob:operator,root:s-root:admin' });
    for (const id of ['alice', 'bob', 'root']) {
      const r = await rawRequest(remote.url, '/api/auth/oauth/token', {
        method: 'POST',
        body: `grant_type=client_credentials&client_id=${id}&client_secret=s-${id}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      tokens[id] = r.json().access_token;
    }
  });
  afterAll(async () => {
    await remote?.close();
    await stack?.close();
  });

  const as = (who: string, method: string, path: string, body?: unknown) =>
    rawRequest(remote.url, path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headers: { ...JSON_TYPE, authorization: `Bearer ${tokens[who]}` },
    });

  it('holds a run through the proxy, and the approval starts it on the stack with its variables', async () => {
    const created = await as('root', 'POST', '/api/orchestration/v2/workflows', {
      name: 'remote-approval',
      stages: [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'users:${user}' } }, amount: { asset: 'EUR/2', amount: '${amount}' } } }],
    });
    expect(created.status, created.text).toBe(201);
    const wf = created.json().data.id;
    expect((await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: true })).status).toBe(200);

    const held = await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, { user: '9', amount: '250' });
    expect(held.status, held.text).toBe(202);
    const approval = held.json().data;
    expect(approval).toMatchObject({ workflowName: 'remote-approval', sends: [{ asset: 'EUR/2', amount: '250' }] });
    expect((await stack.api.get(`/api/orchestration/v2/instances?workflowID=${wf}`)).body.cursor.data).toEqual([]);

    const seen = (await as('bob', 'GET', `/api/console/approvals/${approval.id}`)).json().data;
    // computed by the console from the stack's balances (its ledger does not exist yet there: the send would retry)
    expect(seen.dryRun).toMatchObject({ basis: { mode: 'remote' }, outcome: { status: expect.any(String) } });
    expect((await as('alice', 'POST', `/api/console/approvals/${approval.id}/approve`)).status).toBe(403);
    const approved = await as('bob', 'POST', `/api/console/approvals/${approval.id}/approve`, {});
    expect(approved.status, approved.text).toBe(200);
    const instanceID = approved.json().data.instanceID;
    expect(instanceID).toEqual(expect.any(String));
    const onStack = await stack.api.get(`/api/orchestration/v2/instances/${instanceID}`);
    expect(onStack.body.data).toMatchObject({ workflowID: wf, variables: { user: '9', amount: '250' } });
    // A run without a rule passes straight through the proxy, body intact.
    expect((await as('root', 'PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: false })).status).toBe(200);
    const policyLog = (await as('root', 'GET', `/api/console/audit?action=workflow.policy&targetId=${wf}`)).json().cursor.data as any[];
    expect(policyLog.map((e) => [e.actor.name, e.mode, e.details.body])).toEqual([
      ['root', 'remote', '{"requiresApproval":false}'],
      ['root', 'remote', '{"requiresApproval":true}'],
    ]);
    const direct = await as('alice', 'POST', `/api/orchestration/v2/workflows/${wf}/instances`, { user: '10', amount: '1' });
    expect(direct.status, direct.text).toBe(201);
    expect((await stack.api.get(`/api/orchestration/v2/instances/${direct.json().data.id}`)).body.data.variables).toEqual({ user: '10', amount: '1' });
  });
});
