import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, ROLES, type Access } from '../../common/roles.js';
import { createApp } from '../app.js';
import { startTestServer } from '../test/harness.js';
import { protectedApiRoutes } from '../test/routes.js';
import { isRead, ruleFor } from './access-rules.js';
import { rawRequest } from './raw-request.js';

// Roles on every write, and the audit record of every write (access.ts, access-rules.ts).

type Server = Awaited<ReturnType<typeof startTestServer>>;
const JSON_TYPE = { 'content-type': 'application/json' };

/** Every write of the console's API, with the action and role it must be recorded as. */
const EXPECTED: Record<string, [action: string, role: string]> = {
  'POST /api/orchestration/workflows': ['workflow.create', 'admin'],
  'DELETE /api/orchestration/workflows/x': ['workflow.delete', 'admin'],
  'POST /api/orchestration/workflows/x/instances': ['instance.run', 'operator'],
  'POST /api/orchestration/instances/x/events': ['instance.sendEvent', 'operator'],
  'PUT /api/orchestration/instances/x/abort': ['instance.abort', 'operator'],
  'POST /api/orchestration/triggers': ['trigger.create', 'admin'],
  'DELETE /api/orchestration/triggers/x': ['trigger.delete', 'admin'],
  'POST /api/console/events': ['event.publish', 'operator'],
  'POST /api/console/payments': ['payment.create', 'admin'],
  'PUT /api/console/settings': ['settings.update', 'admin'],
  'POST /api/console/views': ['view.create', 'operator'],
  'PATCH /api/console/views/x': ['view.update', 'operator'],
  'DELETE /api/console/views/x': ['view.delete', 'operator'],
  'POST /api/console/bulk-jobs': ['bulk.create', 'operator'],
  'POST /api/console/bulk-jobs/x/stop': ['bulk.stop', 'operator'],
  'POST /api/console/approvals/x/approve': ['approval.approve', 'operator'],
  'POST /api/console/approvals/x/reject': ['approval.reject', 'operator'],
  'PUT /api/console/workflows/x/approval-policy': ['workflow.policy', 'admin'],
};

function expectedRule(method: string, path: string): [string, string] | undefined {
  const key = `${method} ${path.replace('/api/orchestration/v2/', '/api/orchestration/')}`;
  if (EXPECTED[key]) return EXPECTED[key];
  if (/^\/api\/ledger\//.test(path)) return ['ledger.write', 'admin'];
  if (/^\/api\/wallets\/holds\//.test(path)) return ['wallet.hold', 'admin'];
  if (/^\/api\/wallets\//.test(path)) return ['wallet.write', 'admin'];
  if (/^\/api\/payments\//.test(path)) return ['payment.write', 'admin'];
  return undefined;
}

describe('roles on every write', () => {
  let server: Server;
  const tokens: Partial<Record<Access, string>> = {};

  beforeAll(async () => {
    server = await startTestServer({ AUTH_CLIENTS: 'viewer:s-viewer:viewer,operator:s-operator:operator,admin:s-admin:admin,full:s-full' });
    for (const access of [...ROLES, 'full'] as const) {
      const r = await rawRequest(server.url, '/api/auth/oauth/token', {
        method: 'POST',
        body: `grant_type=client_credentials&client_id=${access}&client_secret=s-${access}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status, r.text).toBe(200);
      tokens[access] = r.json().access_token;
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  const counts = async () => {
    const [row] = await server.ctx.db.query(
      `select (select count(*) from workflows) w, (select count(*) from triggers) t, (select count(*) from instances) i, (select count(*) from sb_ledgers) l, (select count(*) from sb_transactions) x`,
    );
    return row;
  };

  it('every write route has a rule, and each role is refused (403, naming the role) or let through by it', async () => {
    const writes = protectedApiRoutes(createApp(server.ctx)).filter(([method, path]) => !isRead(method, path));
    expect(writes.length).toBeGreaterThan(15);
    const before = await counts();
    // The viewer first: what it is refused must store nothing.
    for (const access of ['viewer', 'operator', 'admin', 'full'] as const) {
      for (const [method, path] of writes) {
        const rule = ruleFor(method, path);
        expect(rule.known, `${method} ${path} has no rule in access-rules.ts`).toBe(true);
        expect([rule.action, rule.role], `${method} ${path}`).toEqual(expectedRule(method, path));
        const r = await rawRequest(server.url, path, { method, body: '{}', headers: { ...JSON_TYPE, authorization: `Bearer ${tokens[access]}` } });
        if (allows(access, rule.role)) {
          expect(r.status, `${access} ${method} ${path}: ${r.text}`).not.toBe(403);
        } else {
          expect(r.status, `${access} ${method} ${path}`).toBe(403);
          expect(r.json()).toEqual({ errorCode: 'FORBIDDEN', errorMessage: expect.stringContaining(`Needs the ${rule.role} role`), requiredRole: rule.role });
        }
      }
      if (access === 'viewer') expect(await counts()).toEqual(before);
    }
    // Reads stay open to every role.
    for (const access of ROLES) {
      const r = await rawRequest(server.url, '/api/orchestration/v2/workflows', { headers: { authorization: `Bearer ${tokens[access]}` } });
      expect(r.status).toBe(200);
    }
  });

  it('records refusals with who was refused and what they needed', async () => {
    const r = await rawRequest(server.url, '/api/orchestration/v2/workflows', {
      method: 'POST',
      body: '{"stages":[]}',
      headers: { ...JSON_TYPE, authorization: `Bearer ${tokens.operator}`, 'x-request-id': 'refused-create-1' },
    });
    expect(r.status).toBe(403);
    expect(r.headers['x-request-id']).toBe('refused-create-1');
    const log = await rawRequest(server.url, '/api/console/audit?requestId=refused-create-1', { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(log.status).toBe(200);
    expect(log.json().cursor.data).toEqual([
      expect.objectContaining({
        actor: { kind: 'client', name: 'operator', access: 'operator', via: 'token' },
        action: 'workflow.create',
        outcome: expect.objectContaining({ outcome: 'refused', status: 403, errorCode: 'FORBIDDEN', answeredBy: 'console' }),
      }),
    ]);
  });

  it('tells the console who it is and what it may do', async () => {
    const me = await rawRequest(server.url, '/api/console/me', { headers: { authorization: `Bearer ${tokens.operator}` } });
    expect(me.json()).toEqual({ kind: 'client', name: 'operator', label: 'client operator', access: 'operator' });
  });
});

describe('the audit log', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    rawRequest(server.url, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }), headers: { ...JSON_TYPE, ...headers } });
  const audit = async (query: string) => {
    const r = await rawRequest(server.url, `/api/console/audit?${query}`);
    expect(r.status, r.text).toBe(200);
    return r.json().cursor.data as any[];
  };

  it('records every write: who, what, the target, the reason, the request id and the outcome', async () => {
    const created = await send('POST', '/api/orchestration/v2/workflows', { name: 'audited', stages: [{ wait_event: { event: 'go' } }] });
    expect(created.status).toBe(201);
    const wf = created.json().data.id as string;
    const run = await send('POST', `/api/orchestration/v2/workflows/${wf}/instances`, {});
    expect(run.status).toBe(201);
    const inst = run.json().data.id as string;
    const event = await send('POST', `/api/orchestration/v2/instances/${inst}/events`, { name: 'other' });
    const abort = await send('PUT', `/api/orchestration/v2/instances/${inst}/abort`, undefined, { 'x-audit-reason': encodeURIComponent('duplicate payout — ticket 42') });
    expect(abort.status).toBe(204);
    const missing = await send('DELETE', '/api/orchestration/v2/workflows/00000000-0000-4000-8000-000000000000', undefined, { 'x-audit-reason': 'cleanup' });
    expect(missing.status).toBe(404);

    const entries = await audit('');
    const byRequest = (r: { headers: Record<string, unknown> }) => entries.find((e) => e.requestId === r.headers['x-request-id']);
    expect(byRequest(created)).toMatchObject({
      actor: { kind: 'local', name: '', access: 'full', via: 'none' },
      action: 'workflow.create',
      method: 'POST',
      mode: 'embedded',
      details: { body: expect.stringContaining('audited') },
      outcome: { outcome: 'succeeded', status: 201, answeredBy: 'console', result: { type: 'workflow', id: wf } },
    });
    expect(byRequest(run)).toMatchObject({ action: 'instance.run', target: { type: 'workflow', id: wf }, outcome: { result: { type: 'instance', id: inst } } });
    expect(byRequest(event)).toMatchObject({ action: 'instance.sendEvent', target: { type: 'instance', id: inst }, outcome: { status: event.status } });
    expect(byRequest(abort)).toMatchObject({ action: 'instance.abort', reason: 'duplicate payout — ticket 42', outcome: { outcome: 'succeeded', status: 204 } });
    expect(byRequest(missing)).toMatchObject({ action: 'workflow.delete', reason: 'cleanup', outcome: { outcome: 'failed', status: 404, errorCode: 'NOT_FOUND' } });

    // The instance's history: its run (what created it) and everything done to it, newest first.
    const forInstance = await audit(`targetType=instance&targetId=${inst}`);
    expect(forInstance.map((e) => e.action)).toEqual(['instance.abort', 'instance.sendEvent', 'instance.run']);
    expect((await audit('action=instance')).map((e) => e.action)).toEqual(['instance.abort', 'instance.sendEvent', 'instance.run']);
    expect(await audit('outcome=failed&action=workflow')).toHaveLength(1);
    // Reads are not recorded.
    expect(entries.every((e) => e.method !== 'GET')).toBe(true);
  });

  it('pages newest first and exports CSV and NDJSON with the same filters', async () => {
    for (let i = 0; i < 3; i++) await send('POST', '/api/console/events', { type: 'PAGED', payload: { i } });
    const first = (await rawRequest(server.url, '/api/console/audit?action=event.publish&pageSize=2')).json().cursor;
    expect(first.data).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const second = (await rawRequest(server.url, `/api/console/audit?cursor=${encodeURIComponent(first.next)}`)).json().cursor;
    expect(second.data).toHaveLength(1);
    expect(second.data[0].seq).toBeLessThan(first.data[1].seq);
    const csv = await rawRequest(server.url, '/api/console/audit/export?format=csv&action=event.publish');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-.*\.csv"/);
    expect(csv.text.trim().split('\n')).toHaveLength(4);
    const nd = await rawRequest(server.url, '/api/console/audit/export?format=ndjson&action=event.publish');
    expect(
      nd.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).action),
    ).toEqual(['event.publish', 'event.publish', 'event.publish']);
    expect((await rawRequest(server.url, '/api/console/audit?outcome=maybe')).status).toBe(400);
    expect((await rawRequest(server.url, '/api/console/audit?since=yesterday')).json()).toEqual({
      errorCode: 'VALIDATION',
      errorMessage: expect.stringMatching(/^since:/),
    });
    expect((await rawRequest(server.url, '/api/console/audit?cursor=nonsense')).status).toBe(400);
  });

  it('can require a reason to abort or delete; the refusal is recorded and nothing is done', async () => {
    const put = await send('PUT', '/api/console/settings', { requireReason: true });
    expect(put.status, put.text).toBe(200);
    expect(put.json().data).toMatchObject({ requireReason: true, updatedBy: 'local, no sign-in' });
    expect((await send('PUT', '/api/console/settings', { requireReason: 'yes' })).json()).toEqual({
      errorCode: 'VALIDATION',
      errorMessage: expect.stringMatching(/^requireReason:/),
    });
    try {
      const wf = (await send('POST', '/api/orchestration/v2/workflows', { stages: [{ noop: {} }] })).json().data.id;
      const refused = await send('DELETE', `/api/orchestration/v2/workflows/${wf}`);
      expect(refused.status).toBe(400);
      expect(refused.json().errorMessage).toMatch(/^x-audit-reason: a reason is required/);
      expect((await rawRequest(server.url, `/api/orchestration/v2/workflows/${wf}`)).status).toBe(200);
      expect((await audit(`requestId=${refused.headers['x-request-id']}`))[0]).toMatchObject({ action: 'workflow.delete', outcome: { outcome: 'refused', status: 400 } });
      expect((await send('DELETE', `/api/orchestration/v2/workflows/${wf}`, undefined, { 'x-audit-reason': 'obsolete' })).status).toBe(204);
    } finally {
      await send('PUT', '/api/console/settings', { requireReason: false });
    }
  });

  it('is append-only: no route changes it, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await send('POST', '/api/console/events', { type: 'KEPT', payload: {} });
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const r = await rawRequest(server.url, '/api/console/audit', { method, body: '{}', headers: JSON_TYPE });
      expect(r.status, method).toBe(405);
    }
    const db = server.ctx.db;
    const [before] = await db.query(`select count(*)::int n from audit_entries`);
    await expect(db.query(`update audit_entries set actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from audit_entries`)).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from audit_outcomes`)).rejects.toThrow(/append-only/);
    await expect(db.query(`truncate audit_entries cascade`)).rejects.toThrow(/append-only/);
    const [after] = await db.query(`select count(*)::int n from audit_entries`);
    expect(after).toEqual(before);
  });
});
