import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './sandbox/sandbox.js';
import { eventually, startTestServer } from './test/harness.js';

/** A new data dir with SEED=true: funded accounts, wallets, a connector, a pay-in, example workflows and triggers that fire. */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let sb: Sandbox;

beforeAll(async () => {
  server = await startTestServer({ SEED: 'true' });
  sb = server.ctx.sandbox;
});
afterAll(async () => {
  await server?.close();
});

describe('seed', () => {
  it('creates ledgers, funded accounts, wallets, a connector and a succeeded pay-in', async () => {
    const ledgers = (await server.api.get('/api/ledger/v2')).body.cursor.data.map((l: any) => l.name);
    expect(ledgers).toEqual(expect.arrayContaining(['main', 'default', 'orchestration-000-internal', 'wallets-002']));
    // (order-1002, a seeded run, pays 1,250 from users:001 as soon as the engine runs it)
    await eventually(async () => ((await sb.ledger.balance('main', 'users:001', 'USD/2')) === 100_000n - 4_200n - 1_250n ? true : undefined), 20_000);
    expect(await sb.ledger.balance('main', 'users:001', 'EUR/2')).toBe(50_000n);
    const wallets = (await server.api.get('/api/wallets/wallets?expand=balances')).body.cursor.data;
    expect(wallets.map((w: any) => w.name).sort()).toEqual(['alice', 'bob']);
    const connectors = (await server.api.get('/api/payments/connectors')).body.data;
    expect(connectors.map((c: any) => c.provider)).toEqual(['STRIPE', 'WISE']);
    const payments = (await server.api.get('/api/payments/payments')).body.cursor.data;
    expect(payments[0]).toMatchObject({ type: 'PAY-IN', status: 'SUCCEEDED', amount: 1999, asset: 'EUR/2' });
    const workflows = (await server.api.get('/api/orchestration/v2/workflows?pageSize=100')).body.cursor.data.map((w: any) => w.config.name);
    expect(workflows).toEqual(
      expect.arrayContaining([
        'kitchen-sink',
        'pay-merchant',
        'payout-to-bank',
        'wallet-top-up',
        'wallet-gift',
        'wallet-withdrawal',
        'payin-to-wallet',
        'flag-big-deposit',
      ]),
    );
  });

  it('the seeded triggers fire: the pay-in lands in Alice’s wallet, the big deposit is flagged', async () => {
    const alice = (await sb.wallets.listWallets({ name: 'alice' })).data[0];
    await eventually(async () => ((await sb.wallets.getWallet(alice.id))!.assets['EUR/2'] === 20_000n + 1_999n ? true : undefined), 20_000);
    await eventually(async () => ((await sb.ledger.getAccount('main', 'users:002')).metadata['risk/review'] === 'big-deposit' ? true : undefined), 20_000);
    const instances = (await server.api.get('/api/orchestration/v2/instances?pageSize=100')).body.cursor.data;
    expect(instances.length).toBeGreaterThanOrEqual(2);
  });

  it('the seeded runs give the overview something to show: failures by cause, a retry, approvals waiting, money in flight', async () => {
    const now = await eventually(async () => {
      const body = (await server.api.get('/api/console/overview/now?window=1h')).body;
      return body.failed === 3 && body.retrying === 1 && body.waiting >= 2 ? body : undefined;
    }, 20_000);
    expect(now).toMatchObject({ succeeded: expect.any(Number), failed: 3, retrying: 1 });
    const failures = (await server.api.get('/api/console/overview/failures?window=1h')).body;
    expect(failures.reasons.map((r: any) => [r.reason, r.count])).toEqual([
      ["send.amount.amount: unable to parse '{n}.{n}' as big int: amounts are non-negative integers in minor units", 2],
      ["expected 'formanceAccountID' metadata containing formance account ID", 1],
    ]);
    const money = (await server.api.get('/api/console/overview/money')).body;
    const usd = money.assets.find((a: any) => a.asset === 'USD/2');
    // refunds waiting for approval: 3,000 + 2,500 from merchants:007, which holds 4,200 + 1,250
    expect(usd.sources.find((s: any) => s.key === 'account:main:merchants:007')).toMatchObject({ pending: 5_500, instances: 2, balance: 5_450, covered: false });
    expect(usd.sources.find((s: any) => s.key === 'account:main:users:002')).toMatchObject({ pending: 900_000, covered: false });
    const attention = (await server.api.get('/api/console/overview/attention')).body;
    expect(attention.delayed.count).toBe(1);
  });

  it('the seeded workflows run on the seeded data', async () => {
    const list = (await server.api.get('/api/orchestration/v2/workflows?pageSize=100')).body.cursor.data;
    const id = (name: string) => list.find((w: any) => w.config.name === name).id;
    const run = async (name: string, vars: Record<string, string>) => {
      const r = await server.api.post(`/api/orchestration/v2/workflows/${id(name)}/instances`, vars);
      expect(r.status).toBe(201);
      return eventually(async () => {
        const i = (await server.api.get(`/api/orchestration/v2/instances/${r.body.data.id}`)).body.data;
        return i.terminated ? i : undefined;
      }, 20_000);
    };
    expect((await run('pay-merchant', { userID: '001', merchantID: '007', amount: '100', orderID: 'o-2' })).error).toBeUndefined();
    expect((await run('payout-to-bank', { userID: '001', amount: '500' })).error).toBeUndefined();
    expect((await run('wallet-top-up', { userID: '002', wallet: 'bob', amount: '300' })).error).toBeUndefined();
    expect((await run('wallet-gift', { from: 'alice', to: 'bob', amount: '200' })).error).toBeUndefined();
    const alice = (await sb.wallets.listWallets({ name: 'alice' })).data[0];
    expect((await run('wallet-withdrawal', { walletID: alice.id, amount: '1000' })).error).toBeUndefined();
    expect(await sb.ledger.balance('main', 'merchants:007', 'USD/2')).toBe(4_200n + 1_250n + 100n);
    const bob = (await sb.wallets.listWallets({ name: 'bob' })).data[0];
    expect((await sb.wallets.getBalance(bob.id, 'gifts'))!.assets['USD/2']).toBe(1_700n);
    expect((await sb.wallets.getWallet(alice.id))!.assets['USD/2']).toBe(50_000n - 200n - 1_000n);
  });
});
