import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

/**
 * Group commit: the stage transitions of concurrent instances are written in shared batches.
 * Each instance still sees its own transitions in order and durably (a stage starts only after
 * the previous one's completion is committed), an abort still wins at once, and one transition
 * that cannot be written does not fail the others of its batch.
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
const p = '/api/orchestration/v2';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function workflow(stages: unknown[]): Promise<string> {
  const r = await server.api.post(`${p}/workflows`, { name: 'group-commit', stages });
  expect(r.status).toBe(201);
  return r.body.data.id;
}
const runAll = (wf: string, n: number) =>
  Promise.all(Array.from({ length: n }, async () => (await server.api.post(`${p}/workflows/${wf}/instances`, {})).body.data.id as string));
const allDone = (wf: string) => eventually(async () => (await server.api.get(`${p}/instances?workflowID=${wf}&running=true`)).body.cursor.data.length === 0, 60_000, 50);

describe('group commit of stage transitions', () => {
  it('runs 150 concurrent instances: every transition once, in order, each stage after the previous one ended', async () => {
    const wf = await workflow([{ noop: {} }, { noop: {} }, { noop: {} }]);
    const ids = await runAll(wf, 150);
    await allDone(wf);
    const db = server.ctx.db;
    const events = await db.query<{ id: string; type: string; n: string | null }>(
      `select payload->>'instanceID' as id, type, payload->>'number' as n from events where payload->>'id' = $1 order by seq`,
      [wf],
    );
    const byInstance = new Map<string, string[]>();
    for (const e of events) byInstance.set(e.id, [...(byInstance.get(e.id) ?? []), `${e.type}${e.n ?? ''}`]);
    for (const id of ids) {
      expect(byInstance.get(id)).toEqual([
        'STARTED_WORKFLOW',
        'STARTED_WORKFLOW_STAGE0',
        'SUCCEEDED_WORKFLOW_STAGE0',
        'STARTED_WORKFLOW_STAGE1',
        'SUCCEEDED_WORKFLOW_STAGE1',
        'STARTED_WORKFLOW_STAGE2',
        'SUCCEEDED_WORKFLOW_STAGE2',
        'SUCCEEDED_WORKFLOW',
      ]);
    }
    const stages = await db.query<{ instance_id: string; stage: number; started_at: Date; terminated_at: Date; error: string | null }>(
      `select s.instance_id, s.stage, s.started_at, s.terminated_at, s.error from stages s join instances i on i.id = s.instance_id
       where i.workflow_id = $1 order by s.instance_id, s.stage`,
      [wf],
    );
    expect(stages).toHaveLength(450);
    for (let i = 0; i < stages.length; i++) {
      const s = stages[i];
      expect(s.error).toBeNull();
      expect(new Date(s.terminated_at).getTime()).toBeGreaterThanOrEqual(new Date(s.started_at).getTime());
      const prev = stages[i - 1];
      if (s.stage > 0) expect(new Date(s.started_at).getTime()).toBeGreaterThanOrEqual(new Date(prev.terminated_at).getTime());
    }
    const [{ tasks }] = await db.query<{ tasks: number }>(
      `select count(*)::int as tasks from tasks t join instances i on i.id = t.instance_id where i.workflow_id = $1`,
      [wf],
    );
    expect(tasks).toBe(0);
  }, 120_000);

  it('an abort wins over the batched transitions: aborted instances end canceled, nothing runs after', async () => {
    const wf = await workflow([{ noop: {} }, { wait_event: { event: 'go' } }, { noop: {} }]);
    const ids = await runAll(wf, 40);
    const aborted = ids.filter((_, i) => i % 2 === 0);
    await Promise.all(
      aborted.map(async (id) => {
        const r = await server.api.put(`${p}/instances/${id}/abort`);
        expect(r.status, JSON.stringify(r.body)).toBe(204);
      }),
    );
    // The others go on once they are parked in wait_event.
    await Promise.all(
      ids
        .filter((id) => !aborted.includes(id))
        .map(async (id) => {
          await eventually(async () => (await server.api.get(`${p}/instances/${id}`)).body.data.status?.length === 2, 20_000, 20);
          expect((await server.api.post(`${p}/instances/${id}/events`, { name: 'go' })).status).toBe(204);
        }),
    );
    await allDone(wf);
    for (const id of ids) {
      const inst = (await server.api.get(`${p}/instances/${id}`)).body.data;
      expect(inst.terminated).toBe(true);
      if (aborted.includes(id)) {
        expect(inst.error).toBe('canceled');
        // aborted before its first stage started (no status), or in stage 0 or 1
        const status = inst.status ?? [];
        expect(status.length).toBeLessThanOrEqual(2);
        if (status.length) expect(status.at(-1).error).toBe('canceled');
      } else {
        expect(inst.error).toBeUndefined();
        expect(inst.status.map((s: any) => s.stage)).toEqual([0, 1, 2]);
      }
    }
  }, 120_000);

  it('a transition that cannot be written fails alone; the rest of its batch commits', async () => {
    const wf = await workflow([{ wait_event: { event: 'go' } }, { noop: {} }]);
    const ids = await runAll(wf, 20);
    const broken = ids[3];
    // While every instance waits, give one of them a stage 1 row already: its transition to
    // stage 1 now violates the primary key. Then release them all at once.
    await eventually(
      async () => {
        const all = await Promise.all(ids.map(async (id) => (await server.api.get(`${p}/instances/${id}`)).body.data.status?.length === 1));
        return all.every(Boolean);
      },
      20_000,
      50,
    );
    await server.ctx.db.query(`insert into stages (instance_id, stage, started_at) values ($1, 1, now())`, [broken]);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await Promise.all(ids.map((id) => server.api.post(`${p}/instances/${id}/events`, { name: 'go' })));
      await eventually(
        async () => {
          const running = (await server.api.get(`${p}/instances?workflowID=${wf}&running=true`)).body.cursor.data;
          return running.length === 1 && running[0].id === broken;
        },
        30_000,
        50,
      );
    } finally {
      errors.mockRestore();
    }
    for (const id of ids.filter((id) => id !== broken)) {
      const inst = (await server.api.get(`${p}/instances/${id}`)).body.data;
      expect(inst.error).toBeUndefined();
      expect(inst.status.map((s: any) => s.stage)).toEqual([0, 1]);
    }
    await server.api.put(`${p}/instances/${broken}/abort`);
  }, 120_000);
});
