import { describe, expect, it } from 'vitest';
import { StackClient } from './stack-client.js';
import { StackInstances } from './stack-instances.js';

// Remote mode's records and progress read a fake stack that counts every request: one request of
// the console reads each instance once, and only what its answer needs besides.

const V2 = '/api/orchestration/v2';
const at = '2026-01-05T10:00:00Z';

/** A running instance retrying its send (stage 1), one that ended, and upstream's 500 for an unknown id. */
function fakeStack() {
  const requests = new Map<string, number>();
  const running = {
    id: 'i-run',
    workflowID: 'w1',
    createdAt: at,
    terminated: false,
    status: [
      { stage: 0, startedAt: at, terminatedAt: at },
      { stage: 1, startedAt: at },
    ],
    workflow: {
      config: { stages: [{ noop: {} }, { send: { source: { account: { id: 'a' } }, destination: { account: { id: 'b' } }, amount: { asset: 'USD/2', amount: 1 } } }] },
    },
  };
  const ended = { ...running, id: 'i-done', terminated: true, terminatedAt: at, status: [{ stage: 0, startedAt: at, terminatedAt: at }] };
  const instances: Record<string, unknown> = { 'i-run': running, 'i-done': ended };
  const answers: Record<string, [number, unknown]> = {};
  for (const [id, instance] of Object.entries(instances)) {
    answers[`${V2}/instances/${id}`] = [200, { data: instance }];
    answers[`${V2}/instances/${id}/history`] = [
      200,
      {
        data: [
          { name: 'RunNoop', input: {}, startedAt: at, terminated: true },
          { name: 'RunSend', input: {}, startedAt: at },
        ],
      },
    ];
    answers[`${V2}/instances/${id}/stages/0/history`] = [200, { data: [{ name: 'NoOp', terminated: true, attempt: 1 }] }];
    answers[`${V2}/instances/${id}/stages/1/history`] = [
      200,
      { data: [{ name: 'CreateTransaction', terminated: false, attempt: 3, lastFailure: 'insufficient funds' }] },
    ];
  }
  const fetch = (async (url: string | URL | Request) => {
    const path = new URL(String(url)).pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const [status, body] = answers[path] ?? [500, { errorCode: 'INTERNAL', errorMessage: 'Instance not found' }];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const source = new StackInstances(new StackClient('http://stack.test', undefined, { fetch }));
  return { source, requests: () => Object.fromEntries([...requests].sort()) };
}

describe('remote mode: StackInstances reads each instance once per request', () => {
  it('a record: the instance once, its history once, each stage’s history once', async () => {
    const { source, requests } = fakeStack();
    const record = await source.record('i-run');
    expect(record.stages.map((s) => s.stage)).toEqual([0, 1]);
    expect(requests()).toEqual({
      [`${V2}/instances/i-run`]: 1,
      [`${V2}/instances/i-run/history`]: 1,
      [`${V2}/instances/i-run/stages/0/history`]: 1,
      [`${V2}/instances/i-run/stages/1/history`]: 1,
    });
    await expect(source.record('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('progress: each instance once; a running one’s history and current stage once; an ended one nothing more', async () => {
    const { source, requests } = fakeStack();
    const progress = await source.progress(['i-run', 'i-done', 'nope']);
    expect(progress).toEqual([
      { id: 'i-run', terminated: false, status: expect.objectContaining({ state: 'running', phase: 'retrying', stage: 1 }) },
      { id: 'i-done', terminated: true, status: expect.objectContaining({ state: 'succeeded' }) },
    ]);
    expect(requests()).toEqual({
      [`${V2}/instances/i-done`]: 1,
      [`${V2}/instances/i-run`]: 1,
      [`${V2}/instances/i-run/history`]: 1,
      [`${V2}/instances/i-run/stages/1/history`]: 1,
      [`${V2}/instances/nope`]: 1,
    });
  });
});
