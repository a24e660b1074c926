// Simulations on the embedded store (PGlite, a server child process over HTTP): the dry-run of a
// 10-stage workflow (sends of every kind, metadata, a delay, a wait, a noop) answered end to end,
// and a backtest over 1,000 events with a dry-run per match.
import { Client, percentile, pgliteDataDir, progress, spawnServer } from './lib.js';

export interface SimulationFigures {
  dryRun: { requests: number; p50: number; p95: number; p99: number; stages: number; postings: number };
  backtest: { events: number; matched: number; seconds: number; eventsPerSec: number };
}

export async function simulationFigures(requests: number, events: number): Promise<SimulationFigures> {
  const data = await pgliteDataDir('simulation');
  const server = await spawnServer({ DATA_DIR: data.dir });
  const client = new Client(server.url, 4);
  try {
    const post = async (path: string, body: unknown) => {
      const r = await client.request('POST', path, body);
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      return r.body;
    };
    await post('/api/ledger/v2/bench-sim/transactions', { postings: [{ source: 'world', destination: 'users:payer', amount: 10_000_000, asset: 'USD/2' }], metadata: {} });
    await post('/api/ledger/v2/bench-sim/accounts/users:payer/metadata', { formanceAccountID: 'psp_payer' });
    await post('/api/ledger/v2/wallets-002/transactions', { postings: [{ source: 'world', destination: 'users:payer', amount: 10_000_000, asset: 'USD/2' }], metadata: {} });
    const wallet = (await post('/api/wallets/wallets', { name: 'bench-sim-wallet', metadata: {} })).data;
    const account = (id: string, ledger = 'bench-sim') => ({ account: { id, ledger } });
    const amount = { asset: 'USD/2', amount: '${amount}' };
    const stages = [
      { send: { source: account('users:payer'), destination: account('users:${user}'), amount } },
      { send: { source: account('users:${user}'), destination: account('users:${user}', 'bench-sim-2'), amount } },
      { send: { source: account('users:payer'), destination: { wallet: { id: wallet.id } }, amount } },
      { send: { source: account('users:payer', 'wallets-002'), destination: { wallet: { name: 'bench-sim-wallet' } }, amount } },
      { send: { source: { wallet: { id: wallet.id } }, destination: account('users:${user}'), amount } },
      { update: { account: { id: 'users:${user}', ledger: 'bench-sim', metadata: { benched: 'yes' } } } },
      { delay: { duration: '1h' } },
      { send: { source: account('users:payer'), destination: { payment: { psp: 'dummy-pay' } }, amount } },
      { wait_event: { event: 'approved' } },
      { noop: {} },
    ];
    const body = (i: number) => ({ stages, variables: { user: String(i % 50), amount: String(100 + (i % 7)) }, assumeEvents: true });
    const first = await post('/api/console/simulations/workflow', body(0));
    const postings = first.data.stages.reduce((n: number, s: any) => n + s.postings.length, 0);
    progress(`simulation: dry-run of a ${stages.length}-stage workflow (${postings} postings), ${requests} requests`);
    for (let i = 0; i < Math.max(10, requests / 10); i++) await post('/api/console/simulations/workflow', body(i)); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      await post('/api/console/simulations/workflow', body(i));
      ms.push(performance.now() - t);
    }

    progress(`simulation: backtest over ${events} events, a dry-run per match`);
    const wf = (await post('/api/orchestration/v2/workflows', { name: 'bench-backtest', stages: stages.slice(0, 3) })).data.id;
    const from = new Date().toISOString();
    // COMMITTED_TRANSACTIONS on a ledger of their own
    for (let i = 0; i < events; i++) {
      await post('/api/ledger/v2/bench-events/transactions', { postings: [{ source: 'world', destination: `users:${i % 50}`, amount: 1 + (i % 9), asset: 'USD/2' }], metadata: {} });
    }
    const t0 = performance.now();
    const result = (
      await post('/api/console/simulations/trigger', {
        trigger: { event: 'COMMITTED_TRANSACTIONS', workflowID: wf, filter: 'event.ledger == "bench-events"', vars: { user: 'string(event.transactions[0].id % 50)', amount: 'string(event.transactions[0].postings[0].amount)' } },
        from,
        limit: events + 10,
      })
    ).data;
    const seconds = (performance.now() - t0) / 1000;
    return {
      dryRun: { requests, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), stages: stages.length, postings },
      backtest: { events: result.scanned, matched: result.matched, seconds, eventsPerSec: result.scanned / seconds },
    };
  } finally {
    client.close();
    await server.stop();
    data.remove();
  }
}
