import { it } from 'vitest';
import { startTestServer, eventually } from '../test/harness.js';
it('errors', async () => {
  const s = await startTestServer({ SEED: 'true' });
  const v2 = '/api/orchestration/v2';
  try {
    const defs: any[] = [
      { send: { source: { wallet: { id: '${w}' } }, destination: { account: { id: 'x', ledger: 'main' } }, amount: { asset: 'USD/2', amount: 100 } } },
      { send: { source: { account: { id: 'users:${u}', ledger: 'main' } }, destination: { payment: { psp: 'stripe' } }, amount: { asset: 'USD/2', amount: 100 } } },
      { send: { source: { account: { id: 'world', ledger: 'nope${u}' } }, destination: { account: { id: 'users:${u}', ledger: 'nope${u}' } }, amount: { asset: 'USD/2', amount: 100 } } },
      { update: { account: { id: 'users:${u}', ledger: 'ghost', metadata: { a: 'b' } } } },
      { send: { source: { account: { id: 'users:${u}', ledger: 'main' } }, destination: { wallet: { name: 'nobody${u}' } }, amount: { asset: 'USD/2', amount: '${amt}' } } },
    ];
    for (const d of defs) {
      const w = (await s.api.post(`${v2}/workflows`, { name: 'x', stages: [d] })).body.data.id;
      for (const u of ['42', '7']) {
        const r = await s.api.post(`${v2}/workflows/${w}/instances?wait=true`, { w: `7f3a2b1c-1111-2222-3333-44445555666${u.length}`, u, amt: '12' });
        console.log(JSON.stringify(r.body.data.error));
      }
    }
    const o = await s.api.get('/api/console/overview/failures?window=1h');
    console.log(JSON.stringify(o.body.reasons.map((r: any) => [r.reason, r.count])));
  } finally { await s.close(); }
}, 90000);
