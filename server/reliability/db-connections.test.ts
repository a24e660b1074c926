import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { childStore, startChildServer, type ChildServer, type ChildStore } from '../test/child-server.js';
import { sleep } from './support.js';

/**
 * PostgreSQL connections die: the database restarts, fails over, or an administrator terminates
 * backends. The server must survive that — idle pooled connections and connections checked out
 * in the middle of a transaction alike — and carry on with new connections, losing no work.
 * (Without an error listener, node-postgres turns such a connection error into an uncaught
 * exception that kills the process.)
 */
let store: ChildStore | undefined;
let server: ChildServer | undefined;
afterAll(async () => {
  await server?.kill9();
  await store?.cleanup();
});

const v2 = '/api/orchestration/v2';

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL connections terminated under the server (PostgreSQL only)', () => {
  it('survives idle and busy connections being killed, and loses no run', async () => {
    store = await childStore('db-kill');
    server = await startChildServer(store);
    const api = server.api;
    const dbUrl = store.env.DATABASE_URL;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const killAll = async () =>
      (
        await admin.query<{ n: number }>(`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [
          new URL(dbUrl).pathname.slice(1),
        ])
      ).rows[0].n;
    try {
      const wf = (await api.post(`${v2}/workflows`, { stages: [{ delay: { duration: '${d}' } }, { noop: {} }] })).body.data.id;
      const ids: string[] = [];
      const run = async (d: string) => {
        const r = await api.post(`${v2}/workflows/${wf}/instances`, { d });
        if (r.status === 201) ids.push(r.body.data.id);
        return r.status;
      };
      for (let i = 0; i < 20; i++) await run('200ms');

      // 1. every pooled connection idle: killed
      const idle = await killAll();
      await sleep(500);
      expect(server.exited, `the server died: ${server.output().slice(-1500)}`).toBe(false);

      // 2. connections killed while busy: runs submitted, delays firing
      let busyKilled = 0;
      const statuses: number[] = [];
      const load = (async () => {
        for (let i = 0; i < 60; i++) statuses.push(await run(`${(i % 5) * 100}ms`).catch(() => 0));
      })();
      for (let k = 0; k < 8; k++) {
        await sleep(150);
        busyKilled += await killAll();
      }
      await load;
      const engineErrors = (server.output().match(/engine: /g) ?? []).length;
      await sleep(500);
      expect(server.exited, `the server died: ${server.output().slice(-1500)}`).toBe(false);

      // it answers again (requests cut by a kill may have failed: they can be retried)
      let health = 0;
      for (let i = 0; i < 50 && health !== 200; i++) {
        health = (await api.get(`${v2}/workflows/${wf}`).catch(() => ({ status: 0 }))).status;
        if (health !== 200) await sleep(200);
      }
      expect(health).toBe(200);
      expect(await run('1ms')).toBe(201);

      // every acknowledged run finishes — while other work keeps the engine busy (a step that
      // failed on a dead connection must not stay leased behind it)
      let busy = true;
      const background = (async () => {
        while (busy) {
          await run('2s').catch(() => 0);
          await sleep(100);
        }
      })();
      const waitFrom = performance.now();
      const mustFinish = [...ids];
      // a failed step is handed back at once, or at worst its lease (30 s, no longer renewed) runs out
      const deadline = Date.now() + 45_000;
      for (;;) {
        const states = await Promise.all(mustFinish.map(async (id) => (await api.get(`${v2}/instances/${id}`)).body.data));
        if (states.every((s) => s.terminated)) {
          for (const s of states) expect(s.error, s.id).toBeUndefined();
          break;
        }
        if (Date.now() > deadline) {
          busy = false;
          await background;
          const stuck = states.filter((x) => !x.terminated).map((x) => x.id);
          const db = await store!.open();
          const rows = await db.query(
            `select i.id, i.current_stage, i.waiting_event, t.run_at, t.lease_owner is not null as leased, t.lease_until,
                    (select json_agg(json_build_object('stage', s.stage, 'done', s.terminated_at is not null)) from stages s where s.instance_id = i.id) as stages
             from instances i left join tasks t on t.instance_id = i.id where i.id = any($1::text[])`,
            [stuck],
          );
          await db.close();
          console.log('stuck:', JSON.stringify(rows, null, 1));
          console.log(
            server!
              .output()
              .split('\n')
              .filter((l) => /engine|postgres/.test(l))
              .slice(0, 30)
              .join('\n'),
          );
          throw new Error(`${states.filter((s) => !s.terminated).length} runs unfinished 45 s after the kills, the engine busy (${engineErrors} engine errors logged)`);
        }
        await sleep(250);
      }
      const finishedMs = Math.round(performance.now() - waitFrom);
      busy = false;
      await background;
      const failed = statuses.filter((s) => s !== 201).length;
      console.log(
        `db connections: ${idle} idle and ${busyKilled} busy PostgreSQL connections terminated under the server; it stayed up, ${failed} of 60 requests during the kills failed (5xx or cut), ${engineErrors} engine steps failed and were retried; all ${mustFinish.length} acknowledged runs finished ${finishedMs} ms later`,
      );
      // 500: the run's own write hit a dead connection; 503: the audit log could not record the
      // request, so nothing was done (see server/http/access.ts); 0: the connection was cut
      expect(
        statuses.filter((s) => s !== 201 && s !== 500 && s !== 503 && s !== 0),
        'only failures a retry fixes',
      ).toEqual([]);
    } finally {
      await admin.end();
    }
  }, 300_000);
});
