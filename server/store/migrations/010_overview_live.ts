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

create function overview_live_instances() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform overview_live_refresh(array(select n.id from n where not n.terminated and (n.waiting_event is not null or n.current_stage >= 0)), false);
  elsif tg_op = 'UPDATE' then
    perform overview_live_refresh(array(
      select n.id from n join o on o.id = n.id
      where n.terminated is distinct from o.terminated or n.waiting_event is distinct from o.waiting_event
         or n.current_stage is distinct from o.current_stage or n.workflow_id is distinct from o.workflow_id), false);
  else
    delete from overview_live where instance_id in (select o.id from o);
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

-- An activity counts only while it waits to be retried (not terminated, a next execution).
create function overview_live_activities() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform overview_live_refresh(array(select distinct n.instance_id from n where not n.terminated and n.next_execution is not null), true);
  elsif tg_op = 'UPDATE' then
    perform overview_live_refresh(array(
      select distinct n.instance_id from n join o on o.instance_id = n.instance_id and o.stage = n.stage and o.seq = n.seq
      where ((not n.terminated and n.next_execution is not null) or (not o.terminated and o.next_execution is not null))
        and (n.terminated, n.next_execution is null, n.attempt) is distinct from (o.terminated, o.next_execution is null, o.attempt)), true);
  else
    perform overview_live_refresh(array(select distinct o.instance_id from o where not o.terminated and o.next_execution is not null), true);
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
  return null;
end $$;

create trigger overview_live_workflows_update after update on workflows
  referencing old table as o new table as n for each statement execute function overview_live_workflows();

select overview_live_refresh(array(select id from instances where not terminated order by id), false);
`;
