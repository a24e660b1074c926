// Money through the engine: N instances of a 2-stage `send` workflow (world → users:<i>, then
// users:<i> → a wallet) over the embedded sandbox, posted by 64 concurrent HTTP clients to a
// server child process; sends per second and an exact balance check at the end.
import { Client, cpuSeconds, pgliteDataDir, pool, progress, sleep, spawnServer } from './lib.js';

const LEDGER = 'wallets-002'; // the sandbox's wallet ledger
const AMOUNT = 100; // USD/2 cents per send

export interface MoneyRun {
  instances: number;
  sends: number;
  seconds: number;
  sendsPerSec: number;
  serverCpuSeconds: number;
  balanceCheck: string;
}

export async function moneyHttp(n: number, label: string): Promise<MoneyRun> {
  const data = await pgliteDataDir('money');
  const server = await spawnServer({ DATA_DIR: data.dir });
  const client = new Client(server.url, 64);
  try {
    const wallet = (await client.json('POST', '/api/wallets/wallets', { name: 'bench-savings' })).data;
    const account = (user: string) => ({ account: { id: user, ledger: LEDGER } });
    const amount = { asset: 'USD/2', amount: AMOUNT };
    const wf = (
      await client.json('POST', '/api/orchestration/v2/workflows', {
        name: 'bench-send',
        stages: [
          { send: { source: account('world'), destination: account('users:${user}'), amount } },
          { send: { source: account('users:${user}'), destination: { wallet: { id: wallet.id, balance: 'main' } }, amount } },
        ],
      })
    ).data;
    const cpu0 = cpuSeconds(server.pid);
    const wall0 = Date.now();
    let posted = 0;
    const ticker = setInterval(() => progress(`${label}: ${posted}/${n} posted`), 5000);
    await pool(n, 64, async (i) => {
      await client.json('POST', `/api/orchestration/v2/workflows/${wf.id}/instances`, { user: String(i) });
      posted++;
    });
    clearInterval(ticker);
    for (;;) {
      const page = await client.json('GET', `/api/orchestration/v2/instances?running=true&pageSize=1`);
      if (page.cursor.data.length === 0) break;
      await sleep(50);
    }
    const cpu = cpuSeconds(server.pid) - cpu0;
    // Every instance succeeded; the end is the latest terminatedAt.
    let last = 0;
    let count = 0;
    let cursor: string | undefined;
    for (;;) {
      const page = (await client.json('GET', `/api/orchestration/v2/instances?${cursor ? `cursor=${cursor}` : 'pageSize=100'}`)).cursor;
      for (const i of page.data) {
        if (i.error || !i.terminated) throw new Error(`send instance ${i.id} failed: ${i.error}`);
        last = Math.max(last, Date.parse(i.terminatedAt));
        count++;
      }
      if (!page.hasMore) break;
      cursor = page.next;
    }
    if (count !== n) throw new Error(`expected ${n} send instances, found ${count}`);
    // Exact balances: the wallet got N × AMOUNT, world gave N × AMOUNT, every user is back to 0.
    const w = (await client.json('GET', `/api/wallets/wallets/${wallet.id}`)).data;
    const walletBalance = BigInt(w.balances.main.assets['USD/2'] ?? 0);
    const world = (await client.json('GET', `/api/ledger/v2/${LEDGER}/accounts/world?expand=volumes`)).data;
    const worldBalance = BigInt(world.volumes['USD/2'].balance);
    const expected = BigInt(n * AMOUNT);
    const users: bigint[] = [];
    for (const i of [0, Math.floor(n / 2), n - 1]) {
      const u = (await client.json('GET', `/api/ledger/v2/${LEDGER}/accounts/users:${i}?expand=volumes`)).data;
      users.push(BigInt(u.volumes['USD/2'].balance));
      if (BigInt(u.volumes['USD/2'].input) !== BigInt(AMOUNT)) throw new Error(`users:${i} received ${u.volumes['USD/2'].input}, expected ${AMOUNT}`);
    }
    if (walletBalance !== expected || worldBalance !== -expected || users.some((b) => b !== 0n)) {
      throw new Error(`balance check failed: wallet ${walletBalance} (expected ${expected}), world ${worldBalance} (expected ${-expected}), users ${users.join(',')}`);
    }
    const seconds = (last - wall0) / 1000;
    return {
      instances: n,
      sends: 2 * n,
      seconds,
      sendsPerSec: (2 * n) / seconds,
      serverCpuSeconds: cpu,
      balanceCheck: `exact: wallet +${walletBalance}, world ${worldBalance}, sampled users 0 (USD/2 cents)`,
    };
  } catch (err) {
    console.error(server.output());
    throw err;
  } finally {
    client.close();
    await server.stop();
    data.remove();
  }
}
