import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../store/pglite.js';
import { Api, eventually } from '../../test/harness.js';

/**
 * Idempotent effects under a crash: a server process running many sends (ledger transactions,
 * wallet credits and debits, metadata) is killed with SIGKILL mid-run, then restarted on the same
 * data dir. Every instance finishes and the balances are exactly what the runs should have moved:
 * no replayed call created a second transaction or credit.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'flows-send-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startChild(): Promise<{ child: ChildProcess; api: Api }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED: 'false', QUIET: 'true', VITEST: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, api: new Api(m[1]) });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const N = 40;

/** A balance straight from the killed server's data dir (no server running). */
async function balanceFromDisk(address: string): Promise<number> {
  const { db } = await openPglite(dataDir);
  try {
    const [row] = await db.query<{ b: string }>(`select (input - output)::text as b from sb_volumes where ledger = 'crash' and address = $1 and asset = 'USD/2'`, [
      address,
    ]);
    return Number(row?.b ?? 0);
  } finally {
    await db.close();
  }
}

async function balance(api: Api, ledger: string, address: string): Promise<number> {
  const r = await api.get(`/api/ledger/v2/${ledger}/accounts/${address}?expand=volumes`);
  return r.status === 200 ? (r.body.data.volumes['USD/2']?.balance ?? 0) : 0;
}

describe('send under kill -9', () => {
  it('replays never move money twice', async () => {
    let { child, api } = await startChild();
    const p = '/api/orchestration/v2';
    expect(
      (await api.post('/api/ledger/v2/crash/transactions', { postings: [{ source: 'world', destination: 'src', amount: 1_000_000, asset: 'USD/2' }], metadata: {} }))
        .status,
    ).toBe(200);
    const wallet = (await api.post('/api/wallets/wallets', { name: 'crash', metadata: {} })).body.data;
    const wf = (
      await api.post(`${p}/workflows`, {
        stages: [
          {
            send: {
              source: { account: { id: 'src', ledger: 'crash' } },
              destination: { account: { id: 'dst', ledger: 'crash' } },
              amount: { asset: 'USD/2', amount: 3 },
            },
          },
          { delay: { duration: '${d}' } },
          { send: { source: { account: { id: 'src', ledger: 'crash' } }, destination: { wallet: { id: '${walletID}' } }, amount: { asset: 'USD/2', amount: 5 } } },
          { send: { source: { wallet: { id: '${walletID}' } }, destination: { account: { id: 'back', ledger: 'crash' } }, amount: { asset: 'USD/2', amount: 2 } } },
          { update: { account: { id: 'dst:${i}', ledger: 'crash', metadata: { run: '${i}' } } } },
        ],
      })
    ).body.data;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const r = await api.post(`${p}/workflows/${wf.id}/instances`, { walletID: wallet.id, i: String(i), d: `${100 + (i % 20) * 100}ms` });
      expect(r.status).toBe(201);
      ids.push(r.body.data.id);
    }
    // Kill in the middle: the runs are spread over ~2 s by their delays.
    await eventually(async () => ((await balance(api, 'crash', 'back')) > 0 ? true : undefined), 60_000, 5);
    await kill9(child);
    // the last send of the runs had not all happened when the process died
    expect(await balanceFromDisk('back')).toBeLessThan(2 * N);
    ({ child, api } = await startChild());

    await eventually(
      async () => {
        for (const id of ids) {
          const r = await api.get(`${p}/instances/${id}`);
          if (!r.body.data.terminated) return undefined;
          expect(r.body.data.error).toBeUndefined();
        }
        return true;
      },
      120_000,
      200,
    );
    expect(await balance(api, 'crash', 'dst')).toBe(3 * N);
    expect(await balance(api, 'crash', 'back')).toBe(2 * N);
    expect(await balance(api, 'crash', 'src')).toBe(1_000_000 - 8 * N);
    const w = (await api.get(`/api/wallets/wallets/${wallet.id}`)).body.data;
    expect(w.balances.main.assets['USD/2']).toBe(3 * N);
    // exactly one transaction per effect: funding + 3 per run on `crash`, credit + debit per run on the wallets ledger
    const txs = await api.get('/api/ledger/v2/crash/transactions?pageSize=1');
    expect(txs.body.cursor.data[0].id).toBe(1 + 3 * N);
    const wtx = await api.get(`/api/wallets/transactions?walletID=${wallet.id}&pageSize=100`);
    expect(wtx.body.cursor.data.length).toBe(2 * N);
    await kill9(child);
  }, 240_000);
});
