import { parseJson } from '../../sandbox/json.js';

/**
 * The data an old release leaves behind for the upgrade test (server/reliability/upgrade.test.ts):
 * written over HTTP by `scripts/upgrade-fixture.ts` against a server of that release, described
 * by a manifest stored beside the fixture, and finished by the current code.
 *
 * At the moment the old server stops there are: workflows (one deleted), triggers (one deleted),
 * finished instances (succeeded, failed, canceled, one of the deleted workflow), and instances
 * parked mid-run — waiting for an event (one of them started by a trigger, one holding money in
 * escrow beyond 2^53), in a delay (`until` and `duration`, ending shortly after the stop), and
 * retrying a send refused for insufficient funds. The manifest says what finishing them must
 * leave on the ledger and in the wallet, to the unit.
 */

export const LEDGER = 'upgrade';
export const ASSET = 'USD/2';
/** 2^53 + 1: survives only as a bigint */
export const BIG = 9007199254740993n;
/** how long the delays parked in the fixture last after they start; the old server stops before */
export const DELAY_MS = 30_000;
const v2 = '/api/orchestration/v2';

/** What the test does to finish one parked instance. */
export type Finish = { kind: 'event'; event: string } | { kind: 'delay' } | { kind: 'fund'; account: string; amount: string };

export interface Manifest {
  writtenBy: { version: string; commit: string; store: 'pglite' | 'postgres'; pglite: string; at: string };
  migrations: string[];
  wallet: { id: string; ledger: string };
  workflows: Record<string, { id: string; snapshot: unknown }>;
  triggers: Record<string, { id: string; snapshot: unknown; occurrences: unknown }>;
  /** instances finished before the stop, as the API showed them */
  finished: Record<string, { id: string; snapshot: unknown }>;
  /** instances parked mid-run at the stop, and what finishes them */
  parked: Record<string, { id: string; finish: Finish; stages: number }>;
  /** a trigger event the test publishes after the upgrade, and the instance it must start */
  ping: { event: string; payload: Record<string, unknown> };
  /** balances (minor units, as strings) once everything is finished; `wallet` is the wallet's main balance */
  balancesAfter: { ledger: Record<string, string>; walletLedger: Record<string, string>; wallet: string };
  /** ledger transactions at the stop, and the number the finishing adds */
  transactions: { ledger: number; walletLedger: number; addedLedger: number; addedWalletLedger: number };
}

/** A JSON client that reads integers beyond 2^53 losslessly and fails on an unexpected status. */
export class Client {
  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, body?: unknown, expected: number[] = [200, 201, 204]): Promise<any> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return text ? parseJson(text) : undefined;
  }
  get = (path: string, expected?: number[]) => this.call('GET', path, undefined, expected);
  post = (path: string, body: unknown = {}) => this.call('POST', path, body);
}

const account = (id: string, ledger = LEDGER) => ({ account: { id, ledger } });
const send = (source: unknown, destination: unknown, amount: string) => ({ send: { source, destination, amount: { asset: ASSET, amount } } });

/** Polls `check` until it returns a value (bounded); throws with the last state otherwise. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The parts of an instance, its history and its stages' histories that the upgrade must keep. */
export async function instanceSnapshot(api: Client, id: string): Promise<unknown> {
  const inst = (await api.get(`${v2}/instances/${id}`)).data;
  const history = (await api.get(`${v2}/instances/${id}/history`)).data;
  const stages = [];
  for (let n = 0; n < history.length; n++) stages.push((await api.get(`${v2}/instances/${id}/stages/${n}/history`)).data);
  const pick = (o: any, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return {
    instance: pick(inst, ['id', 'workflowID', 'createdAt', 'terminated', 'terminatedAt', 'error']),
    history: history.map((h: any) => pick(h, ['name', 'input', 'error', 'terminated', 'startedAt', 'terminatedAt'])),
    stages: stages.map((s: any[]) => s.map((a) => pick(a, ['name', 'input', 'output', 'error', 'terminated', 'attempt', 'startedAt', 'terminatedAt']))),
  };
}

export async function workflowSnapshot(api: Client, id: string): Promise<unknown> {
  const w = (await api.get(`${v2}/workflows/${id}`)).data;
  return { id: w.id, config: w.config, createdAt: w.createdAt, deletedAt: w.deletedAt ?? null };
}

export async function triggerSnapshot(api: Client, id: string): Promise<{ snapshot: unknown; occurrences: unknown }> {
  const t = await api.get(`${v2}/triggers/${id}`, [200, 404]);
  const occ = (await api.get(`${v2}/triggers/${id}/occurrences?pageSize=100`, [200, 404]))?.cursor?.data ?? [];
  return {
    snapshot: t?.data
      ? { id: t.data.id, name: t.data.name, event: t.data.event, workflowID: t.data.workflowID, filter: t.data.filter, vars: t.data.vars, createdAt: t.data.createdAt }
      : null,
    occurrences: occ.map((o: any) => ({ id: o.id, date: o.date, event: o.event, workflowInstanceID: o.workflowInstanceID, error: o.error })),
  };
}

/** Balance of `address` (minor units) on `ledger`. */
export async function balance(api: Client, ledger: string, address: string): Promise<bigint> {
  const r = await api.get(`/api/ledger/v2/${ledger}/accounts/${encodeURIComponent(address)}?expand=volumes`, [200, 404]);
  return BigInt(r?.data?.volumes?.[ASSET]?.balance ?? 0);
}

export async function transactionCount(api: Client, ledger: string): Promise<number> {
  let n = 0;
  let path = `/api/ledger/v2/${ledger}/transactions?pageSize=100`;
  for (;;) {
    const r = await api.get(path, [200, 404]);
    if (!r) return 0;
    n += r.cursor.data.length;
    if (!r.cursor.hasMore) return n;
    path = `/api/ledger/v2/${ledger}/transactions?cursor=${r.cursor.next}`;
  }
}

export async function walletBalance(api: Client, walletId: string): Promise<bigint> {
  const r = await api.get(`/api/wallets/wallets/${walletId}/balances/main`);
  return BigInt(r.data.assets?.[ASSET] ?? 0);
}

/**
 * Writes the scenario through a running server of the release that makes the fixture, waits
 * until every instance is finished or parked, and returns the manifest (without `writtenBy` and
 * `migrations`, which the generator adds). The caller stops the server right after: the delays
 * end {@link DELAY_MS} after they started.
 */
export async function writeScenario(api: Client): Promise<Omit<Manifest, 'writtenBy' | 'migrations'>> {
  const wallet = (await api.post('/api/wallets/wallets', { name: 'upgrade-wallet', metadata: { purpose: 'upgrade fixture' } })).data;
  await api.post(`/api/wallets/wallets/${wallet.id}/credit`, { amount: { asset: ASSET, amount: 2000 }, balance: 'main', metadata: {} });
  const wl = wallet.ledger as string;

  const createWorkflow = async (name: string, stages: unknown[]) => (await api.post(`${v2}/workflows`, { name, stages })).data.id as string;
  const delayUntil = new Date(Date.now() + DELAY_MS).toISOString();
  const wf = {
    pay: await createWorkflow('upgrade-pay', [
      send(account('world'), account('users:${who}'), '${amount}'),
      { update: { account: { id: 'users:${who}', ledger: LEDGER, metadata: { paid: 'yes' } } } },
    ]),
    fail: await createWorkflow('upgrade-fail', [send(account('world'), account('users:bob'), '${amount}')]),
    cancel: await createWorkflow('upgrade-cancel', [{ wait_event: { event: 'never' } }]),
    escrow: await createWorkflow('upgrade-escrow', [
      send(account('world'), account('escrow:${who}'), '${amount}'),
      { wait_event: { event: 'release' } },
      send(account('escrow:${who}'), account('users:${who}'), '${amount}'),
    ]),
    later: await createWorkflow('upgrade-later', [{ delay: { until: delayUntil } }, send(account('world'), account('users:${who}'), '${amount}')]),
    pause: await createWorkflow('upgrade-pause', [
      send(account('world'), account('users:${who}'), '${amount}'),
      { delay: { duration: `${DELAY_MS / 1000}s` } },
      send(account('users:${who}'), account('merchants:1'), '${part}'),
    ]),
    retry: await createWorkflow('upgrade-retry', [send(account('users:${from}'), account('users:${to}'), '${amount}')]),
    wallet: await createWorkflow('upgrade-wallet', [
      { wait_event: { event: 'go' } },
      send({ wallet: { name: 'upgrade-wallet', balance: 'main' } }, account('users:${who}', wl), '${amount}'),
    ]),
    triggered: await createWorkflow('upgrade-triggered', [{ wait_event: { event: 'confirm' } }, send(account('world'), account('users:${who}'), '${amount}')]),
    gone: await createWorkflow('upgrade-gone', [send(account('world'), account('users:${who}'), '${amount}')]),
  };
  const createTrigger = async (name: string, event: string, workflowID: string, extra: Record<string, unknown>) =>
    (await api.post(`${v2}/triggers`, { name, event, workflowID, ...extra })).data.id as string;
  const tr = {
    deposit: await createTrigger('upgrade-deposit', 'UPGRADE_DEPOSIT', wf.triggered, { filter: 'event.amount > 0', vars: { who: 'event.who', amount: 'event.amount' } }),
    ping: await createTrigger('upgrade-ping', 'UPGRADE_PING', wf.pay, { vars: { who: 'event.who', amount: 'event.amount' } }),
    old: await createTrigger('upgrade-old', 'UPGRADE_OLD', wf.pay, { vars: { who: '"old"', amount: '"1"' } }),
  };

  const run = async (workflow: string, vars: Record<string, string>) => (await api.post(`${v2}/workflows/${workflow}/instances`, vars)).data.id as string;
  const inst = (id: string) => api.get(`${v2}/instances/${id}`).then((r) => r.data);
  const finished = (id: string) => until(`instance ${id} to finish`, async () => ((await inst(id)).terminated ? true : undefined));
  /** parked: not terminated, `stage` started and not finished (and, for a retry, a failed attempt recorded) */
  const parkedAt = (id: string, stage: number, retrying = false) =>
    until(`instance ${id} to park at stage ${stage}`, async () => {
      const i = await inst(id);
      const s = i.status?.[stage];
      if (i.terminated || !s || s.terminatedAt) return undefined;
      if (!retrying) return true;
      const acts = (await api.get(`${v2}/instances/${id}/stages/${stage}/history`)).data;
      return acts[0]?.attempt >= 2 ? true : undefined;
    });

  // finished history
  const done = {
    pay: await run(wf.pay, { who: 'alice', amount: '12345' }),
    fail: await run(wf.fail, { amount: 'not-a-number' }),
    cancel: await run(wf.cancel, {}),
    gone: await run(wf.gone, { who: 'judy', amount: '55' }),
  };
  await parkedAt(done.cancel, 0);
  await api.call('PUT', `${v2}/instances/${done.cancel}/abort`);
  for (const id of Object.values(done)) await finished(id);
  await api.call('DELETE', `${v2}/workflows/${wf.gone}`);
  await api.call('DELETE', `${v2}/triggers/${tr.old}`);

  // parked mid-run
  const parked = {
    escrow: { id: await run(wf.escrow, { who: 'carol', amount: String(BIG) }), finish: { kind: 'event', event: 'release' } as Finish, stages: 3, at: 1 },
    retry: {
      id: await run(wf.retry, { from: 'frank', to: 'grace', amount: '500' }),
      finish: { kind: 'fund', account: 'users:frank', amount: '500' } as Finish,
      stages: 1,
      at: 0,
    },
    wallet: { id: await run(wf.wallet, { who: 'henry', amount: '250' }), finish: { kind: 'event', event: 'go' } as Finish, stages: 2, at: 0 },
    triggered: { id: '', finish: { kind: 'event', event: 'confirm' } as Finish, stages: 2, at: 0 },
    later: { id: await run(wf.later, { who: 'dave', amount: '777' }), finish: { kind: 'delay' } as Finish, stages: 2, at: 0 },
    pause: { id: await run(wf.pause, { who: 'erin', amount: '1000', part: '600' }), finish: { kind: 'delay' } as Finish, stages: 3, at: 1 },
  };
  await api.post('/api/console/events', { type: 'UPGRADE_DEPOSIT', payload: { who: 'ivan', amount: 4242 } });
  await api.post('/api/console/events', { type: 'UPGRADE_DEPOSIT', payload: { who: 'nobody', amount: 0 } });
  const occurrence = await until('the deposit trigger to fire', async () => (await api.get(`${v2}/triggers/${tr.deposit}/occurrences`)).cursor.data[0]);
  parked.triggered.id = occurrence.workflowInstanceID;
  for (const [name, p] of Object.entries(parked)) await parkedAt(p.id, p.at, name === 'retry');

  const workflows: Manifest['workflows'] = {};
  for (const [k, id] of Object.entries(wf)) workflows[k] = { id, snapshot: await workflowSnapshot(api, id) };
  const triggers: Manifest['triggers'] = {};
  for (const [k, id] of Object.entries(tr)) triggers[k] = { id, ...(await triggerSnapshot(api, id)) };
  const history: Manifest['finished'] = {};
  for (const [k, id] of Object.entries(done)) history[k] = { id, snapshot: await instanceSnapshot(api, id) };

  return {
    wallet: { id: wallet.id, ledger: wl },
    workflows,
    triggers,
    finished: history,
    parked: Object.fromEntries(Object.entries(parked).map(([k, p]) => [k, { id: p.id, finish: p.finish, stages: p.stages }])),
    ping: { event: 'UPGRADE_PING', payload: { who: 'kim', amount: 31 } },
    balancesAfter: {
      ledger: {
        'users:alice': '12345',
        'users:judy': '55',
        'users:bob': '0',
        'escrow:carol': '0',
        'users:carol': String(BIG),
        'users:dave': '777',
        'users:erin': '400',
        'merchants:1': '600',
        'users:frank': '0',
        'users:grace': '500',
        'users:ivan': '4242',
        'users:kim': '31',
        world: String(-(12345n + 55n + BIG + 777n + 1000n + 500n + 4242n + 31n)),
      },
      walletLedger: { 'users:henry': '250' },
      wallet: '1750',
    },
    transactions: {
      ledger: await transactionCount(api, LEDGER),
      walletLedger: await transactionCount(api, wl),
      // escrow release, dave, erin → merchant, frank's funding and his send, ivan, kim (the ping)
      addedLedger: 7,
      // henry
      addedWalletLedger: 1,
    },
  };
}
