import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

/** The simulation endpoints over HTTP: answers, bad input, streamed progress and cancel. */
let server: Awaited<ReturnType<typeof startTestServer>>;
let workflowID: string;
const stages = [
  {
    send: {
      source: { account: { id: 'sim:src', ledger: 'simhttp' } },
      destination: { account: { id: 'sim:${to}', ledger: 'simhttp' } },
      amount: { asset: 'USD/2', amount: '${amount}' },
    },
  },
];
beforeAll(async () => {
  server = await startTestServer();
  await server.api.post('/api/ledger/v2/simhttp/transactions', { postings: [{ source: 'world', destination: 'sim:src', amount: 1000, asset: 'USD/2' }], metadata: {} });
  workflowID = (await server.api.post('/api/orchestration/v2/workflows', { name: 'sim-http', stages })).body.data.id;
});
afterAll(async () => {
  await server?.close();
});

describe('POST /api/console/simulations/workflow', () => {
  it('dry-runs a saved workflow and an unsaved definition alike', async () => {
    const saved = await server.api.post('/api/console/simulations/workflow', { workflowID, variables: { to: 'a', amount: '400' } });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({
      basis: { mode: 'embedded', computedAt: expect.any(String) },
      workflowID,
      outcome: { status: 'succeeded' },
      stages: [{ number: 0, kind: 'send', status: 'succeeded', postings: [{ ledger: 'simhttp', source: 'sim:src', destination: 'sim:a', asset: 'USD/2', amount: 400 }] }],
      netChanges: expect.arrayContaining([{ ledger: 'simhttp', account: 'sim:src', asset: 'USD/2', before: 1000, after: 600 }]),
    });
    const unsaved = await server.api.post('/api/console/simulations/workflow', { stages, variables: { to: 'a', amount: '4000' } });
    expect(unsaved.body.data.outcome).toMatchObject({ status: 'retrying', stage: 0, shortfall: { accounts: ['sim:src'], needed: 4000, available: 1000, missing: 3000 } });
  });

  it('keeps amounts beyond 2^53 exact', async () => {
    const body = {
      stages: [
        {
          send: {
            source: { account: { id: 'world', ledger: 'simhttp' } },
            destination: { account: { id: 'big', ledger: 'simhttp' } },
            amount: { asset: 'USD/2', amount: '${n}' },
          },
        },
      ],
      variables: { n: '123456789012345678901' },
    };
    const res = await fetch(`${server.url}/api/console/simulations/workflow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"amount":123456789012345678901');
  });

  it('answers 400 naming the field, 404 for an unknown workflow', async () => {
    const cases: [unknown, RegExp][] = [
      [[], /^request body: /],
      [{}, /^workflowID: required/],
      [{ workflowID, stages }, /^stages: give either/],
      [{ stages: [{ send: { source: {}, destination: {} } }] }, /^stages\[0\]\.send/],
      [{ workflowID, variables: { a: 1 } }, /^variables\.a: expected a string/],
      [{ workflowID, variables: 'x' }, /^variables: expected an object/],
      [{ workflowID, assumeEvents: 'yes' }, /^assumeEvents: expected a boolean/],
    ];
    for (const [body, message] of cases) {
      const r = await server.api.post('/api/console/simulations/workflow', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errorCode).toBe('VALIDATION');
      expect(r.body.errorMessage).toMatch(message);
    }
    const unknown = await server.api.post('/api/console/simulations/workflow', { workflowID: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
  });
});

describe('POST /api/console/simulations/trigger', () => {
  const from = new Date(Date.now() - 3_600_000).toISOString();

  it('backtests an unsaved trigger over past events, with totals', async () => {
    for (const amount of [10, 20, 30]) {
      await server.api.post('/api/ledger/v2/simtrig/transactions', { postings: [{ source: 'world', destination: 'users:t', amount, asset: 'EUR/2' }], metadata: {} });
    }
    const wf = (
      await server.api.post('/api/orchestration/v2/workflows', {
        stages: [
          {
            send: {
              source: { account: { id: 'world', ledger: 'simtrig' } },
              destination: { account: { id: 'fees', ledger: 'simtrig' } },
              amount: { asset: 'EUR/2', amount: '${fee}' },
            },
          },
        ],
      })
    ).body.data.id;
    const trigger = {
      event: 'COMMITTED_TRANSACTIONS',
      workflowID: wf,
      filter: 'event.ledger == "simtrig" && event.transactions[0].postings[0].amount >= 20',
      vars: { fee: 'string(event.transactions[0].postings[0].amount / 10)' },
    };
    const r = await server.api.post('/api/console/simulations/trigger', { trigger, from });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ matched: 2, errors: 0, outcomes: { succeeded: 2 }, workflowID: wf });
    expect(r.body.data.matches.map((m: any) => m.variables)).toEqual([{ fee: '2' }, { fee: '3' }]);
    expect(r.body.data.totals).toEqual(expect.arrayContaining([{ ledger: 'simtrig', account: 'fees', asset: 'EUR/2', in: 5, out: 0 }]));
  });

  it('streams progress lines then the result; bad input is 400', async () => {
    const wf = (await server.api.post('/api/orchestration/v2/workflows', { stages: [{ noop: {} }] })).body.data.id;
    const res = await fetch(`${server.url}/api/console/simulations/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf }, from }),
    });
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1).result.matched).toBeGreaterThan(0);
    expect(lines.slice(0, -1).every((l) => l.progress && typeof l.progress.scanned === 'number')).toBe(true);

    const cases: [unknown, RegExp][] = [
      [{ from }, /^triggerID: required/],
      [{ trigger: { workflowID: wf }, from }, /^trigger\.event: /],
      [{ trigger: 'x', from }, /^trigger: expected a trigger object/],
      [{ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf, filter: 'event.(' }, from }, /^trigger\.filter: /],
      [{ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf } }, /^from: required/],
      [{ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf }, from: 'yesterday' }, /^from: expected an RFC 3339 date/],
      [{ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf }, from, to: from }, /^to: must be after from/],
      [{ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf }, from, limit: 0 }, /^limit: expected an integer/],
      [{ trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf }, from, limit: 5001 }, /^limit: expected an integer/],
    ];
    for (const [body, message] of cases) {
      const r = await server.api.post('/api/console/simulations/trigger', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errorMessage).toMatch(message);
    }
    expect((await server.api.post('/api/console/simulations/trigger', { triggerID: 'nope', from })).status).toBe(404);
  });

  it('closing the stream cancels the backtest', async () => {
    // enough events that the backtest is still running when the client goes away
    await server.ctx.db.query(
      `insert into events (app, version, type, payload, date) select 'console', 'v1', 'SIM_CANCEL', jsonb_build_object('n', g), now() from generate_series(1, 4000) g`,
    );
    const wf = (await server.api.post('/api/orchestration/v2/workflows', { stages })).body.data.id;
    const service = server.ctx.flows.simulations;
    const original = service.backtestTrigger.bind(service);
    let seen: AbortSignal | undefined;
    service.backtestTrigger = (req, opts) => {
      seen = opts?.signal;
      return original(req, opts);
    };
    try {
      const stop = new AbortController();
      const res = await fetch(`${server.url}/api/console/simulations/trigger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
        body: JSON.stringify({ trigger: { event: 'SIM_CANCEL', workflowID: wf, vars: { to: 'string(event.n)', amount: '"1"' } }, from, limit: 5000 }),
        signal: stop.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(JSON.parse(first.split('\n')[0]).progress.scanned).toBeLessThan(4000);
      stop.abort();
      await eventually(async () => seen?.aborted);
    } finally {
      service.backtestTrigger = original;
    }
  });
});
