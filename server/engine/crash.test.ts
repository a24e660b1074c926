import { afterAll, describe, expect, it } from 'vitest';
import { childStore, startChildServer, type ChildServer, type ChildStore } from '../test/child-server.js';
import { eventually } from '../test/harness.js';

/**
 * Crash recovery: a real server process on a PGlite data dir is killed with SIGKILL while instances sit in delays and waits,
 * then restarted on the same store: every instance finishes, nothing is lost or run twice.
 */
let store: ChildStore | undefined;
const servers: ChildServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill9();
  await store?.cleanup();
});

async function startChild() {
  const server = await startChildServer(store!);
  servers.push(server);
  return { child: server, api: server.api };
}

const kill9 = (child: ChildServer) => child.kill9();

describe('crash recovery (kill -9)', () => {
  it('resumes every unfinished instance after a restart on the same data dir', async () => {
    // PGlite only: on PostgreSQL a restart waits for the killed server's leases to expire (30 s).
    store = await childStore('crash', { pgliteOnly: true });
    let { child, api } = await startChild();
    const p = '/api/orchestration/v2';
    const wf = (await api.post(`${p}/workflows`, { stages: [{ noop: {} }, { delay: { duration: '${d}' } }, { wait_event: { event: 'go' } }, { noop: {} }] })).body.data;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await api.post(`${p}/workflows/${wf.id}/instances`, { d: `${300 + (i % 10) * 100}ms` });
      expect(r.status).toBe(201);
      ids.push(r.body.data.id);
    }
    // Kill while most instances are still inside their delay.
    await new Promise((r) => setTimeout(r, 150));
    await kill9(child);

    ({ child, api } = await startChild());
    // Every instance gets through its delay after the restart and parks in wait_event.
    await eventually(
      async () => {
        const r = await api.get(`${p}/instances?workflowID=${wf.id}&pageSize=100`);
        return r.body.cursor.data.length === 30 && (await Promise.all(ids.map((id) => api.get(`${p}/instances/${id}`)))).every((x) => x.body.data.status?.length === 3);
      },
      30_000,
      200,
    );
    for (const id of ids.slice(0, 15)) expect((await api.post(`${p}/instances/${id}/events`, { name: 'go' })).status).toBe(204);

    // Kill again with half of them released, then restart: the rest still wait, the released finish.
    await kill9(child);
    ({ child, api } = await startChild());
    await eventually(
      async () => {
        const done = await Promise.all(ids.slice(0, 15).map(async (id) => (await api.get(`${p}/instances/${id}`)).body.data.terminated));
        return done.every(Boolean);
      },
      30_000,
      200,
    );
    for (const id of ids.slice(15)) expect((await api.post(`${p}/instances/${id}/events`, { name: 'go' })).status).toBe(204);
    await eventually(
      async () => {
        const r = await api.get(`${p}/instances?workflowID=${wf.id}&running=true`);
        return r.body.cursor.data.length === 0;
      },
      30_000,
      200,
    );

    for (const id of ids) {
      const inst = (await api.get(`${p}/instances/${id}`)).body.data;
      expect(inst.error).toBeUndefined();
      expect(inst.status.map((s: any) => s.stage)).toEqual([0, 1, 2, 3]);
      const history = (await api.get(`${p}/instances/${id}/history`)).body.data;
      expect(history.map((h: any) => h.name)).toEqual(['RunNoop', 'RunDelay', 'RunWaitEvent', 'RunNoop']);
    }
    // Each stage event published exactly once per instance: nothing was run twice.
    const { body } = await api.get(`${p}/instances?workflowID=${wf.id}&pageSize=100`);
    expect(body.cursor.data).toHaveLength(30);
    expect((await child.stop()).code).toBe(0);
    // Open the store directly: every stage started and succeeded exactly once per instance.
    const db = await store.open();
    const rows = await db.query<{ type: string; n: number }>(`select type, count(*)::int as n from events where payload->>'id' = $1 group by type order by type`, [
      wf.id,
    ]);
    await db.close();
    expect(Object.fromEntries(rows.map((r) => [r.type, r.n]))).toEqual({
      STARTED_WORKFLOW: 30,
      STARTED_WORKFLOW_STAGE: 120,
      SUCCEEDED_WORKFLOW_STAGE: 120,
      SUCCEEDED_WORKFLOW: 30,
    });
    console.log(`crash test: 30 instances, 2 kill -9, all finished with 4 stages each`);
  }, 120_000);
});
