import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import { eventually, startTestServer } from '../test/harness.js';

// Remote mode's overview: computed by the console server from bounded scans of the stack's lists
// (here an embedded server plays the stack), labelled with what it is based on.

let stack: Awaited<ReturnType<typeof startTestServer>>;
let remote: RunningServer;
const v2 = '/api/orchestration/v2';
const get = async (path: string) => {
  const r = await fetch(remote.url + path);
  return { status: r.status, body: (await r.json()) as any };
};

beforeAll(async () => {
  stack = await startTestServer();
  remote = await startServer(configFromEnv({ FORMANCE_URL: stack.url, PORT: '0', QUIET: 'true' }));
  const wf = (
    await stack.api.post(`${v2}/workflows`, {
      name: 'remote-ov',
      stages: [
        {
          send: {
            source: { account: { id: 'world', ledger: 'r' } },
            destination: { account: { id: 'x', ledger: 'r' } },
            amount: { asset: 'USD/2', amount: '${amount}' },
          },
        },
      ],
    })
  ).body.data.id;
  const wait = (await stack.api.post(`${v2}/workflows`, { name: 'remote-wait', stages: [{ wait_event: { event: 'go' } }] })).body.data.id;
  for (const amount of ['1', '12.5', '7.25']) await stack.api.post(`${v2}/workflows/${wf}/instances?wait=true`, { amount });
  await stack.api.post(`${v2}/workflows/${wait}/instances`, {});
  await eventually(async () => ((await stack.api.get(`${v2}/instances?state=waiting`)).body.cursor.data.length === 1 ? true : undefined));
}, 60_000);

afterAll(async () => {
  await remote?.close();
  await stack?.close();
});

describe('remote overview', () => {
  it('counts from the stack’s lists, and says they are every instance', async () => {
    const now = await get('/api/console/overview/now?window=1h');
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ running: 1, waiting: 1, succeeded: 1, failed: 2, basis: { complete: true } });
    expect(now.body.basis.label).toMatch(/all 4 instances of the stack/);
    const failures = (await get('/api/console/overview/failures?window=1h')).body;
    expect(failures.reasons).toEqual([expect.objectContaining({ reason: expect.stringContaining("unable to parse '{n}.{n}'"), count: 2 })]);
    const runs = (await get('/api/console/overview/runs?window=1h')).body;
    expect(runs.buckets.reduce((s: number, b: any) => s + b.succeeded + b.failed + b.running, 0)).toBe(4);
    expect(runs.durations).toEqual([expect.objectContaining({ workflowName: 'remote-ov', runs: 1 })]);
    const attention = (await get('/api/console/overview/attention?waitingLongerThan=1m')).body;
    expect(attention.waiting.count).toBe(0);
  });

  it('money in flight is not available, and says why; bad parameters are 400 here too', async () => {
    const money = (await get('/api/console/overview/money')).body;
    expect(money.basis).toMatchObject({ complete: false, unavailable: true, label: expect.stringMatching(/variables/) });
    const bad = await get('/api/console/overview/now?window=2d');
    expect(bad).toMatchObject({ status: 400, body: { errorCode: 'VALIDATION', errorMessage: expect.stringContaining("'window'") } });
  });
});
