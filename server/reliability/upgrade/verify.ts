import { expect } from 'vitest';
import {
  ASSET,
  balance,
  type Client,
  instanceSnapshot,
  LEDGER,
  transactionCount,
  triggerSnapshot,
  until,
  walletBalance,
  workflowSnapshot,
  type Manifest,
} from './scenario.js';

const v2 = '/api/orchestration/v2';

/**
 * The data the scenario left (see scenario.ts), opened by a server at `api` — after an upgrade,
 * or restored from a backup: the same workflows, triggers and finished history as the manifest
 * says; then the instances parked mid-run are finished (events delivered, delays elapsed, a send
 * retried after funding), a trigger of the old data fires once, and every balance is exact to
 * the unit with exactly the ledger transactions the finishing adds (nothing done twice).
 */
export async function expectKeptAndFinished(api: Client, manifest: Omit<Manifest, 'writtenBy' | 'migrations'>): Promise<void> {
  // Everything that was there is there, as the API showed it.
  for (const [name, w] of Object.entries(manifest.workflows)) expect(await workflowSnapshot(api, w.id), `workflow ${name}`).toEqual(w.snapshot);
  for (const [name, t] of Object.entries(manifest.triggers)) {
    const now = await triggerSnapshot(api, t.id);
    expect(now.snapshot, `trigger ${name}`).toEqual(t.snapshot);
    expect(now.occurrences, `occurrences of trigger ${name}`).toEqual(t.occurrences);
  }
  for (const [name, f] of Object.entries(manifest.finished)) expect(await instanceSnapshot(api, f.id), `finished instance ${name}`).toEqual(f.snapshot);

  // Finish what was parked: events, funding (delays end by themselves).
  for (const [name, p] of Object.entries(manifest.parked)) {
    if (p.finish.kind === 'delay') continue;
    const inst = (await api.get(`${v2}/instances/${p.id}`)).data;
    expect(inst.terminated, `${name} finished before it was released`).toBe(false);
    if (p.finish.kind === 'event') await api.post(`${v2}/instances/${p.id}/events`, { name: p.finish.event });
    else
      await api.post(`/api/ledger/v2/${LEDGER}/transactions`, {
        postings: [{ source: 'world', destination: p.finish.account, amount: Number(p.finish.amount), asset: ASSET }],
      });
  }
  const pingTrigger = manifest.triggers.ping;
  await api.post('/api/console/events', { type: manifest.ping.event, payload: manifest.ping.payload });

  for (const [name, p] of Object.entries(manifest.parked)) {
    const inst = await until(`${name} to finish`, async () => {
      const i = (await api.get(`${v2}/instances/${p.id}`)).data;
      return i.terminated ? i : undefined;
    });
    expect(inst.error ?? null, `${name} failed`).toBeNull();
    expect(inst.status.length, `${name}: stages run`).toBe(p.stages);
  }
  const before = new Set((pingTrigger.occurrences as { id: string }[]).map((o) => o.id));
  const pinged = await until('the ping trigger to fire', async () => {
    const occ = (await triggerSnapshot(api, pingTrigger.id)).occurrences as { id: string; workflowInstanceID: string }[];
    const added = occ.filter((o) => !before.has(o.id));
    expect(added.length, 'the ping fired more than once').toBeLessThanOrEqual(1);
    return added[0];
  });
  const pingInstance = await until('the ping instance to finish', async () => {
    const i = (await api.get(`${v2}/instances/${pinged.workflowInstanceID}`)).data;
    return i.terminated ? i : undefined;
  });
  expect(pingInstance.error ?? null).toBeNull();

  // Money: every balance to the unit, and exactly the transactions the finishing added.
  const { ledger, walletLedger, wallet } = manifest.balancesAfter;
  for (const [address, amount] of Object.entries(ledger)) expect(await balance(api, LEDGER, address), `${LEDGER} ${address}`).toBe(BigInt(amount));
  for (const [address, amount] of Object.entries(walletLedger))
    expect(await balance(api, manifest.wallet.ledger, address), `${manifest.wallet.ledger} ${address}`).toBe(BigInt(amount));
  expect(await walletBalance(api, manifest.wallet.id), 'wallet main balance').toBe(BigInt(wallet));
  const tx = manifest.transactions;
  expect(await transactionCount(api, LEDGER), `transactions on ${LEDGER}`).toBe(tx.ledger + tx.addedLedger);
  expect(await transactionCount(api, manifest.wallet.ledger), `transactions on ${manifest.wallet.ledger}`).toBe(tx.walletLedger + tx.addedWalletLedger);
  // the deleted trigger stays deleted and silent, the deleted workflow stays deleted
  expect((await triggerSnapshot(api, manifest.triggers.old.id)).snapshot).toBeNull();
}
