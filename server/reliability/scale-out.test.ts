import { afterAll, describe, expect, it } from 'vitest';
import { childStore, startChildServer, type ChildServer, type ChildStore } from '../test/child-server.js';
import type { Api } from '../test/harness.js';
import { envNumber, prng, seedFromEnv, sleep } from './support.js';

/**
 * Scaled out (PostgreSQL only): three server processes on one database share the engine's work
 * and the trigger dispatcher. Runs are submitted and trigger events published through all
 * three; one is killed with SIGKILL while it runs instances, and the two others take its work
 * over once its leases run out (ENGINE_LEASE_MS, shortened here). At the end, read from the
 * database: every run is one instance that succeeded with exactly one run's stage rows, history,
 * activities and lifecycle events; every ledger transaction happened once (balances exact); every
 * published event fired its trigger exactly once; and each process did part of the work.
 *
 * Sizes: SCALE_INSTANCES (90), SCALE_EVENTS (30); RELIABILITY_SEED replays a run.
 */

const SEED = seedFromEnv();
const rnd = prng(SEED);
const N = envNumber('SCALE_INSTANCES', 90);
const EVENTS = envNumber('SCALE_EVENTS', 30);
const LEASE_MS = 8_000;
const v2 = '/api/orchestration/v2';
const USD = 'USD/2';

let store: ChildStore | undefined;
const servers: ChildServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill9();
  await store?.cleanup();
});

/** Sum of a counter's samples in a /metrics text, over all its labels. */
function counterSum(metrics: string, name: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

const metricsOf = (s: ChildServer) => fetch(`${s.url}/metrics`).then((r) => r.text());

describe.skipIf(!process.env.TEST_DATABASE_URL)('scaled out: three processes on one PostgreSQL, one killed (PostgreSQL only)', () => {
  it('runs every instance exactly once and fires every published event once', async () => {
    const t0 = performance.now();
    store = await childStore('scale-out');
    servers.push(...(await Promise.all([0, 1, 2].map(() => startChildServer(store!, { ENGINE_LEASE_MS: String(LEASE_MS) })))));
    const [a, b, c] = servers as [ChildServer, ChildServer, ChildServer];

    const send = (src: string, dst: string, amount: string, ledger: string) => ({
      send: { source: { account: { id: src, ledger } }, destination: { account: { id: dst, ledger } }, amount: { asset: USD, amount } },
    });
    const created = async (path: string, body: unknown) => {
      const r = await a.api.post(path, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.data.id as string;
    };
    const pay = await created(`${v2}/workflows`, {
      name: 'scale-pay',
      stages: [send('world', 'users:${i}', '${a}', 'so'), { delay: { duration: '${d}' } }, send('users:${i}', 'merchants:${m}', '${b}', 'so'), { noop: {} }],
    });
    const fired = await created(`${v2}/workflows`, { name: 'scale-fired', stages: [send('world', 'trig:${n}', '${amt}', 'so-trig')] });
    const trigger = await created(`${v2}/triggers`, { name: 'scale-ping', event: 'SCALE_PING', workflowID: fired, vars: { n: 'event.n', amt: 'event.amt' } });

    // --- Runs and events through every live process, a few at a time
    const runs = Array.from({ length: N }, (_, i) => {
      const amount = 1_000_000 + i * 7919 + rnd.int(0, 1000);
      return {
        i,
        vars: { i: String(i), a: String(amount), b: String(Math.floor(amount / 3)), m: String(i % 5), d: `${rnd.int(200, 1500)}ms` },
        id: undefined as string | undefined,
      };
    });
    const pings: string[] = [];
    let next = 0;
    const drive = async (apis: Api[], until: number, eventsUntil: number) => {
      const worker = async (w: number) => {
        for (let k = w; ; k += apis.length * 2) {
          const run = next < until ? runs[next++] : undefined;
          const api = apis[k % apis.length]!;
          if (run) {
            const r = await api.post(`${v2}/workflows/${pay}/instances`, run.vars);
            expect(r.status, JSON.stringify(r.body)).toBe(201);
            run.id = r.body.data.id;
          }
          if (pings.length < eventsUntil && rnd.chance(0.4)) {
            const n = `P${pings.length}`;
            pings.push(n);
            const r = await api.post('/api/console/events', { type: 'SCALE_PING', payload: { n, amt: String(100 + pings.length) } });
            expect(r.status, JSON.stringify(r.body)).toBe(201);
          }
          if (!run && pings.length >= eventsUntil) return;
          await sleep(rnd.int(0, 30));
        }
      };
      await Promise.all(Array.from({ length: apis.length * 2 }, (_, w) => worker(w)));
    };

    // Phase 1: all three take requests; then c gets no more (so none is cut), and is killed while
    // its engine runs instances (its in-flight gauge above zero, or after 5 s of trying).
    await drive([a.api, b.api, c.api], Math.ceil(N / 2), Math.ceil(EVENTS / 2));
    const beforeKill = await metricsOf(c);
    let inFlight = 0;
    for (const end = Date.now() + 5_000; Date.now() < end;) {
      const m = /^flows_console_engine_tasks_in_flight (\d+)/m.exec(await metricsOf(c));
      inFlight = Number(m?.[1] ?? 0);
      if (inFlight > 0) break;
    }
    await c.kill9();
    const killedAt = performance.now();

    // Phase 2: the rest through a and b.
    await drive([a.api, b.api], N, EVENTS);

    // Settle: every instance ended, every event fired.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const running = (await a.api.get(`${v2}/instances?running=true&pageSize=1`)).body.cursor.data.length;
      const occurrences = (await a.api.get(`${v2}/triggers/${trigger}/occurrences?pageSize=100`)).body.cursor.data.length;
      if (running === 0 && occurrences >= pings.length) break;
      if (Date.now() > deadline) throw new Error(`not settled after 120 s: ${running} running, ${occurrences}/${pings.length} occurrences`);
      await sleep(250);
    }
    const settledAfterKill = Math.round((performance.now() - killedAt) / 1000);
    const [ma, mb] = await Promise.all([metricsOf(a), metricsOf(b)]);
    const executions = [ma, mb, beforeKill].map((m) => counterSum(m, 'flows_console_engine_stage_executions_total'));
    for (const s of [a, b]) expect((await s.stop()).code, s.output().slice(-2000)).toBe(0);

    // --- Verify against the database
    const db = await store.open();
    try {
      const instances = await db.query<{ id: string; workflow_id: string; variables: Record<string, string>; terminated: boolean; error: string | null }>(
        `select id, workflow_id, variables, terminated, error from instances`,
      );
      const stages = await db.query<{ instance_id: string; names: string[]; done: boolean }>(
        `select instance_id, array_agg(run_name order by stage) as names, bool_and(terminated_at is not null and error is null) as done from stages group by 1`,
      );
      const activities = await db.query<{ instance_id: string; names: string[] }>(
        `select instance_id, array_agg(name order by stage, seq) as names from activities group by 1`,
      );
      const events = await db.query<{ iid: string; type: string; num: string | null; n: number }>(
        `select payload->>'instanceID' as iid, type, payload->>'number' as num, count(*)::int as n from events
         where app = 'orchestration' and payload ? 'instanceID' group by 1, 2, 3`,
      );
      const published = await db.query<{ seq: number; n: string }>(`select seq, payload->>'n' as n from events where type = 'SCALE_PING'`);
      const occurrences = await db.query<{ event_seq: number; n: number; ok: boolean }>(
        `select event_seq, count(*)::int as n, bool_and(workflow_instance_id is not null and error is null) as ok from trigger_occurrences where trigger_id = $1 group by 1`,
        [trigger],
      );
      const volumes = await db.query<{ address: string; bal: string }>(
        `select address, (input - output)::text as bal from sb_volumes where ledger = 'so' and asset = $1`,
        [USD],
      );
      const txs = Object.fromEntries(
        (await db.query<{ ledger: string; n: number }>(`select ledger, count(*)::int as n from sb_transactions group by 1`)).map((r) => [r.ledger, r.n]),
      );
      const leftover = await db.query(`select instance_id from tasks`);

      // Runs: one instance each, succeeded, with one run's rows and events.
      const payInstances = instances.filter((x) => x.workflow_id === pay);
      expect(payInstances).toHaveLength(N);
      expect(new Set(payInstances.map((x) => x.variables.i)).size, 'a run started twice').toBe(N);
      const stagesOf = new Map(stages.map((s) => [s.instance_id, s]));
      const activitiesOf = new Map(activities.map((s) => [s.instance_id, s.names]));
      const eventCount = new Map(events.map((e) => [`${e.iid}/${e.type}/${e.num ?? ''}`, e.n]));
      for (const e of events) expect(e.n, `${e.type} ${e.num ?? ''} written ${e.n} times for ${e.iid}`).toBe(1);
      for (const inst of payInstances) {
        const run = runs[Number(inst.variables.i)]!;
        expect(inst.id, `run ${run.i}: not the acknowledged instance`).toBe(run.id);
        expect(inst.terminated && inst.error === null, `run ${run.i}: ${inst.error ?? 'not finished'}`).toBe(true);
        expect(stagesOf.get(inst.id)?.names, `run ${run.i}: history`).toEqual(['RunSend', 'RunDelay', 'RunSend', 'RunNoop']);
        expect(stagesOf.get(inst.id)?.done, `run ${run.i}: a stage did not succeed`).toBe(true);
        expect(activitiesOf.get(inst.id), `run ${run.i}: activities`).toEqual(['CreateTransaction', 'CreateTransaction']);
        for (let k = 0; k < 4; k++) expect(eventCount.get(`${inst.id}/SUCCEEDED_WORKFLOW_STAGE/${k}`), `run ${run.i} stage ${k}`).toBe(1);
        expect(eventCount.get(`${inst.id}/SUCCEEDED_WORKFLOW/`), `run ${run.i}`).toBe(1);
      }
      // Money: two transactions per run, balances to the unit.
      expect(txs.so, 'transactions on so').toBe(2 * N);
      const balance = new Map(volumes.map((v) => [v.address, BigInt(v.bal)]));
      for (const run of runs) expect(balance.get(`users:${run.i}`), `users:${run.i}`).toBe(BigInt(run.vars.a) - BigInt(run.vars.b));

      // Triggers: every published event fired once, and its instance moved its amount once.
      expect(published.map((e) => e.n).sort()).toEqual([...pings].sort());
      const occ = new Map(occurrences.map((o) => [o.event_seq, o]));
      for (const e of published) {
        expect(occ.get(e.seq)?.n, `event ${e.n} fired ${occ.get(e.seq)?.n ?? 0} times`).toBe(1);
        expect(occ.get(e.seq)?.ok, `event ${e.n}: occurrence without an instance`).toBe(true);
      }
      expect(occurrences).toHaveLength(published.length);
      const firedInstances = instances.filter((x) => x.workflow_id === fired);
      expect(firedInstances).toHaveLength(published.length);
      for (const inst of firedInstances) expect(inst.terminated && inst.error === null, `fired instance ${inst.id}`).toBe(true);
      expect(txs['so-trig'], 'transactions on so-trig').toBe(published.length);
      expect(leftover, 'tasks left').toEqual([]);

      // Shared: each process ran stages (c before it was killed).
      for (const [k, n] of executions.entries()) expect(n, `stage executions by process ${'abc'[k]}`).toBeGreaterThan(0);

      console.log(
        [
          `scale-out (seed ${SEED}): ${N} runs (4 stages, 2 sends each) and ${published.length} trigger events through 3 processes on one PostgreSQL; kill -9 of one with ${inFlight} instance(s) in flight`,
          `  stage executions per process: ${executions.join(' / ')} (the killed one last, as of just before the kill); all settled ${settledAfterKill} s after the kill (leases of ${LEASE_MS / 1000} s)`,
          `  every run once (${2 * N} transactions, balances exact), every event fired once; total ${Math.round((performance.now() - t0) / 1000)} s`,
        ].join('\n'),
      );
    } finally {
      await db.close();
    }
  }, 300_000);
});
