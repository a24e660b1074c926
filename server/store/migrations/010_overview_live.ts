/**
 * The overview's live figures (Now: waiting, delayed, retrying; Needs attention) kept up to
 * date as the engine writes, so that a request reads the few thousand live rows of one narrow
 * table instead of visiting every running instance, its current stage and its activities
 * (docs/overview.md "Where the time goes").
 *
 * `overview_live` has one row per running instance of a workflow not deleted that is waiting for
 * an event, delayed or retrying, with what the figures and their thresholds need:
 * * `waiting`: `waiting_event` is set; `stage_started`: when its current stage started;
 * * `delayed`: its current stage is an open `RunDelay`; `resumes_at`: its task's `run_at`;
 * * `retry_attempt`: the highest `attempt` of its current stage's activities waiting to be
 *   retried (null: none).
 * These are the instance list's own conditions (server/flows/instance-list.ts `STATE_SQL`,
 * `stageStartedBefore`, `minRetries`, `resumesAfter`); a test holds the two to the same rows.
 *
 * Statement triggers on every table those conditions read (instances, stages, activities, tasks,
 * workflows) recompute the rows of the instances a statement touched, from what is stored at that
 * point of the transaction, so the table changes in the same transaction as the write it follows:
 * a crash cannot leave it behind, and whatever order a transaction writes in, the last statement
 * touching an instance's inputs leaves its row right. Each trigger only passes on the instances
 * whose change can matter (a task's `run_at` only for an instance already live, an activity only
 * when it is or was waiting to be retried, ...), and one recompute serves a whole statement, so
 * the engine's batched writes (group commit) pay once per batch.
 *
 * Several servers on one PostgreSQL: a recompute first locks the instance rows (as any update of
 * them would), so two transactions writing one instance's rows recompute it one after the other,
 * the second from what the first committed.
 */
/** Money-moving activities: once one of a send stage's completed, its source has been drawn. */
const MOVING = `'CreateTransaction', 'CreditWallet', 'DebitWallet', 'CreateTransferInitiation'`;

export default /* sql */ `
create table overview_live (
  instance_id text primary key,
  workflow_id text not null,
  seq bigint not null,
  waiting boolean not null,
  stage_started timestamptz,
  delayed boolean not null,
  resumes_at timestamptz,
  retry_attempt integer
);
create index overview_live_waiting on overview_live (stage_started, seq) where waiting;
create index overview_live_retrying on overview_live (retry_attempt desc, seq) where retry_attempt is not null;
create index overview_live_delayed on overview_live (resumes_at desc, seq) where delayed;
create index overview_live_workflow on overview_live (workflow_id);

-- Recomputes the rows of the instances 'ids'. 'lock': lock their instance rows first (the caller
-- has not updated them in this statement).
create function overview_live_refresh(ids text[], lock boolean) returns void
language plpgsql volatile as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  if lock then
    perform 1 from instances where id = any(ids) order by id for no key update;
  end if;
  with s as (
    select i.id, i.workflow_id, i.seq, i.waiting_event is not null as waiting, cs.started_at as stage_started,
           coalesce(cs.run_name = 'RunDelay' and cs.terminated_at is null, false) as delayed,
           (select t.run_at from tasks t where t.instance_id = i.id) as resumes_at,
           (select max(a.attempt) from activities a
            where a.instance_id = i.id and a.stage = i.current_stage and not a.terminated and a.next_execution is not null) as retry_attempt
    from instances i
    join workflows w on w.id = i.workflow_id and w.deleted_at is null
    left join stages cs on cs.instance_id = i.id and cs.stage = i.current_stage
    where i.id = any(ids) and not i.terminated),
  live as materialized (
    select * from s where waiting or delayed or retry_attempt is not null),
  gone as (
    delete from overview_live l where l.instance_id = any(ids) and l.instance_id not in (select id from live))
  insert into overview_live as l (instance_id, workflow_id, seq, waiting, stage_started, delayed, resumes_at, retry_attempt)
  select id, workflow_id, seq, waiting, stage_started, delayed, resumes_at, retry_attempt from live
  on conflict (instance_id) do update set
    workflow_id = excluded.workflow_id, seq = excluded.seq, waiting = excluded.waiting, stage_started = excluded.stage_started,
    delayed = excluded.delayed, resumes_at = excluded.resumes_at, retry_attempt = excluded.retry_attempt
  where (l.workflow_id, l.seq, l.waiting, l.stage_started, l.delayed, l.resumes_at, l.retry_attempt)
        is distinct from (excluded.workflow_id, excluded.seq, excluded.waiting, excluded.stage_started, excluded.delayed, excluded.resumes_at, excluded.retry_attempt);
end $$;

-- Money in flight (server/flows/overview/pending-sends.ts): the variables a workflow's sends use,
-- as server/flows/overview/pending-sends.ts reads them from its definition (a test holds both to
-- the same answer): placeholders anywhere in its send stages; amount keys, used only as the
-- whole amount of sends from accounts or wallets; the index of its last send. Null: no send.
create function flows_placeholders(v jsonb) returns text[]
language sql immutable parallel safe as $$
  select coalesce(array_agg(distinct m[1]), '{}')
  from jsonb_path_query(v, 'strict $.**') x, regexp_matches(x #>> '{}', '\\$\\{([^}]+)\\}', 'g') m
  where jsonb_typeof(x) = 'string'
$$;

-- JavaScript's truthiness of a JSON value (missing, null, false, 0 and "" are false).
create function flows_truthy(v jsonb) returns boolean
language sql immutable parallel safe as $$
  select v is not null and v not in ('null'::jsonb, 'false'::jsonb, '0'::jsonb, '""'::jsonb)
$$;

-- Its search_path is the one it was created with: it computes a stored column, which pg_restore
-- fills with an empty search_path, where its helpers above would not be found.
create function flows_send_keys(config jsonb) returns jsonb
language sql immutable parallel safe set search_path from current as $$
  with sends as (
    select s.stage, s.idx - 1 as idx, flows_placeholders(s.stage) as vars,
           case when jsonb_typeof(s.stage->'send'->'amount'->'amount') = 'string' and not flows_truthy(s.stage->'send'->'source'->'payment')
                then substring(s.stage->'send'->'amount'->>'amount' from '^\\$\\{([^}]+)\\}$') end as whole
    from jsonb_array_elements(case when jsonb_typeof(config->'stages') = 'array' then config->'stages' else '[]' end) with ordinality s(stage, idx)
    where jsonb_typeof(s.stage) = 'object' and s.stage ? 'send'),
  rest as (
    select s.*, case when s.whole is not null then flows_placeholders(jsonb_set(s.stage->'send', '{amount,amount}', '""')) end as others from sends s),
  keys as (
    select distinct k from sends, unnest(sends.vars) k)
  select case when exists (select 1 from sends) then jsonb_build_object(
    'lastSend', (select max(idx) from sends),
    'keys', (select coalesce(jsonb_agg(k order by k), '[]') from keys),
    'amountKeys', (select coalesce(jsonb_agg(k order by k), '[]') from keys
                   where not exists (select 1 from rest r where k = any(r.vars) and (r.whole is distinct from k or k = any(r.others))))) end
$$;

alter table workflows add column send_keys jsonb generated always as (flows_send_keys(config)) stored;

-- One row per running instance (of a workflow not deleted) with a send still ahead of or at its
-- current stage: what its pending sends resolve with. 'moved': its current stage completed a
-- money-moving activity; 'vars': its variables restricted to the sends' keys, 'true' for an
-- amount key holding a valid amount; 'sums': those amounts; 'grp': md5 of vars (variables can be
-- long; an index entry cannot).
create table overview_pending (
  instance_id text primary key,
  workflow_id text not null,
  stage integer not null,
  moved boolean not null,
  vars jsonb not null,
  sums jsonb not null,
  grp text not null
);
create index overview_pending_group on overview_pending (workflow_id, stage, moved, grp, instance_id);

-- The same rows grouped (what a request reads): how many instances, the sum of each amount key.
-- Kept by adding what each recompute changed; a group that empties is removed.
create table overview_pending_groups (
  workflow_id text not null,
  stage integer not null,
  moved boolean not null,
  grp text not null,
  vars jsonb not null,
  n integer not null,
  sums jsonb not null,
  primary key (workflow_id, stage, moved, grp)
);
create index overview_pending_groups_empty on overview_pending_groups (n) where n = 0;

create function overview_pending_refresh(ids text[], lock boolean) returns void
language plpgsql volatile as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  if lock then
    perform 1 from instances where id = any(ids) order by id for no key update;
  end if;
  with k as (
    select i.id, i.workflow_id, i.current_stage, i.variables,
           array(select jsonb_array_elements_text(w.send_keys->'keys')) as keys,
           array(select jsonb_array_elements_text(w.send_keys->'amountKeys')) as amount_keys
    from instances i
    join workflows w on w.id = i.workflow_id and w.deleted_at is null and w.send_keys is not null
    where i.id = any(ids) and not i.terminated and i.current_stage <= (w.send_keys->>'lastSend')::int),
  v as (
    select k.id, k.workflow_id, k.current_stage as stage,
           exists (select 1 from activities a where a.instance_id = k.id and a.stage = k.current_stage
                   and a.terminated and a.error is null
                   and a.name in (${MOVING})) as moved,
           (select coalesce(jsonb_object_agg(e.key, case when e.key = any(k.amount_keys) and e.value #>> '{}' ~ '^[0-9]+$' then 'true'::jsonb else e.value end), '{}')
            from jsonb_each(k.variables) e where e.key = any(k.keys)) as vars,
           (select coalesce(jsonb_object_agg(e.key, e.value #>> '{}'), '{}')
            from jsonb_each(k.variables) e where e.key = any(k.amount_keys) and e.value #>> '{}' ~ '^[0-9]+$') as sums
    from k),
  p as materialized (
    select v.*, md5(v.vars::text) as grp from v),
  old as materialized (
    select * from overview_pending where instance_id = any(ids)),
  signed as materialized (
    select p.workflow_id, p.stage, p.moved, p.grp, p.vars, p.sums, 1 as n from p
    union all
    select o.workflow_id, o.stage, o.moved, o.grp, o.vars, o.sums, -1 from old o),
  amounts as (
    select s.workflow_id, s.stage, s.moved, s.grp, jsonb_object_agg(s.key, s.total::text) as sums
    from (select x.workflow_id, x.stage, x.moved, x.grp, e.key, sum(x.n * e.value::numeric) as total
          from signed x cross join jsonb_each_text(x.sums) e group by 1, 2, 3, 4, 5) s
    where s.total <> 0
    group by 1, 2, 3, 4),
  delta as (
    select c.workflow_id, c.stage, c.moved, c.grp, c.vars, c.n, coalesce(a.sums, '{}') as sums
    from (select workflow_id, stage, moved, grp, min(vars::text)::jsonb as vars, sum(n)::int as n from signed group by 1, 2, 3, 4) c
    left join amounts a on a.workflow_id = c.workflow_id and a.stage = c.stage and a.moved = c.moved and a.grp = c.grp
    where c.n <> 0 or a.sums is not null),
  grouped as (
    insert into overview_pending_groups as g (workflow_id, stage, moved, grp, vars, n, sums)
    select workflow_id, stage, moved, grp, vars, n, sums from delta order by workflow_id, stage, moved, grp
    on conflict (workflow_id, stage, moved, grp) do update set
      n = g.n + excluded.n,
      sums = (select coalesce(jsonb_object_agg(t.key, t.total::text), '{}')
              from (select e.key, sum(e.value::numeric) as total
                    from (select * from jsonb_each_text(g.sums) union all select * from jsonb_each_text(excluded.sums)) e group by e.key) t)),
  gone as (
    delete from overview_pending o where o.instance_id = any(ids) and o.instance_id not in (select id from p))
  insert into overview_pending as o (instance_id, workflow_id, stage, moved, vars, sums, grp)
  select id, workflow_id, stage, moved, vars, sums, grp from p
  on conflict (instance_id) do update set
    workflow_id = excluded.workflow_id, stage = excluded.stage, moved = excluded.moved, vars = excluded.vars, sums = excluded.sums, grp = excluded.grp
  where (o.workflow_id, o.stage, o.moved, o.grp, o.sums) is distinct from (excluded.workflow_id, excluded.stage, excluded.moved, excluded.grp, excluded.sums);
  delete from overview_pending_groups where n = 0;
end $$;

create function overview_live_instances() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform overview_live_refresh(array(select n.id from n where not n.terminated and (n.waiting_event is not null or n.current_stage >= 0)), false);
    perform overview_pending_refresh(array(select n.id from n where not n.terminated), false);
  elsif tg_op = 'UPDATE' then
    perform overview_live_refresh(array(
      select n.id from n join o on o.id = n.id
      where n.terminated is distinct from o.terminated or n.waiting_event is distinct from o.waiting_event
         or n.current_stage is distinct from o.current_stage or n.workflow_id is distinct from o.workflow_id), false);
    perform overview_pending_refresh(array(
      select n.id from n join o on o.id = n.id
      where n.terminated is distinct from o.terminated or n.current_stage is distinct from o.current_stage
         or n.workflow_id is distinct from o.workflow_id or n.variables is distinct from o.variables), false);
  else
    delete from overview_live where instance_id in (select o.id from o);
    delete from overview_pending where instance_id in (select o.id from o);
  end if;
  return null;
end $$;

create trigger overview_live_instances_insert after insert on instances
  referencing new table as n for each statement execute function overview_live_instances();
create trigger overview_live_instances_update after update on instances
  referencing old table as o new table as n for each statement execute function overview_live_instances();
create trigger overview_live_instances_delete after delete on instances
  referencing old table as o for each statement execute function overview_live_instances();

-- A stage row counts through the current stage's start (waiting) and an open RunDelay (delayed).
create function overview_live_stages() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform overview_live_refresh(array(select distinct n.instance_id from n), true);
  elsif tg_op = 'UPDATE' then
    perform overview_live_refresh(array(
      select distinct n.instance_id from n join o on o.instance_id = n.instance_id and o.stage = n.stage
      where n.started_at is distinct from o.started_at or n.run_name is distinct from o.run_name
         or n.terminated_at is distinct from o.terminated_at), true);
  else
    perform overview_live_refresh(array(select distinct o.instance_id from o), true);
  end if;
  return null;
end $$;

create trigger overview_live_stages_insert after insert on stages
  referencing new table as n for each statement execute function overview_live_stages();
create trigger overview_live_stages_update after update on stages
  referencing old table as o new table as n for each statement execute function overview_live_stages();
create trigger overview_live_stages_delete after delete on stages
  referencing old table as o for each statement execute function overview_live_stages();

-- An activity counts while it waits to be retried (not terminated, a next execution), and for
-- money in flight once it moved money.
create function overview_live_activities() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform overview_live_refresh(array(select distinct n.instance_id from n where not n.terminated and n.next_execution is not null), true);
    perform overview_pending_refresh(array(select distinct n.instance_id from n where n.terminated and n.error is null and n.name in (${MOVING})), true);
  elsif tg_op = 'UPDATE' then
    perform overview_live_refresh(array(
      select distinct n.instance_id from n join o on o.instance_id = n.instance_id and o.stage = n.stage and o.seq = n.seq
      where ((not n.terminated and n.next_execution is not null) or (not o.terminated and o.next_execution is not null))
        and (n.terminated, n.next_execution is null, n.attempt) is distinct from (o.terminated, o.next_execution is null, o.attempt)), true);
    perform overview_pending_refresh(array(
      select distinct n.instance_id from n join o on o.instance_id = n.instance_id and o.stage = n.stage and o.seq = n.seq
      where (n.terminated and n.error is null and n.name in (${MOVING})) is distinct from (o.terminated and o.error is null and o.name in (${MOVING}))), true);
  else
    perform overview_live_refresh(array(select distinct o.instance_id from o where not o.terminated and o.next_execution is not null), true);
    perform overview_pending_refresh(array(select distinct o.instance_id from o where o.terminated and o.error is null and o.name in (${MOVING})), true);
  end if;
  return null;
end $$;

create trigger overview_live_activities_insert after insert on activities
  referencing new table as n for each statement execute function overview_live_activities();
create trigger overview_live_activities_update after update on activities
  referencing old table as o new table as n for each statement execute function overview_live_activities();
create trigger overview_live_activities_delete after delete on activities
  referencing old table as o for each statement execute function overview_live_activities();

-- A task's run_at counts only for an instance already live (one that becomes live later is
-- recomputed then, reading its task).
create function overview_live_tasks() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform overview_live_refresh(array(select n.instance_id from n join overview_live l on l.instance_id = n.instance_id), true);
  elsif tg_op = 'UPDATE' then
    perform overview_live_refresh(array(
      select n.instance_id from n join o on o.instance_id = n.instance_id join overview_live l on l.instance_id = n.instance_id
      where n.run_at is distinct from o.run_at), true);
  else
    perform overview_live_refresh(array(select o.instance_id from o join overview_live l on l.instance_id = o.instance_id), true);
  end if;
  return null;
end $$;

create trigger overview_live_tasks_insert after insert on tasks
  referencing new table as n for each statement execute function overview_live_tasks();
create trigger overview_live_tasks_update after update on tasks
  referencing old table as o new table as n for each statement execute function overview_live_tasks();
create trigger overview_live_tasks_delete after delete on tasks
  referencing old table as o for each statement execute function overview_live_tasks();

-- Instances of a deleted workflow leave the figures, as they leave the lists.
create function overview_live_workflows() returns trigger
language plpgsql as $$
begin
  perform overview_live_refresh(array(
    select i.id from n join o on o.id = n.id join instances i on i.workflow_id = n.id and not i.terminated
    where n.deleted_at is distinct from o.deleted_at), true);
  perform overview_pending_refresh(array(
    select i.id from n join o on o.id = n.id join instances i on i.workflow_id = n.id and not i.terminated
    where n.deleted_at is distinct from o.deleted_at or n.send_keys is distinct from o.send_keys), true);
  return null;
end $$;

create trigger overview_live_workflows_update after update on workflows
  referencing old table as o new table as n for each statement execute function overview_live_workflows();

select overview_live_refresh(array(select id from instances where not terminated order by id), false);
select overview_pending_refresh(array(select id from instances where not terminated order by id), false);
`;
