import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

// GET /api/console/instances/progress: where several instances are, in one request (the
// instances list's running rows), in embedded mode and against a stack (remote mode).

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let remote: Server;
const v2 = '/api/orchestration/v2';
const ids: Record<'succeeded' | 'waiting' | 'delayed' | 'retrying' | 'failed', string> = { succeeded: '', waiting: '', delayed: '', retrying: '', failed: '' };
const query = (list: string[]) => list.map((id) => `id=${encodeURIComponent(id)}`).join('&');

beforeAll(async () => {
  server = await startTestServer();
  remote = await startTestServer({ FORMANCE_URL: server.url, DATA_DIR: 'memory' });
  const start = async (name: string, stages: unknown[], vars: Record<string, string> = {}) => {
    const wf = (await server.api.post(`${v2}/workflows`, { name, stages })).body.data.id;
    return (await server.api.post(`${v2}/workflows/${wf}/instances`, vars)).body.data.id as string;
  };
  ids.succeeded = await start('progress-noop', [{ noop: {} }]);
  ids.waiting = await start('progress-wait', [{ noop: {} }, { wait_event: { event: 'approved-${team}' } }], { team: 'red' });
  ids.delayed = await start('progress-delay', [{ delay: { duration: '1h' } }]);
  ids.retrying = await start('progress-send', [
    {
      send: {
        source: { account: { id: 'users:progress_broke', ledger: 'main' } },
        destination: { account: { id: 'merchants:progress', ledger: 'main' } },
        amount: { asset: 'USD/2', amount: 4200 },
      },
    },
  ]);
  ids.failed = await start('progress-fail', [{ wait_event: { event: '${missing}' } }]);
  await eventually(async () => {
    const r = await server.api.get(`/api/console/instances/progress?${query(Object.values(ids))}`);
    const phase = (id: string) => r.body.data?.find((p: { id: string }) => p.id === id)?.status;
    return (
      phase(ids.succeeded)?.state === 'succeeded' &&
      phase(ids.failed)?.state === 'failed' &&
      phase(ids.waiting)?.phase === 'waiting' &&
      phase(ids.retrying)?.phase === 'retrying'
    );
  });
}, 120_000);

afterAll(async () => {
  for (const id of [ids.waiting, ids.delayed, ids.retrying]) if (id) await server?.api.put(`${v2}/instances/${id}/abort`);
  await remote?.close();
  await server?.close();
});

describe('instances progress', () => {
  it('answers the precise status of each known id in the order asked, resolved as the instance page shows it; unknown ids are left out', async () => {
    const asked = [ids.retrying, 'no-such-instance', ids.waiting, ids.delayed, ids.succeeded, ids.failed, ids.waiting];
    const r = await server.api.get(`/api/console/instances/progress?${query(asked)}`);
    expect(r.status).toBe(200);
    expect(r.body.data.map((p: { id: string }) => p.id)).toEqual([ids.retrying, ids.waiting, ids.delayed, ids.succeeded, ids.failed]);
    const [retrying, waiting, delayed, succeeded, failed] = r.body.data;
    expect(retrying).toMatchObject({
      terminated: false,
      status: { state: 'running', phase: 'retrying', stage: 0, activity: 'CreateTransaction', attempt: expect.any(Number) },
    });
    expect(retrying.status.lastFailure).toMatch(/insufficient funds/);
    expect(waiting).toEqual({ id: ids.waiting, terminated: false, status: { state: 'running', phase: 'waiting', stage: 1, event: 'approved-red' } });
    expect(delayed).toMatchObject({ terminated: false, status: { state: 'running', phase: 'delayed', stage: 0 } });
    const instance = (await server.api.get(`${v2}/instances/${ids.delayed}`)).body.data;
    expect(Date.parse(delayed.status.until) - Date.parse(instance.status[0].startedAt)).toBe(3_600_000);
    expect(succeeded).toMatchObject({ terminated: true, status: { state: 'succeeded', at: expect.any(String) } });
    expect(failed).toMatchObject({ terminated: true, status: { state: 'failed', stage: 0, error: expect.stringContaining('WaitEvent.Event') } });

    const none = await server.api.get(`/api/console/instances/progress?id=no-such-instance`);
    expect(none.status).toBe(200);
    expect(none.body.data).toEqual([]);
  });

  it('bad input is a 400 naming the param: none, an empty one, more than 50 (repeats count)', async () => {
    for (const q of ['', 'id=', `id=${ids.waiting}&id=`, query(Array.from({ length: 51 }, (_, i) => `i${i}`)), query(Array.from({ length: 51 }, () => ids.waiting))]) {
      const r = await server.api.get(`/api/console/instances/progress?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION', errorMessage: expect.stringContaining("'id'") });
    }
    expect((await server.api.get(`/api/console/instances/progress?${query(Array.from({ length: 50 }, (_, i) => `i${i}`))}`)).body.data).toEqual([]);
  });

  it('remote mode: read from the stack on the server, the same answer', async () => {
    const asked = [ids.waiting, 'no-such-instance', ids.delayed, ids.succeeded, ids.retrying];
    const [local, stack] = await Promise.all([server, remote].map((s) => s.api.get(`/api/console/instances/progress?${query(asked)}`)));
    expect(stack.status).toBe(200);
    const stable = (list: { id: string; status: { phase?: string } }[]) => list.map((p) => (p.status.phase === 'retrying' ? { id: p.id, phase: 'retrying' } : p));
    expect(stable(stack.body.data)).toEqual(stable(local.body.data));
    expect((await remote.api.get(`/api/console/instances/progress?id=`)).status).toBe(400);
  });

  it('is a topic of the live stream', async () => {
    const topic = `/api/console/instances/progress?${query([ids.waiting])}`;
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/console/live?topic=${encodeURIComponent(topic)}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: topic')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain('approved-red');
  });
});
