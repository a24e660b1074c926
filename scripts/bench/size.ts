// Latency under size, step 1 (a worker process of scripts/bench/run.ts): fills a database with
// BENCH_SIZE_WORKFLOWS workflows and BENCH_SIZE_INSTANCES instances (up to 3 stage rows, an
// activity for each send reached) with bulk SQL, folds the overview's rollups, analyzes it, and — through the real service layer on a capturing Db —
// records the exact SQL of every list request the bench will time, its EXPLAIN ANALYZE plan, and
// deep cursors (first page's `next` cursor moved up to 90 % of the seq range deeper; the cursor
// carries an ordered key, so adding to it moves deeper in either order). Then it closes the database, for
// the server to open it.
import { Instances } from '../../server/flows/instances.js';
import { Rollups } from '../../server/flows/overview/rollups.js';
import { parsePageRequest } from '../../server/store/pagination.js';
import type { Db, Queryable } from '../../server/store/db.js';
import { openStore } from '../../server/store/open.js';
import { progress, writeResult } from './lib.js';

const instances = Number(process.env.BENCH_SIZE_INSTANCES ?? 100_000);
const workflows = Number(process.env.BENCH_SIZE_WORKFLOWS ?? 1_000);
const databaseUrl = process.env.BENCH_DB_URL || undefined;
const dataDir = process.env.BENCH_DATA_DIR ?? 'memory';
const PAGE = 15; // the console's page size

const { db } = await openStore({ databaseUrl, dataDir });
const t0 = performance.now();
// Workflow k: noop, wait_event, send (users:${user} → merchants:1, ${amount}). Instance k belongs to
// workflow k % W (interleaved, so a filter on one workflow must use an index), started over the
// last 30 days; 90 % succeeded, 4 % failed (four causes, with account numbers, ids and amounts
// that vary), 1 % aborted, 4 % parked in wait_event before their send (running, no task: the
// engine leaves them alone; money in flight from 200 accounts, amounts varying), 1 % retrying
// their send (an activity that failed 1 to 7 times, its next try an hour away).
// Variables: `user` (200 users, the send's source), `userID` (k mod 50,000: two runs per user) and
// `amount` (0–9,999, spread; the send's amount), for the variables search and money in flight.
await db.exec(`
  insert into workflows (id, name, config, created_at, updated_at)
  select md5('wf' || k)::uuid::text, 'wf-' || k,
         jsonb_build_object('name', 'wf-' || k, 'stages', jsonb_build_array(
           jsonb_build_object('noop', '{}'::jsonb),
           jsonb_build_object('wait_event', jsonb_build_object('event', 'go')),
           jsonb_build_object('send', jsonb_build_object('source', jsonb_build_object('account', jsonb_build_object('id', 'users:\${user}')),
             'destination', jsonb_build_object('account', jsonb_build_object('id', 'merchants:1')),
             'amount', jsonb_build_object('amount', '\${amount}', 'asset', 'USD/2'))))),
         now() - interval '31 days', now() - interval '31 days'
  from generate_series(0, ${workflows - 1}) k;

  insert into instances (id, workflow_id, variables, created_at, updated_at, terminated, terminated_at, error, current_stage, waiting_event)
  select md5('in' || k)::uuid::text, md5('wf' || (k % ${workflows}))::uuid::text,
         jsonb_build_object('user', 'u' || (k % 200), 'userID', (k % 50000)::text, 'amount', ((k * 37) % 10000)::text),
         t, t + interval '2 seconds',
         (k % 100) >= 5,
         case when (k % 100) >= 5 then t + make_interval(secs => 2 + (k % 7)) end,
         case when (k % 100) between 5 and 8 then (array[
                'running numscript: script execution failed: account(s) @users:' || (k % 997) || ' had/have insufficient funds',
                'reading account: ' || md5('w' || k)::uuid::text || ': wallet not found',
                'send.amount.amount: unable to parse ''' || (k % 90) || '.5'' as big int: amounts are non-negative integers in minor units',
                'account users:' || (k % 313) || ' not found on ledger main'])[(k % 4) + 1]
              when (k % 100) = 9 then 'canceled' end,
         case when (k % 100) = 9 then 1 when (k % 100) < 4 then 1 else 2 end,
         case when (k % 100) < 4 then 'go' end
  from generate_series(0, ${instances - 1}) k,
       lateral (select now() - interval '30 days' + (k * (interval '30 days' / ${instances})) as t) c;

  insert into stages (instance_id, stage, started_at, terminated_at, error, run_name, input)
  select i.id, s.n, i.created_at + s.n * interval '1 second',
         case when s.n < i.current_stage or i.terminated then i.created_at + (s.n + 1) * interval '1 second' end,
         case when s.n = i.current_stage and i.terminated then i.error end,
         (array['RunNoop', 'RunWaitEvent', 'RunSend'])[s.n + 1],
         (array['{}', '{"event":"go"}', '{"source":{"account":{"id":"users:1"}},"destination":{"account":{"id":"merchants:1"}},"amount":{"amount":100,"asset":"USD/2"}}'])[s.n + 1]::jsonb
  from instances i, generate_series(0, 2) s(n)
  where s.n <= i.current_stage;

  insert into activities (instance_id, stage, seq, name, input, output, terminated, started_at, terminated_at, attempt, last_failure, next_execution)
  select s.instance_id, 2, 0, 'CreateTransaction', s.input,
         case when i.terminated then '{"CreateTransaction":{"data":[{"id":1}]}}'::jsonb end,
         i.terminated, s.started_at, case when i.terminated then s.started_at + interval '10 ms' end,
         case when i.terminated then 1 else 2 + abs(hashtext(i.id)) % 7 end,
         case when not i.terminated then 'running numscript: script execution failed: account(s) @users:1 had/have insufficient funds' end,
         case when not i.terminated then now() + interval '1 hour' end
  from stages s join instances i on i.id = s.instance_id where s.stage = 2;

  insert into tasks (instance_id, run_at)
  select instance_id, next_execution from activities where not terminated and next_execution is not null;
`);
// The overview's rollups were written by the triggers as rows went in; fold them, as the server
// does every few seconds.
await new Rollups(db).compact();
await db.exec(`analyze`);
const fillSeconds = (performance.now() - t0) / 1000;
progress(`size: ${instances} instances, ${workflows} workflows written in ${fillSeconds.toFixed(1)} s`);

// ---- the list requests, their SQL and plans, deep cursors
const captured: { sql: string; params: unknown[] }[] = [];
const capturing: Db = {
  kind: db.kind,
  async query<T>(sql: string, params?: unknown[]) {
    captured.push({ sql, params: params ?? [] });
    return db.query<T>(sql, params);
  },
  exec: (sql: string) => db.exec(sql),
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction(fn),
  close: () => db.close(),
};
const service = new Instances(capturing, null as never, 0);
const [{ maxseq }] = await db.query<{ maxseq: number }>(`select max(seq)::int as maxseq from instances`);
const someWorkflow = (await db.query<{ id: string }>(`select md5('wf7')::uuid::text as id`))[0].id;

const variants: { name: string; query: Record<string, string>; target?: number }[] = [
  { name: 'list', query: {} },
  { name: 'list newest first', query: { order: 'desc' } },
  { name: 'list by workflow', query: { workflowID: someWorkflow } },
  { name: 'list running', query: { running: 'true' } },
  { name: 'list failed, newest first', query: { status: 'failed', order: 'desc' } },
  // The variables search (docs/instance-search.md): selective conditions are narrowed by the
  // index, frequent ones checked row by row in list order.
  { name: 'search userID = 42 (2 runs)', query: { vars: 'userID = 42', order: 'desc' }, target: 50 },
  { name: 'search userID ^= 4242 (22 runs)', query: { vars: 'userID ^= 4242', order: 'desc' }, target: 50 },
  { name: 'search amount > 9980 (0.2 %)', query: { vars: 'amount > 9980', order: 'desc' }, target: 50 },
  { name: 'search amount > 1000 (90 %)', query: { vars: 'amount > 1000', order: 'desc' }, target: 50 },
  { name: 'search userID = 4* (22 %)', query: { vars: 'userID = 4*', order: 'desc' }, target: 50 },
  { name: 'search failed and amount > 9000 (0.4 %)', query: { status: 'failed', vars: 'amount > 9000', order: 'desc' }, target: 50 },
];
const { parseInstanceListFilters, checkInstanceFilters } = await import('../../server/http/instance-filters.js');
const lists: { name: string; path: string; plan: string; target?: number }[] = [];
const decode = (c: string) => JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
const encode = (t: unknown) => Buffer.from(JSON.stringify(t)).toString('base64url');
for (const v of variants) {
  const filters = { workflowID: v.query.workflowID, running: v.query.running === 'true' || undefined, ...parseInstanceListFilters((k) => v.query[k]) };
  const qs = new URLSearchParams({ ...v.query, pageSize: String(PAGE) }).toString();
  captured.length = 0;
  const first = await service.list(parsePageRequest({ pageSize: String(PAGE) }, filters, checkInstanceFilters));
  // The last query is the page's; a search asks the index first (those plans come first).
  const plan = (await Promise.all(captured.map(explain))).join('\n--\n');
  lists.push({ name: `${v.name}, first page`, path: `/api/orchestration/v2/instances?${qs}`, plan, target: v.target });
  if (!first.next) {
    if (v.query.vars) continue; // a search with a single page has no deep cursor
    throw new Error(`size: ${v.name} has a single page`);
  }
  // Move the first page's cursor 90 % of the seq range deeper (less when that is past the end).
  const token = decode(first.next);
  let deep = '';
  for (const fraction of [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.01, 0]) {
    const a = token.a + Math.round(maxseq * fraction);
    if (!Number.isSafeInteger(a)) continue; // newest first: past the oldest instance
    deep = encode({ ...token, a });
    captured.length = 0;
    const page = await service.list(parsePageRequest({ cursor: deep }, filters, checkInstanceFilters));
    if (page.data.length > 0) break;
  }
  const deepPlan = (await Promise.all(captured.map(explain))).join('\n--\n');
  lists.push({ name: `${v.name}, deep cursor`, path: `/api/orchestration/v2/instances?cursor=${deep}`, plan: deepPlan, target: v.target });
}

// ---- single reads: 1,000 random instances
const ids = (await db.query<{ id: string }>(`select id from instances order by md5(id || 'pick') limit 1000`)).map((r) => r.id);
captured.length = 0;
await service.get(ids[0]);
const getPlans = await Promise.all(captured.map(explain));
await db.close();
writeResult({ instances, workflows, fillSeconds, lists, ids, getPlans });

async function explain(q: { sql: string; params: unknown[] }): Promise<string> {
  const rows = await db.query<Record<string, string>>(`explain (analyze, costs off, timing on) ${q.sql}`, q.params);
  return rows.map((r) => Object.values(r)[0]).join('\n');
}
// Nothing else to wait for (a library's idle timers must not hold the bench up).
process.exit(0);
