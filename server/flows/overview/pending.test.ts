import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../reliability/support.js';
import { json, type Db, type Queryable } from '../../store/db.js';
import { reopenableStore } from '../../test/database.js';
import { PendingSends, sendsOf, type WorkflowSends } from './pending-sends.js';

// Money in flight reads `overview_pending`, kept per running instance by statement triggers
// (migration 010_overview_live). Property style: the store's reading of send definitions
// (`flows_send_keys`) equals the TypeScript one on random definitions; and after rounds of random
// writes (instances starting, moving on, ending; money-moving activities completing, failing;
// a workflow deleted; some transactions rolled back), the groups equal those of a plain query over
// every running instance (the one the overview ran per request before), also after a restart.

const random = (seed: number) => {
  const r = prng(seed);
  return { ...r, int: (n: number) => r.int(0, n - 1) };
};
type Random = ReturnType<typeof random>;

const KEYS = ['amount', 'user', 'a', 'b'];

/** A random send stage: placeholders anywhere, whole-amount or not, from an account, wallet or payment. */
function randomSend(r: Random): Record<string, unknown> {
  const ph = () => `\${${r.pick(KEYS)}}`;
  const text = () => r.pick(['users:1', `users:${ph()}`, `${ph()}:${ph()}`, 'world']);
  const source = r.pick([
    () => ({ account: { id: text() } }),
    () => ({ wallet: { id: text(), balance: r.pick(['main', ph()]) } }),
    () => ({ payment: { id: text() } }),
    () => ({ payment: r.pick([null, '', 0, false]), account: { id: text() } }),
  ])();
  const amount = r.pick<unknown>([ph(), `${ph()}${ph()}`, '100', 100, ` ${ph()}`, undefined]);
  return {
    send: {
      source,
      destination: { account: { id: text() } },
      ...(amount === undefined ? {} : { amount: { asset: r.pick(['USD/2', ph()]), amount } }),
      ...(r.int(4) === 0 ? { metadata: { note: ph() } } : {}),
    },
    ...(r.int(6) === 0 ? { label: ph() } : {}),
  };
}

function randomDefinition(r: Random): { stages?: unknown } {
  if (r.int(10) === 0) return r.pick([{}, { stages: 'x' }, { stages: [] }]);
  const stages = Array.from({ length: 1 + r.int(4) }, () =>
    r.pick([() => randomSend(r), () => ({ noop: {} }), () => ({ wait_event: { event: `\${${r.pick(KEYS)}}` } }), () => ['send']])(),
  );
  return { stages };
}

/** The groups as the overview computed them per request before: every running instance probed and projected. */
async function plainGroups(db: Queryable, workflows: Map<string, WorkflowSends>) {
  const moved = `exists (select 1 from activities a where a.instance_id = i.id and a.stage = i.current_stage
    and a.terminated and a.error is null and a.name in ('CreateTransaction', 'CreditWallet', 'DebitWallet', 'CreateTransferInitiation'))`;
  const vars = `(select coalesce(jsonb_object_agg(e.key, case when e.key = any(k.amount_keys) and e.value #>> '{}' ~ '^[0-9]+$' then 'true'::jsonb else e.value end), '{}'::jsonb)
    from jsonb_each(i.variables) e where e.key = any(k.keys))`;
  return db.query<any>(
    `with k as (
       select * from jsonb_to_recordset($1::jsonb) as k(workflow_id text, last_send int, keys text[], amount_keys text[])),
     r as (
       select i.id, i.workflow_id, i.current_stage as stage, ${moved} as moved, ${vars} as vars, i.variables, k.amount_keys
       from instances i join k on k.workflow_id = i.workflow_id join workflows w on w.id = i.workflow_id
       where w.deleted_at is null and not i.terminated and i.current_stage <= k.last_send),
     g as (
       select workflow_id, stage, moved, vars, count(*)::int as n, min(id) as example from r group by 1, 2, 3, 4),
     a as (
       select r.workflow_id, r.stage, r.moved, r.vars, ak, sum((r.variables->>ak)::numeric)::text as total
       from r cross join unnest(r.amount_keys) as ak where r.vars->ak = 'true'::jsonb group by 1, 2, 3, 4, 5)
     select g.workflow_id, g.stage, g.moved, g.vars, g.n, g.example, jsonb_object_agg(a.ak, a.total) filter (where a.ak is not null) as sums
     from g left join a on a.workflow_id = g.workflow_id and a.stage = g.stage and a.moved = g.moved and a.vars = g.vars
     group by g.workflow_id, g.stage, g.moved, g.vars, g.n, g.example`,
    [json([...workflows].map(([id, w]) => ({ workflow_id: id, last_send: w.lastSend, keys: w.keys, amount_keys: w.amountKeys })))],
  );
}

/** The maintained groups, in the same shape. */
const keptGroups = (db: Queryable) =>
  db.query<any>(
    `select g.workflow_id, g.stage, g.moved, g.vars, g.n, g.sums,
            (select min(p.instance_id) from overview_pending p
             where p.workflow_id = g.workflow_id and p.stage = g.stage and p.moved = g.moved and p.grp = g.grp) as example
     from overview_pending_groups g where g.n > 0`,
  );

/** Rows comparable whatever their order; a sum of 0 and a missing one read the same (0). */
const sorted = (rows: any[]) =>
  rows
    .map((r) => ({ ...r, sums: Object.fromEntries(Object.entries(r.sums ?? {}).filter(([, v]) => v !== '0')) }))
    .map((r) => JSON.stringify(r, Object.keys(r).sort()))
    .sort();

describe('overview money in flight: the kept groups', () => {
  let store: Awaited<ReturnType<typeof reopenableStore>>;
  let db: Db;

  beforeAll(async () => {
    store = await reopenableStore('flows-pending');
    db = await store.open();
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await store?.remove();
  });

  it("read a definition's sends as the TypeScript does (flows_send_keys)", async () => {
    const r = random(1802);
    const configs = Array.from({ length: 300 }, (_, k) => ({ id: `def-${k}`, config: randomDefinition(r) }));
    const rows = await db.query<{ id: string; keys: { lastSend: number; keys: string[]; amountKeys: string[] } | null }>(
      `select c.id, flows_send_keys(c.config) as keys from jsonb_to_recordset($1::jsonb) as c(id text, config jsonb)`,
      [json(configs)],
    );
    const ts = sendsOf(configs);
    let amountKeys = 0;
    for (const row of rows) {
      const w = ts.get(row.id);
      const expected = w ? { lastSend: w.lastSend, keys: [...w.keys].sort(), amountKeys: [...w.amountKeys].sort() } : null;
      expect(row.keys, JSON.stringify(configs.find((c) => c.id === row.id))).toEqual(expected);
      amountKeys += expected?.amountKeys.length ?? 0;
    }
    expect(amountKeys).toBeGreaterThan(0); // the definitions did exercise the amount keys
  });

  it('equal a plain query over every running instance after random writes, and after a restart', async () => {
    const r = random(18_02);
    const definitions = [
      { stages: [{ noop: {} }, randomSend(r), { wait_event: { event: 'go' } }, randomSend(r)] },
      {
        stages: [{ send: { source: { account: { id: 'users:${user}' } }, destination: { account: { id: 'm:1' } }, amount: { asset: 'USD/2', amount: '${amount}' } } }],
      },
      { stages: [{ noop: {} }, { noop: {} }] },
      { stages: [randomSend(r), randomSend(r)] },
    ];
    await db.query(
      `insert into workflows (id, name, config, created_at, updated_at)
       select 'wf-' || (c.k - 1), '', c.config, now(), now() from jsonb_array_elements($1::jsonb) with ordinality as c(config, k)`,
      [json(definitions)],
    );
    const workflows = sendsOf(definitions.map((config, k) => ({ id: `wf-${k}`, config })));
    const value = () => r.pick(['12', '7', '0', '1.5', 'x', '99999999999999999999', '${amount}']);
    const write = async (tx: Queryable) => {
      const id = `in-${r.int(30)}`;
      switch (r.int(6)) {
        case 0:
          await tx.query(
            `insert into instances (id, workflow_id, variables, created_at, updated_at, current_stage) values ($1, $2, $3, now(), now(), $4) on conflict (id) do nothing`,
            [id, `wf-${r.int(definitions.length)}`, json(Object.fromEntries(KEYS.filter(() => r.int(3) > 0).map((k) => [k, value()]))), r.int(5) - 1],
          );
          return;
        case 1:
          await tx.query(`update instances set current_stage = $2 where id = $1`, [id, r.int(5) - 1]);
          return;
        case 2:
          await tx.query(`update instances set terminated = true, terminated_at = now() where id = $1`, [id]);
          return;
        case 3:
        case 4:
          await tx.query(
            `insert into activities (instance_id, stage, seq, name, input, terminated, error, started_at)
             values ($1, $2, $3, $4, '{}', $5, $6, now())
             on conflict (instance_id, stage, seq) do update set name = excluded.name, terminated = excluded.terminated, error = excluded.error`,
            [
              id,
              r.int(4),
              r.int(2),
              r.pick(['CreateTransaction', 'DebitWallet', 'GetAccount', 'CreateTransferInitiation']),
              r.int(3) > 0,
              r.int(4) === 0 ? 'boom' : null,
            ],
          );
          return;
        case 5:
          if (r.int(20) === 0) await tx.query(`update workflows set deleted_at = now() where id = $1 and deleted_at is null`, [`wf-${r.int(definitions.length)}`]);
          return;
      }
    };
    const check = async () => {
      expect(sorted(await keptGroups(db))).toEqual(sorted(await plainGroups(db, workflows)));
      // no group is left empty
      expect(await db.query(`select 1 from overview_pending_groups where n <= 0`)).toEqual([]);
    };
    let seen = 0;
    for (let round = 0; round < 20; round++) {
      for (let t = 0; t < 6; t++) {
        const rollback = r.int(6) === 0;
        await db
          .transaction(async (tx) => {
            for (let w = 1 + r.int(4); w > 0; w--) await write(tx);
            if (rollback) throw new Error('rolled back on purpose');
          })
          .catch((err: Error) => {
            if (!rollback) throw err;
          });
      }
      await check();
      seen += (await keptGroups(db)).length;
    }
    expect(seen).toBeGreaterThan(0);
    await db.close();
    db = await store.open();
    await check();
    // and the service reads those groups
    expect((await new PendingSends(db).groups()).every((g) => g.instances > 0)).toBe(true);
  }, 120_000);
});
