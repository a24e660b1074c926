import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformEvent } from '../store/bus.js';
import { eventually, startTestServer } from '../test/harness.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let workflowID: string;
const v2 = '/api/orchestration/v2';
const v1 = '/api/orchestration';

beforeAll(async () => {
  server = await startTestServer();
  workflowID = (await server.api.post(`${v2}/workflows`, { name: 'on-event', stages: [{ noop: {} }] })).body.data.id;
});
afterAll(async () => {
  await server?.close();
});

async function publish(s: Server, e: PlatformEvent) {
  await s.ctx.db.transaction((tx) => s.ctx.bus.publish(tx, e));
  s.ctx.bus.notify();
}

const committed = (ledger: string, amount: number, id = 9): PlatformEvent => ({
  app: 'ledger',
  version: 'v2',
  type: 'COMMITTED_TRANSACTIONS',
  payload: { ledger, transactions: [{ id, postings: [{ source: 'world', destination: 'users:1', amount, asset: 'USD/2' }], metadata: {} }] },
});

describe('trigger CRUD', () => {
  it('creates, reads, lists by name (case-insensitive) and deletes', async () => {
    const body = {
      name: 'Big-Deposits',
      event: 'COMMITTED_TRANSACTIONS',
      version: 'v2',
      workflowID,
      filter: 'event.ledger == "main"',
      vars: { txid: 'event.transactions[0].id' },
    };
    const r = await server.api.post(`${v2}/triggers`, body);
    expect(r.status).toBe(201);
    const t = r.body.data;
    expect(t).toMatchObject({ id: expect.any(String), ...body, createdAt: expect.any(String) });
    expect((await server.api.get(`${v2}/triggers/${t.id}`)).body.data).toEqual(t);
    expect((await server.api.get(`${v1}/triggers/${t.id}`)).body.data).toEqual(t);

    const bare = (await server.api.post(`${v2}/triggers`, { event: 'SAVED_PAYMENT', workflowID })).body.data;
    expect(bare.name).toBe('');
    expect(bare).not.toHaveProperty('filter');
    expect(bare).not.toHaveProperty('vars');
    expect(bare).not.toHaveProperty('version');

    const byName = (await server.api.get(`${v2}/triggers?name=deposit`)).body.cursor;
    expect(byName.data.map((x: any) => x.id)).toEqual([t.id]);
    expect((await server.api.get(`${v1}/triggers?name=DEPOSIT`)).body.data.map((x: any) => x.id)).toEqual([t.id]);
    expect((await server.api.get(`${v2}/triggers?name=%25`)).body.cursor.data).toEqual([]);

    expect((await server.api.delete(`${v2}/triggers/${t.id}`)).status).toBe(204);
    expect((await server.api.get(`${v2}/triggers/${t.id}`)).status).toBe(404);
    expect((await server.api.delete(`${v2}/triggers/${t.id}`)).status).toBe(404);
    expect((await server.api.get(`${v2}/triggers?name=deposit`)).body.cursor.data).toEqual([]);
    await server.api.delete(`${v2}/triggers/${bare.id}`);
  });

  it.each([
    ['missing event', { workflowID: 'x' }, 400, /missing event/],
    ['missing workflowID', { event: 'SAVED_PAYMENT' }, 400, /missing workflow id/],
    ['dotted event type', { event: 'ledger.committed.transactions', workflowID: 'x' }, 400, /did you mean COMMITTED_TRANSACTIONS/],
    ['malformed filter', { event: 'SAVED_PAYMENT', workflowID: 'x', filter: 'event.status ==' }, 400, /filter: validating data: error compiling expression/],
    ['malformed var', { event: 'SAVED_PAYMENT', workflowID: 'x', vars: { a: 'event.(' } }, 400, /vars\.a: validating data: error compiling expression/],
    ['vars not strings', { event: 'SAVED_PAYMENT', workflowID: 'x', vars: { a: 1 } }, 400, /vars\.a: expected an expression string/],
    ['vars not a map', { event: 'SAVED_PAYMENT', workflowID: 'x', vars: ['a'] }, 400, /vars: expected an object/],
    ['malformed JSON', '{"event":', 400, /invalid JSON/],
    ['unknown workflow', { event: 'SAVED_PAYMENT', workflowID: 'nope' }, 404, /workflow does not exists/],
  ])('rejects %s and stores nothing', async (_l, body, status, message) => {
    const before = (await server.api.get(`${v1}/triggers`)).body.data.length;
    const r = await server.api.post(`${v2}/triggers`, body);
    expect(r.status).toBe(status);
    expect(r.body.errorMessage).toMatch(message);
    expect((await server.api.get(`${v1}/triggers`)).body.data.length).toBe(before);
  });

  it('refuses triggers on a deleted workflow', async () => {
    const wf = (await server.api.post(`${v2}/workflows`, { stages: [] })).body.data.id;
    await server.api.delete(`${v2}/workflows/${wf}`);
    expect((await server.api.post(`${v2}/triggers`, { event: 'SAVED_PAYMENT', workflowID: wf })).status).toBe(404);
  });
});

describe('test endpoint', () => {
  it("evaluates the filter and the vars of upstream's documented examples", async () => {
    const t = (
      await server.api.post(`${v2}/triggers`, {
        event: 'SAVED_PAYMENT',
        workflowID,
        filter: 'event.status == "SUCCEEDED"',
        vars: { paymentID: 'event.id', amt: 'event.amount' },
      })
    ).body.data;
    const r = await server.api.post(`${v2}/triggers/${t.id}/test`, { id: 'pay_1', status: 'SUCCEEDED', amount: 1999 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { filter: { match: true }, variables: { paymentID: { value: 'pay_1' }, amt: { value: '1999' } } } });
    const no = await server.api.post(`${v2}/triggers/${t.id}/test`, { id: 'pay_1', status: 'PENDING' });
    expect(no.body).toEqual({ data: { filter: { match: false } } });

    const t2 = (
      await server.api.post(`${v2}/triggers`, {
        event: 'COMMITTED_TRANSACTIONS',
        workflowID,
        filter: 'event.ledger == "main" && len(event.transactions) > 0 && event.transactions[0].postings[0].amount > 100000',
        vars: { txid: 'event.transactions[0].id', account: 'event.transactions[0].postings[0].destination', bad: 'event.nothing.deeper' },
      })
    ).body.data;
    const r2 = await server.api.post(`${v2}/triggers/${t2.id}/test`, committed('main', 250000).payload);
    expect(r2.body.data.filter).toEqual({ match: true });
    expect(r2.body.data.variables.txid).toEqual({ value: '9' });
    expect(r2.body.data.variables.account).toEqual({ value: 'users:1' });
    expect(r2.body.data.variables.bad.error).toMatch(/nil/);
  });

  it('omits filter and variables when the trigger has none; 404 and 400 for bad calls', async () => {
    const t = (await server.api.post(`${v2}/triggers`, { event: 'SAVED_PAYMENT', workflowID, filter: '' })).body.data;
    expect(t.filter).toBe('');
    expect((await server.api.post(`${v2}/triggers/${t.id}/test`, {})).body).toEqual({ data: {} });
    expect((await server.api.post(`${v2}/triggers/nope/test`, {})).status).toBe(404);
    expect((await server.api.post(`${v2}/triggers/${t.id}/test`, '{bad')).status).toBe(400);
  });
});

describe('firing', () => {
  it('starts the workflow for matching events and records occurrences linked to the instance', async () => {
    const t = (
      await server.api.post(`${v2}/triggers`, {
        name: 'fire',
        event: 'COMMITTED_TRANSACTIONS',
        workflowID,
        filter: 'event.ledger == "fire" && event.transactions[0].postings[0].amount > 100',
        vars: { txid: 'event.transactions[0].id' },
      })
    ).body.data;
    await publish(server, committed('fire', 50, 1)); // filtered out
    await publish(server, committed('fire', 500, 2));
    await publish(server, committed('other', 500, 3)); // filtered out
    const occ = await eventually(async () => {
      const r = (await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor;
      return r.data.length === 1 ? r.data[0] : undefined;
    });
    expect(occ).toMatchObject({ triggerID: t.id, workflowInstanceID: expect.any(String), date: expect.any(String) });
    expect(occ.event).toMatchObject({ type: 'COMMITTED_TRANSACTIONS', app: 'ledger', version: 'v2', payload: { ledger: 'fire' } });
    expect(occ.workflowInstance).toMatchObject({ id: occ.workflowInstanceID, workflowID });
    expect(occ.workflowInstance).not.toHaveProperty('status');
    const inst = (await server.api.get(`${v2}/instances/${occ.workflowInstanceID}`)).body.data;
    expect(inst.variables).toEqual({ txid: '2' });
    expect(inst.triggerID).toBe(t.id);
    expect((await server.api.get(`${v1}/triggers/${t.id}/occurrences`)).body.data).toHaveLength(1);
    // Deleted triggers stop firing, their occurrences stay listable.
    await server.api.delete(`${v2}/triggers/${t.id}`);
    await publish(server, committed('fire', 900, 4));
    await new Promise((r) => setTimeout(r, 300));
    expect((await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data).toHaveLength(1);
  });

  it('records an error occurrence and FAILED_TRIGGER when vars fail', async () => {
    const t = (await server.api.post(`${v2}/triggers`, { event: 'SAVED_METADATA', workflowID, vars: { x: 'event.missing.field' } })).body.data;
    await publish(server, { app: 'ledger', version: 'v2', type: 'SAVED_METADATA', payload: { ledger: 'main', targetType: 'ACCOUNT', targetId: 'a', metadata: {} } });
    const occ = await eventually(async () => (await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data[0]);
    expect(occ.error).toMatch(/^vars\.x: .*nil/);
    expect(occ).not.toHaveProperty('workflowInstanceID');
    const [ev] = await server.ctx.db.query(`select payload from events where type = 'FAILED_TRIGGER' and payload->>'triggerID' = $1`, [t.id]);
    expect(ev.payload).toMatchObject({ triggerID: t.id, error: occ.error });
  });

  it('fires SAVED_PAYMENT at most once per payment id, after the filter matches', async () => {
    const t = (await server.api.post(`${v2}/triggers`, { event: 'SAVED_PAYMENT', workflowID, filter: 'event.status == "SUCCEEDED"', vars: { paymentID: 'event.id' } }))
      .body.data;
    const pay = (status: string, id = 'pay_9'): PlatformEvent => ({
      app: 'payments',
      version: 'v3',
      type: 'SAVED_PAYMENT',
      payload: { id, status, type: 'PAY-IN', amount: '100' },
    });
    await publish(server, pay('PENDING'));
    await publish(server, pay('SUCCEEDED'));
    await publish(server, pay('SUCCEEDED'));
    await publish(server, pay('SUCCEEDED', 'pay_10'));
    await eventually(async () => (await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data.length === 2);
    await new Promise((r) => setTimeout(r, 300));
    const occ = (await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data;
    expect(occ.map((o: any) => o.event.payload.id)).toEqual(['pay_9', 'pay_10']);
  });

  it('skips triggers whose workflow was deleted', async () => {
    const wf = (await server.api.post(`${v2}/workflows`, { stages: [] })).body.data.id;
    const t = (await server.api.post(`${v2}/triggers`, { event: 'DELETED_METADATA', workflowID: wf })).body.data;
    await server.api.delete(`${v2}/workflows/${wf}`);
    await publish(server, { app: 'ledger', version: 'v2', type: 'DELETED_METADATA', payload: { ledger: 'main', targetType: 'ACCOUNT', targetId: 'a', key: 'k' } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data).toEqual([]);
  });
});

describe('restart', () => {
  it('handles each event once per trigger across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-triggers-'));
    try {
      let s = await startTestServer({ DATA_DIR: dir });
      const wf = (await s.api.post(`${v2}/workflows`, { stages: [] })).body.data.id;
      const t = (await s.api.post(`${v2}/triggers`, { event: 'COMMITTED_TRANSACTIONS', workflowID: wf })).body.data;
      for (let i = 0; i < 5; i++) await publish(s, committed('main', 1, i));
      await eventually(async () => (await s.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data.length === 5);
      await s.close();
      // Events published while no dispatcher runs are picked up after the restart, once.
      s = await startTestServer({ DATA_DIR: dir });
      await publish(s, committed('main', 1, 99));
      await eventually(async () => (await s.api.get(`${v2}/triggers/${t.id}/occurrences?pageSize=100`)).body.cursor.data.length === 6);
      await new Promise((r) => setTimeout(r, 300));
      expect((await s.api.get(`${v2}/triggers/${t.id}/occurrences?pageSize=100`)).body.cursor.data).toHaveLength(6);
      expect((await s.api.get(`${v2}/instances?workflowID=${wf}&pageSize=100`)).body.cursor.data).toHaveLength(6);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('sandbox to trigger, end to end', () => {
  it('a ledger transaction fires a trigger whose instance moves money again', async () => {
    const wf = (
      await server.api.post(`${v2}/workflows`, {
        stages: [
          {
            send: {
              source: { account: { id: 'world', ledger: 'e2e' } },
              destination: { account: { id: 'fees', ledger: 'e2e' } },
              amount: { asset: 'USD/2', amount: '${fee}' },
            },
          },
        ],
      })
    ).body.data.id;
    const t = (
      await server.api.post(`${v2}/triggers`, {
        event: 'COMMITTED_TRANSACTIONS',
        workflowID: wf,
        filter: 'event.ledger == "e2e" && event.transactions[0].postings[0].destination startsWith "users:"',
        vars: { fee: 'event.transactions[0].postings[0].amount / 100' },
      })
    ).body.data;
    const tx = await server.api.post('/api/ledger/v2/e2e/transactions', { postings: [{ source: 'world', destination: 'users:7', amount: 5000, asset: 'USD/2' }] });
    expect(tx.status, JSON.stringify(tx.body)).toBeLessThan(300);
    const occ = await eventually(async () => (await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data[0]);
    expect(occ.workflowInstanceID).toBeTruthy();
    await eventually(async () => (await server.api.get(`${v2}/instances/${occ.workflowInstanceID}`)).body.data.terminated);
    const inst = (await server.api.get(`${v2}/instances/${occ.workflowInstanceID}`)).body.data;
    expect(inst.error).toBeUndefined();
    expect(inst.variables).toEqual({ fee: '50' });
    const fees = await server.api.get('/api/ledger/v2/e2e/accounts/fees?expand=volumes');
    expect(fees.body.data.volumes['USD/2']).toMatchObject({ input: 50, output: 0, balance: 50 });
    // The fee transaction itself goes to `fees`, not `users:`: the filter keeps it from looping.
    await new Promise((r) => setTimeout(r, 300));
    expect((await server.api.get(`${v2}/triggers/${t.id}/occurrences`)).body.cursor.data).toHaveLength(1);
  });
});
