import { afterAll, describe, expect, it } from 'vitest';
import { parseJson } from '../sandbox/json.js';
import { childStore, startChildServer, type ChildServer, type ChildStore } from '../test/child-server.js';
import type { Api } from '../test/harness.js';
import { envNumber, prng, seedFromEnv, sleep } from './support.js';

/**
 * Crash recovery with money: a server process runs instances that move money (`send`), sleep
 * (`delay`) and wait for events (`wait_event`) while triggers fire on published events and
 * ledger transactions. It is killed with SIGKILL at random moments — while runs are being
 * submitted, while sends and delays are in flight, right after events and aborts were
 * acknowledged — and restarted on the same store each time. At the end:
 *
 * * every instance is in the state it should be (succeeded, or `canceled` when its abort was
 *   acknowledged), with exactly the stage rows, history entries and activities of one run;
 * * every event acknowledged (204) before a kill was delivered, exactly once;
 * * every ledger balance equals, to the unit (bigint), what the finished sends moved, and the
 *   ledger holds exactly one transaction per send: no double spend, no lost transaction;
 * * every published event fired its trigger exactly once (one occurrence, one instance, one
 *   transfer), including events published just before a kill.
 *
 * Sizes: CRASH_INSTANCES (200), CRASH_KILLS (3 on PGlite; 2 on PostgreSQL, where a restart
 * waits out the killed server's 30 s leases), RELIABILITY_SEED replays a run.
 */

const SEED = seedFromEnv();
const rnd = prng(SEED);
const N = envNumber('CRASH_INSTANCES', 200);
const onPostgres = !!process.env.TEST_DATABASE_URL;
const KILLS = envNumber('CRASH_KILLS', onPostgres ? 2 : 3);
const v2 = '/api/orchestration/v2';
const USD = 'USD/2';

type Kind = 'pay' | 'wait' | 'delay';
/** none → sent (answer pending, or cut by a kill) → acked (answered); done: happened, answer lost */
type Ack = 'none' | 'sent' | 'acked' | 'done';
interface Spec {
  i: number;
  kind: Kind;
  vars: Record<string, string>;
  /** run request: none, sent (outcome unknown: the server died), acked (201) */
  run: Ack;
  id?: string;
  /** wait instances: the release event / the abort (at most one in flight) */
  release: Ack;
  abort: Ack;
  wantsAbort: boolean;
}

let store: ChildStore | undefined;
let server: ChildServer | undefined;
afterAll(async () => {
  await server?.kill9();
  await store?.cleanup();
});

/** A GET answered with lossless big integers. */
async function getJson(api: Api, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(api.baseUrl + path);
  const text = await res.text();
  return { status: res.status, body: text ? parseJson(text) : undefined };
}

/** Every item of a v2 cursor list. */
async function listAll(api: Api, path: string): Promise<any[]> {
  const out: any[] = [];
  let url = `${path}${path.includes('?') ? '&' : '?'}pageSize=100`;
  for (;;) {
    const r = await api.get(url);
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...r.body.cursor.data);
    if (!r.body.cursor.hasMore) return out;
    url = `${path.split('?')[0]}?cursor=${r.body.cursor.next}`;
  }
}

describe('crash recovery with money, events and triggers (kill -9)', () => {
  it(
    'loses no instance, event or transaction and moves every amount exactly once',
    async () => {
      const t0 = performance.now();
      store = await childStore('crash-money');
      const restartMs: number[] = [];
      const start = async () => {
        const s0 = performance.now();
        server = await startChildServer(store!);
        restartMs.push(Math.round(performance.now() - s0));
        return server;
      };
      let api = (await start()).api;

      // --- Workflows and triggers
      const send = (src: string, dst: string, amount: string, ledger = 'cm') => ({
        send: { source: { account: { id: src, ledger } }, destination: { account: { id: dst, ledger } }, amount: { asset: USD, amount } },
      });
      const create = async (name: string, stages: unknown[]) => {
        const r = await api.post(`${v2}/workflows`, { name, stages });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        return r.body.data.id as string;
      };
      const wf: Record<Kind | 'trig', string> = {
        pay: await create('crash-pay', [
          send('world', 'users:${i}', '${a}'),
          { delay: { duration: '${d}' } },
          send('users:${i}', 'merchants:${m}', '${b}'),
          { noop: {} },
        ]),
        wait: await create('crash-wait', [send('world', 'escrow:${i}', '${a}'), { wait_event: { event: 'release' } }, send('escrow:${i}', 'users:${i}', '${a}')]),
        delay: await create('crash-delay', [
          { delay: { duration: '${d}' } },
          send('world', 'users:${i}', '${a}'),
          { update: { account: { id: 'users:${i}', ledger: 'cm', metadata: { run: '${i}' } } } },
        ]),
        trig: await create('crash-trigger', [send('world', 'trig:${n}', '${amt}', 'cm-trig')]),
      };
      const trigger = async (body: Record<string, unknown>) => {
        const r = await api.post(`${v2}/triggers`, { workflowID: wf.trig, ...body });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        return r.body.data.id as string;
      };
      const pingTrigger = await trigger({ name: 'ping', event: 'RELIABILITY_PING', vars: { n: 'event.n', amt: 'event.amt' } });
      const ledgerTrigger = await trigger({
        name: 'deposit',
        event: 'COMMITTED_TRANSACTIONS',
        filter: 'event.ledger == "cm-src"',
        vars: { n: 'event.transactions[0].metadata.n', amt: '"7"' },
      });

      // --- The plan: N runs (pay 40 %, wait 35 %, delay 25 %), big amounts beyond 2^53
      const specs: Spec[] = [];
      for (let i = 0; i < N; i++) {
        const kind: Kind = i % 20 < 8 ? 'pay' : i % 20 < 15 ? 'wait' : 'delay';
        const a = 10n ** 20n + BigInt(i) * 7919n + BigInt(rnd.int(0, 1_000_000));
        const vars: Record<string, string> = { i: String(i), a: String(a) };
        if (kind === 'pay') Object.assign(vars, { b: String(a / 3n), m: String(i % 5), d: `${rnd.int(100, 2000)}ms` });
        if (kind === 'delay') vars.d = `${rnd.int(300, 4000)}ms`;
        specs.push({ i, kind, vars, run: 'none', release: 'none', abort: 'none', wantsAbort: kind === 'wait' && rnd.chance(0.2) });
      }
      const pings: { n: string; amt: bigint; ack: Ack }[] = [];
      const deposits: { n: string; ack: Ack }[] = [];

      /**
       * Drives the current server until `stop` resolves: submits runs, publishes trigger events and
       * ledger transactions, releases or aborts parked waits. Requests cut by a kill stay `sent`.
       */
      const settled = (s: Spec) => ['acked', 'done'].includes(s.release) || ['acked', 'done'].includes(s.abort);
      const drive = (opts: { release: boolean; releaseChance?: number }) => {
        let stopped = false;
        const submitter = async () => {
          for (;;) {
            const s = specs.find((x) => x.run === 'none');
            if (!s || stopped) return;
            s.run = 'sent';
            const r = await api.post(`${v2}/workflows/${wf[s.kind]}/instances`, s.vars).catch(() => undefined);
            if (r?.status === 201) {
              s.run = 'acked';
              s.id = r.body.data.id;
            } else if (r) throw new Error(`run: ${r.status} ${JSON.stringify(r.body)}`);
          }
        };
        const publisher = async () => {
          for (let k = 0; !stopped; k++) {
            if (k % 2 === 0) {
              const p = { n: `P${pings.length}`, amt: 10n ** 19n + BigInt(pings.length), ack: 'sent' as Ack };
              pings.push(p);
              const r = await api.post('/api/console/events', { type: 'RELIABILITY_PING', payload: { n: p.n, amt: String(p.amt) } }).catch(() => undefined);
              if (r?.status === 201) p.ack = 'acked';
              else if (r) throw new Error(`console event: ${r.status} ${JSON.stringify(r.body)}`);
            } else {
              const d = { n: `L${deposits.length}`, ack: 'sent' as Ack };
              deposits.push(d);
              const r = await api
                .post('/api/ledger/v2/cm-src/transactions', { postings: [{ source: 'world', destination: `src:${d.n}`, amount: 1, asset: USD }], metadata: { n: d.n } })
                .catch(() => undefined);
              if (r?.status === 200) d.ack = 'acked';
              else if (r) throw new Error(`ledger transaction: ${r.status} ${JSON.stringify(r.body)}`);
            }
            await sleep(rnd.int(10, 60));
          }
        };
        const waiter = async (part: number) => {
          while (!stopped && opts.release) {
            const open = specs.filter((s) => s.kind === 'wait' && s.id && s.i % 2 === part && s.release === 'none' && s.abort === 'none');
            for (const s of open) {
              if (stopped) return;
              const r = await api.get(`${v2}/instances/${s.id}`).catch(() => undefined);
              const parked = r?.status === 200 && !r.body.data.terminated && r.body.data.status?.length === 2;
              if (!parked || !rnd.chance(opts.releaseChance ?? 0.5)) continue;
              if (s.wantsAbort) {
                s.abort = 'sent';
                const a = await api.put(`${v2}/instances/${s.id}/abort`).catch(() => undefined);
                if (a?.status === 204) s.abort = 'acked';
                else if (a) throw new Error(`abort: ${a.status} ${JSON.stringify(a.body)}`);
              } else {
                s.release = 'sent';
                const e = await api.post(`${v2}/instances/${s.id}/events`, { name: 'release' }).catch(() => undefined);
                if (e?.status === 204) s.release = 'acked';
                else if (e) throw new Error(`event: ${e.status} ${JSON.stringify(e.body)}`);
              }
            }
            await sleep(50);
          }
        };
        const all = Promise.all([...Array.from({ length: 6 }, submitter), publisher(), waiter(0), waiter(1)]);
        return {
          /** stop issuing requests; resolves when the last answer (or failure) is in */
          stop: () => {
            stopped = true;
            return all;
          },
        };
      };

      /** After a restart: what happened to the requests the kill cut (runs, releases, aborts)? */
      const reconcile = async () => {
        const unknown = specs.filter((s) => s.run === 'sent');
        if (unknown.length) {
          const known = new Set(specs.map((s) => s.id).filter(Boolean));
          for (const kind of ['pay', 'wait', 'delay'] as const) {
            for (const inst of await listAll(api, `${v2}/instances?workflowID=${wf[kind]}`)) {
              if (known.has(inst.id)) continue;
              const full = (await api.get(`${v2}/instances/${inst.id}`)).body.data;
              const s = specs[Number(full.variables.i)];
              expect(s.run, `instance ${inst.id} of run ${s.i} created twice`).toBe('sent');
              s.run = 'acked';
              s.id = inst.id;
            }
          }
          for (const s of unknown) if (s.run === 'sent') s.run = 'none'; // never created: submit again
        }
        for (const s of specs.filter((x) => x.release === 'sent' || x.abort === 'sent')) {
          const inst = (await api.get(`${v2}/instances/${s.id}`)).body.data;
          const parked = !inst.terminated && inst.status?.length === 2;
          if (s.abort === 'sent') s.abort = inst.terminated && inst.error === 'canceled' ? 'done' : 'none';
          if (s.release === 'sent') s.release = parked ? 'none' : 'done';
        }
      };

      // --- Rounds: drive, kill -9 at a random moment (requests in flight), restart on the same store
      const killedAt: string[] = [];
      for (let round = 0; round < KILLS; round++) {
        // Kill once this round has made progress (runs, publications, and from round 1 on
        // releases or aborts of parked waits), a random moment later, with requests in flight.
        const count = () => ({
          runs: specs.filter((x) => x.run === 'acked').length,
          published: pings.filter((p) => p.ack === 'acked').length + deposits.filter((d) => d.ack === 'acked').length,
          waits: specs.filter((x) => x.release === 'acked' || x.abort === 'acked').length,
        });
        const at = count();
        const runTarget = Math.min(N, at.runs + rnd.int(Math.ceil(N / (KILLS + 1) / 2), Math.ceil((1.5 * N) / (KILLS + 1))));
        const driving = drive({ release: round > 0 });
        const t = performance.now();
        for (;;) {
          const now = count();
          const enough = now.runs >= runTarget && now.published >= at.published + 3 && (round === 0 || now.waits >= at.waits + 2);
          if (enough || performance.now() - t > 30_000) break;
          await sleep(20);
        }
        await sleep(rnd.int(0, 400));
        const killing = server!.kill9();
        await driving.stop();
        await killing;
        killedAt.push(`${Math.round(performance.now() - t)} ms`);
        api = (await start()).api;
        await reconcile();
      }

      // events and aborts acknowledged before a kill: each must have happened exactly once
      const ackedBeforeKill = specs.filter((s) => s.release === 'acked' || s.abort === 'acked').map((s) => s.i);
      const publishedBeforeKill = pings.filter((p) => p.ack === 'acked').length + deposits.filter((d) => d.ack === 'acked').length;

      // --- Final round: submit what is left, release or abort every wait, let everything finish
      const finalRound = drive({ release: true, releaseChance: 1 });
      const roundDeadline = Date.now() + 300_000;
      while (specs.some((s) => s.run !== 'acked' || (s.kind === 'wait' && !settled(s))) || pings.length < 20) {
        if (Date.now() > roundDeadline) throw new Error('final round: runs or waits left after 300 s');
        await sleep(100);
      }
      await finalRound.stop();

      const settleStart = performance.now();
      const deadline = Date.now() + (onPostgres ? 240_000 : 180_000);
      for (;;) {
        const running = (await api.get(`${v2}/instances?running=true&pageSize=1`)).body.cursor.data.length;
        const pingOcc = (await listAll(api, `${v2}/triggers/${pingTrigger}/occurrences`)).length;
        const depOcc = (await listAll(api, `${v2}/triggers/${ledgerTrigger}/occurrences`)).length;
        const pingEvents = pings.filter((p) => p.ack === 'acked').length;
        const depEvents = deposits.filter((d) => d.ack === 'acked').length;
        if (running === 0 && pingOcc >= pingEvents && depOcc >= depEvents) break;
        if (Date.now() > deadline) throw new Error(`not settled: ${running} running, occurrences ${pingOcc}/${pingEvents} and ${depOcc}/${depEvents}`);
        await sleep(250);
      }
      const settleMs = Math.round(performance.now() - settleStart);

      // Balances over HTTP (lossless): a sample, compared again from the store below.
      const httpBalances = new Map<string, bigint>();
      for (const s of specs.filter((x) => x.i % 10 === 0)) {
        const addr = s.kind === 'wait' ? `escrow:${s.i}` : `users:${s.i}`;
        const r = await getJson(api, `/api/ledger/v2/cm/accounts/${addr}?expand=volumes`);
        httpBalances.set(addr, r.status === 200 ? BigInt(r.body.data.volumes[USD]?.balance ?? 0) : 0n);
      }

      const stop = await server!.stop('SIGTERM');
      expect(stop.code, `SIGTERM exit: ${server!.output().slice(-2000)}`).toBe(0);

      // --- Verify against the store itself
      const db = await store.open();
      try {
        const instances = await db.query<{
          id: string;
          workflow_id: string;
          variables: Record<string, string>;
          terminated: boolean;
          error: string | null;
          trigger_id: string | null;
        }>(`select id, workflow_id, variables, terminated, error, trigger_id from instances`);
        const stages = await db.query<{ instance_id: string; stage: number; run_name: string | null; done: boolean; error: string | null }>(
          `select instance_id, stage, run_name, terminated_at is not null as done, error from stages order by instance_id, stage`,
        );
        const activities = await db.query<{ instance_id: string; stage: number; names: string[]; done: boolean }>(
          `select instance_id, stage, array_agg(name order by seq) as names, bool_and(terminated) as done from activities group by 1, 2`,
        );
        const events = await db.query<{ iid: string; type: string; num: string | null; n: number }>(
          `select payload->>'instanceID' as iid, type, payload->>'number' as num, count(*)::int as n from events
         where app = 'orchestration' and payload ? 'instanceID' group by 1, 2, 3`,
        );
        const volumes = await db.query<{ ledger: string; address: string; bal: string }>(
          `select ledger, address, (input - output)::text as bal from sb_volumes where ledger in ('cm', 'cm-trig') and asset = $1`,
          [USD],
        );
        const txCounts = Object.fromEntries(
          (await db.query<{ ledger: string; n: number }>(`select ledger, count(*)::int as n from sb_transactions group by ledger`)).map((r) => [r.ledger, r.n]),
        );
        const occurrences = await db.query<{ trigger_id: string; event_seq: number; n: number; ok: boolean }>(
          `select trigger_id, event_seq, count(*)::int as n, bool_and(workflow_instance_id is not null and error is null) as ok from trigger_occurrences group by 1, 2`,
        );
        const published = await db.query<{ seq: number; type: string; n: string | null }>(
          `select seq, type, coalesce(payload->>'n', payload->'transactions'->0->'metadata'->>'n') as n from events
         where type = 'RELIABILITY_PING' or (type = 'COMMITTED_TRANSACTIONS' and payload->>'ledger' = 'cm-src')`,
        );

        // Instances: one per run, in the state it should be, with one run's rows.
        const byWorkflow = (id: string) => instances.filter((x) => x.workflow_id === id);
        expect(byWorkflow(wf.pay).length + byWorkflow(wf.wait).length + byWorkflow(wf.delay).length).toBe(N);
        const stagesOf = new Map<string, typeof stages>();
        for (const s of stages) stagesOf.set(s.instance_id, [...(stagesOf.get(s.instance_id) ?? []), s]);
        const activitiesOf = new Map(activities.map((a) => [`${a.instance_id}/${a.stage}`, a]));
        const eventCount = new Map(events.map((e) => [`${e.iid}/${e.type}/${e.num ?? ''}`, e.n]));
        for (const e of events) expect(e.n, `${e.type} ${e.num ?? ''} published ${e.n} times for ${e.iid}`).toBe(1);

        const expected = new Map<string, bigint>();
        const move = (ledger: string, src: string, dst: string, amount: bigint) => {
          expected.set(`${ledger}/${src}`, (expected.get(`${ledger}/${src}`) ?? 0n) - amount);
          expected.set(`${ledger}/${dst}`, (expected.get(`${ledger}/${dst}`) ?? 0n) + amount);
        };
        let sends = 0;
        let canceled = 0;
        let released = 0;
        for (const inst of instances.filter((x) => !x.trigger_id)) {
          const s = specs[Number(inst.variables.i)];
          expect(s.id, `run ${s.i}: instance ${inst.id} is not the acknowledged one`).toBe(inst.id);
          expect(inst.terminated, `run ${s.i} (${s.kind}) did not finish`).toBe(true);
          const a = BigInt(s.vars.a);
          const rows = stagesOf.get(inst.id) ?? [];
          const acts = (stage: number) => activitiesOf.get(`${inst.id}/${stage}`)?.names ?? [];
          let runNames: string[];
          let activityNames: string[][];
          if (s.kind === 'wait' && inst.error === 'canceled') {
            expect(s.wantsAbort, `run ${s.i} canceled without an abort`).toBe(true);
            canceled++;
            runNames = ['RunSend', 'RunWaitEvent'];
            activityNames = [['CreateTransaction'], []];
            move('cm', 'world', `escrow:${s.i}`, a);
            expect(rows[1]?.error).toBe('canceled');
          } else {
            expect(inst.error, `run ${s.i} (${s.kind}) failed`).toBeNull();
            expect(s.abort, `run ${s.i}: abort acknowledged but the instance succeeded`).not.toBe('acked');
            if (s.kind === 'pay') {
              runNames = ['RunSend', 'RunDelay', 'RunSend', 'RunNoop'];
              activityNames = [['CreateTransaction'], [], ['CreateTransaction'], []];
              move('cm', 'world', `users:${s.i}`, a);
              move('cm', `users:${s.i}`, `merchants:${s.vars.m}`, a / 3n);
            } else if (s.kind === 'wait') {
              released++;
              runNames = ['RunSend', 'RunWaitEvent', 'RunSend'];
              activityNames = [['CreateTransaction'], [], ['CreateTransaction']];
              move('cm', 'world', `escrow:${s.i}`, a);
              move('cm', `escrow:${s.i}`, `users:${s.i}`, a);
            } else {
              runNames = ['RunDelay', 'RunSend', 'RunUpdate'];
              activityNames = [[], ['CreateTransaction'], ['AddAccountMetadata']];
              move('cm', 'world', `users:${s.i}`, a);
            }
            expect(
              rows.every((r) => r.done && r.error === null),
              `run ${s.i}: a stage did not succeed`,
            ).toBe(true);
            expect(eventCount.get(`${inst.id}/SUCCEEDED_WORKFLOW/`), `run ${s.i}`).toBe(1);
          }
          expect(
            rows.map((r) => r.stage),
            `run ${s.i}: stage rows`,
          ).toEqual(runNames.map((_, k) => k));
          expect(
            rows.map((r) => r.run_name),
            `run ${s.i}: history`,
          ).toEqual(runNames);
          expect(
            runNames.map((_, k) => acts(k)),
            `run ${s.i}: activities`,
          ).toEqual(activityNames);
          for (let k = 0; k < runNames.length; k++) expect(activitiesOf.get(`${inst.id}/${k}`)?.done ?? true).toBe(true);
          expect(eventCount.get(`${inst.id}/STARTED_WORKFLOW/`), `run ${s.i}`).toBe(1);
          for (let k = 0; k < runNames.length; k++) expect(eventCount.get(`${inst.id}/STARTED_WORKFLOW_STAGE/${k}`), `run ${s.i} stage ${k}`).toBe(1);
          sends += activityNames.flat().filter((n) => n === 'CreateTransaction').length;
        }
        // acknowledged releases were delivered, acknowledged aborts canceled (the stage ended once, see above)
        for (const s of specs.filter((x) => x.release === 'acked')) expect(instances.find((x) => x.id === s.id)?.error ?? null, `run ${s.i}`).toBeNull();
        for (const s of specs.filter((x) => x.abort === 'acked')) expect(instances.find((x) => x.id === s.id)?.error, `run ${s.i}`).toBe('canceled');

        // Triggers: each published event fired exactly once; each fired instance moved its amount once.
        const occ = new Map(occurrences.map((o) => [`${o.trigger_id}/${o.event_seq}`, o]));
        const pingEvents = published.filter((e) => e.type === 'RELIABILITY_PING');
        const depEvents = published.filter((e) => e.type === 'COMMITTED_TRANSACTIONS');
        for (const [triggerId, evs] of [
          [pingTrigger, pingEvents],
          [ledgerTrigger, depEvents],
        ] as const) {
          for (const e of evs) {
            const o = occ.get(`${triggerId}/${e.seq}`);
            expect(o?.n, `event ${e.seq} (${e.type} ${e.n}) fired ${o?.n ?? 0} times`).toBe(1);
            expect(o?.ok, `event ${e.seq}: occurrence without an instance`).toBe(true);
          }
          expect(occurrences.filter((o) => o.trigger_id === triggerId).length).toBe(evs.length);
        }
        expect(new Set(pingEvents.map((e) => e.n)).size, 'a ping was published twice').toBe(pingEvents.length);
        for (const p of pings.filter((x) => x.ack === 'acked'))
          expect(
            pingEvents.some((e) => e.n === p.n),
            `acknowledged ping ${p.n} lost`,
          ).toBe(true);
        for (const d of deposits.filter((x) => x.ack === 'acked'))
          expect(
            depEvents.some((e) => e.n === d.n),
            `acknowledged deposit ${d.n} lost`,
          ).toBe(true);
        const trigInstances = instances.filter((x) => x.trigger_id);
        expect(trigInstances.length).toBe(pingEvents.length + depEvents.length);
        for (const inst of trigInstances) {
          expect(inst.terminated && inst.error === null, `trigger instance ${inst.id}`).toBe(true);
          move('cm-trig', 'world', `trig:${inst.variables.n}`, BigInt(inst.variables.amt));
        }
        for (const e of pingEvents) {
          const p = pings.find((x) => x.n === e.n)!;
          expect(expected.get(`cm-trig/trig:${p.n}`), `ping ${p.n}`).toBe(p.amt);
        }

        // Ledger: balances to the unit, one transaction per send.
        const actual = new Map(volumes.map((v) => [`${v.ledger}/${v.address}`, BigInt(v.bal)]));
        for (const key of new Set([...expected.keys(), ...actual.keys()])) {
          expect(actual.get(key) ?? 0n, `balance of ${key}`).toBe(expected.get(key) ?? 0n);
        }
        for (const [addr, bal] of httpBalances) expect(bal, `HTTP balance of ${addr}`).toBe(expected.get(`cm/${addr}`) ?? 0n);
        expect(txCounts.cm, 'transactions on cm').toBe(sends);
        expect(txCounts['cm-trig'], 'transactions on cm-trig').toBe(trigInstances.length);
        const moved = [...expected.entries()].filter(([k]) => k.startsWith('cm/') && !k.endsWith('/world')).reduce((t, [, v]) => t + v, 0n);
        expect(moved).toBe(-(expected.get('cm/world') ?? 0n));

        console.log(
          [
            `crash-money (${store.kind}, seed ${SEED}): ${N} instances (${specs.filter((s) => s.kind === 'pay').length} pay, ${specs.filter((s) => s.kind === 'wait').length} wait, ${specs.filter((s) => s.kind === 'delay').length} delay), ${KILLS} kill -9 after ${killedAt.join(', ')} of driving`,
            `  ${sends} sends = ${sends} transactions on cm, ${moved} USD/2 minor units moved, every balance exact; ${released} waits released and ${canceled} aborted (${ackedBeforeKill.length} of these acknowledged before a kill)`,
            `  triggers: ${pingEvents.length} console events + ${depEvents.length} ledger transactions → ${occurrences.length} occurrences, each exactly once (${publishedBeforeKill} acknowledged before a kill, ${pings.filter((p) => p.ack === 'sent').length + deposits.filter((d) => d.ack === 'sent').length} cut by one)`,
            `  restarts ${restartMs.join(' / ')} ms, settled ${settleMs} ms after the last round, SIGTERM exit ${stop.code} in ${stop.ms} ms, total ${Math.round((performance.now() - t0) / 1000)} s`,
          ].join('\n'),
        );
      } finally {
        await db.close();
      }
    },
    envNumber('RELIABILITY_TIMEOUT_MS', 600_000),
  );
});
