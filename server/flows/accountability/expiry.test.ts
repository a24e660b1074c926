import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../store/db.js';
import { openStore } from '../../store/open.js';
import { createTestDatabase } from '../../test/database.js';
import { eventually, startTestServer } from '../../test/harness.js';
import { Approvals, type RunGateway } from './approvals.js';
import { AuditLog } from './audit.js';
import { updateSettings } from './settings.js';

// An approval request's expiry is recorded in the audit log once, by the console server itself:
// with two servers sweeping one database at the same moment, and again after a restart. A fake
// clock moves past the request's time; nothing sleeps.

/** Two handles on one database where the store allows it (PostgreSQL: two servers), and a restart. */
async function sharedStore() {
  if (process.env.TEST_DATABASE_URL) {
    const { url, drop } = await createTestDatabase(process.env.TEST_DATABASE_URL, 'expiry');
    const open = () => openStore({ databaseUrl: url, dataDir: 'memory' }).then((s) => s.db);
    return { open, second: open, remove: drop };
  }
  // PGlite has one process per directory: the "second server" shares the handle.
  const dir = mkdtempSync(join(tmpdir(), 'flows-expiry-'));
  let current: Db | undefined;
  const open = async () => (current = (await openStore({ dataDir: join(dir, 'data') })).db);
  return { open, second: async () => current!, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

const gateway: RunGateway = {
  definition: async (id) => (id.startsWith('wf-') ? { name: `name of ${id}`, stages: [{ noop: {} }] } : undefined),
  start: async () => {
    throw new Error('not started in this test');
  },
  dryRun: async () => {
    throw new Error('no dry-run in this test');
  },
};

let cleanup: (() => Promise<void>) | undefined;
afterAll(async () => cleanup?.());

describe('approval expiry', () => {
  it('records each expired request once, by the console server, across two servers and a restart; it reads expired as before', async () => {
    const store = await sharedStore();
    let a = await store.open();
    let b = await store.second();
    cleanup = async () => {
      await a.close().catch(() => {});
      if (b !== a) await b.close().catch(() => {});
      await store.remove();
    };
    let now = new Date('2026-03-01T10:00:00Z');
    const clock = () => now;
    const server1 = new Approvals(async () => a, gateway, clock);
    const server2 = new Approvals(async () => b, gateway, clock);

    await updateSettings(a, { approvalExpiresAfter: '1m' }, 'test');
    await server1.setPolicy('wf-1', true, 'test');
    const alice = { kind: 'client' as const, name: 'alice' };
    const held = [await server1.holdIfNeeded('wf-1', {}, alice), await server1.holdIfNeeded('wf-1', {}, alice)].map((h) => h!.id);
    now = new Date(now.getTime() + 30_000);
    const later = (await server2.holdIfNeeded('wf-1', {}, alice))!.id;

    // Nothing is due yet.
    expect(await server1.expireDue()).toEqual([]);

    // Past the first two requests' time: both servers sweep at once; each request is claimed by one.
    now = new Date('2026-03-01T10:01:00Z');
    const [one, two] = await Promise.all([server1.expireDue(), server2.expireDue()]);
    expect([...one, ...two].map((x) => x.id).sort()).toEqual([...held].sort());
    expect([...one, ...two].every((x) => x.status === 'expired')).toBe(true);

    const audit = new AuditLog(async () => a, clock);
    const expiries = async () => (await audit.list({}, { action: 'approval.expire' })).data;
    const recorded = await expiries();
    expect(recorded.map((e) => e.target.id).sort()).toEqual([...held].sort());
    expect(recorded[0]).toMatchObject({
      actor: { kind: 'system', name: 'console', access: 'full', via: 'none' },
      action: 'approval.expire',
      target: { type: 'approval' },
      at: '2026-03-01T10:01:00.000Z',
      details: { workflowID: 'wf-1', workflowName: 'name of wf-1', requestedBy: 'client alice' },
      outcome: { outcome: 'succeeded', answeredBy: 'console', result: { type: 'workflow', id: 'wf-1' } },
    });
    // The workflow's Activity (a filter by its id) finds them.
    expect((await audit.list({}, { targetType: 'workflow', targetId: 'wf-1', action: 'approval' })).data).toHaveLength(2);

    // Restart: a new server on the same database records nothing again; the third request expires later.
    await a.close();
    if (b !== a) await b.close();
    a = await store.open();
    b = await store.second();
    const restarted = new Approvals(async () => a, gateway, clock);
    expect(await restarted.expireDue()).toEqual([]);
    now = new Date('2026-03-01T10:02:00Z');
    expect((await restarted.expireDue()).map((x) => x.id)).toEqual([later]);
    expect(await new Approvals(async () => b, gateway, clock).expireDue()).toEqual([]);
    expect((await new AuditLog(async () => a, clock).list({}, { action: 'approval.expire' })).data).toHaveLength(3);

    // It reads expired everywhere, as before the sweep, and can no longer be decided.
    expect((await restarted.get(held[0]!)).status).toBe('expired');
    expect((await restarted.list({}, { status: 'expired' })).data.map((x) => x.id).sort()).toEqual([...held, later].sort());
    expect((await restarted.list({}, { status: 'pending' })).data).toEqual([]);
    await expect(restarted.approve(held[0]!, { kind: 'client', name: 'bob' })).rejects.toMatchObject({ status: 409 });
    await expect(restarted.reject(later, { kind: 'client', name: 'bob' }, 'too late')).rejects.toMatchObject({ status: 409 });
  });

  it('a server records at start what expired while it was down (the sweep runs in the server)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-expiry-server-'));
    const env = { DATA_DIR: join(dir, 'data') };
    try {
      let server = await startTestServer(env);
      const wf = (await server.api.post('/api/orchestration/v2/workflows', { name: 'expires', stages: [{ noop: {} }] })).body.data.id;
      expect((await server.api.put(`/api/console/workflows/${wf}/approval-policy`, { requiresApproval: true })).status).toBe(200);
      const held = await server.api.post(`/api/orchestration/v2/workflows/${wf}/instances`, {});
      expect(held.status).toBe(202);
      await server.ctx.db.query(`update approvals set expires_at = now() - interval '1 second' where id = $1`, [held.body.data.id]);
      await server.close();
      server = await startTestServer(env);
      try {
        const entries = await eventually(async () => {
          const r = await server.api.get(`/api/console/audit?action=approval.expire&targetId=${held.body.data.id}`);
          return r.body.cursor.data.length ? r.body.cursor.data : undefined;
        });
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({ actor: { kind: 'system', name: 'console' }, outcome: { result: { type: 'workflow', id: wf } } });
        // the workflow's Activity shows it
        const trail = await server.api.get(`/api/console/audit?targetType=workflow&targetId=${wf}`);
        expect(trail.body.cursor.data.map((e: { action: string }) => e.action)).toContain('approval.expire');
        expect((await server.api.get(`/api/console/approvals/${held.body.data.id}`)).body.data.status).toBe('expired');
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
