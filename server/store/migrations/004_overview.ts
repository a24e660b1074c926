/**
 * The overview's aggregates (server/flows/overview/): a normalized failure reason on each failed
 * instance, and rollups of instance outcomes so that the overview answers from a few hundred rows
 * whatever the number of instances.
 *
 * * `flows_error_reason(error)`: the failure text with ids, account segments and amounts masked
 *   (`insufficient funds on users:42` → `insufficient funds on users:{n}`). The same rules are
 *   written in TypeScript in server/flows/overview/normalize.ts (remote mode has no database);
 *   a test holds the two to the same output.
 * * `instances.error_reason`: that reason, stored (a generated column), for failed instances only.
 * * Rollups: every change of an instance's outcome appends signed counts to `overview_deltas`
 *   (a row trigger, only when an instance is created or terminates: the engine's other updates
 *   do not fire it). Appending never contends with other writers. The overview folds the deltas
 *   into `overview_stats` at three grains (5 min, 1 h, 1 day) now and then, and reads both.
 *   Metrics: 1 started (by start time and current outcome), 2 ended (by end time and outcome),
 *   3 failure (by end time, reason, workflow; first/last seen, an example), 4 duration of
 *   succeeded runs (by end time, workflow, a 10 % log-scale bin).
 * * Instances of deleted workflows are left out, as the instance lists leave them out: deleting a
 *   workflow appends the opposite of its instances' counts; their later changes are not counted.
 *   The row trigger takes a share lock on the workflow row, so a deletion and a termination
 *   running at once on PostgreSQL are counted one after the other.
 */
export default /* sql */ `
create function flows_error_reason(e text) returns text
language sql immutable parallel safe as $$
  select left(
    regexp_replace(
      regexp_replace(
        regexp_replace(
          btrim(regexp_replace(e, '[ \\t\\r\\n\\f\\v]+', ' ', 'g'), ' '),
          '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}', '{id}', 'g'),
        '(^|[^A-Za-z0-9_])(?=[A-Za-z0-9_]{8})[A-Za-z_]*[0-9][A-Za-z0-9_]*', '\\1{id}', 'g'),
      '(^|[^A-Za-z0-9_/])[0-9]+', '\\1{n}', 'g'),
    300)
$$;

-- 0 running, 1 succeeded, 2 failed, 3 aborted (the instance list's status filter)
create function flows_outcome(terminated boolean, error text) returns smallint
language sql immutable parallel safe as $$
  select (case when not terminated then 0
               when coalesce(error, '') = '' then 1
               when error in ('canceled', 'cancelled') then 3
               else 2 end)::smallint
$$;

create function flows_bucket(t timestamptz, grain integer) returns timestamptz
language sql immutable parallel safe as $$
  select to_timestamp(floor(extract(epoch from t) / grain) * grain)
$$;

-- 10 % log-scale bins of a duration in milliseconds (bin b covers [1.1^b, 1.1^(b+1)) ms)
create function flows_duration_bin(d interval) returns smallint
language sql immutable parallel safe as $$
  select floor(ln(greatest(extract(epoch from d) * 1000, 1)) / ln(1.1))::smallint
$$;

alter table instances add column error_reason text
  generated always as (case when flows_outcome(terminated, error) = 2 then flows_error_reason(error) end) stored;

create table overview_deltas (
  seq bigserial primary key,
  metric smallint not null,
  -- 5-minute bucket
  bucket timestamptz not null,
  outcome smallint not null default 0,
  workflow_id text not null default '',
  reason text not null default '',
  bin smallint not null default 0,
  n bigint not null,
  first_at timestamptz,
  last_at timestamptz,
  last_instance text
);
create index overview_deltas_metric on overview_deltas (metric, bucket);

create table overview_stats (
  metric smallint not null,
  grain integer not null,
  bucket timestamptz not null,
  outcome smallint not null,
  workflow_id text not null,
  reason text not null,
  bin smallint not null,
  n bigint not null,
  first_at timestamptz,
  last_at timestamptz,
  last_instance text,
  primary key (metric, grain, bucket, outcome, workflow_id, reason, bin)
);
create index overview_stats_empty on overview_stats (metric) where n = 0;

-- What one instance row counts for (one row per metric it takes part in). PL/pgSQL, so that
-- the planner does not inline it into callers (inlined into a lateral join it hits a planner
-- error, "variable not found in subplan target list").
create function overview_contributions(i instances)
returns table (metric smallint, bucket timestamptz, outcome smallint, workflow_id text, reason text, bin smallint, at timestamptz, instance_id text)
language plpgsql stable as $$
declare
  o smallint := flows_outcome(i.terminated, i.error);
begin
  return query select 1::smallint, flows_bucket(i.created_at, 300), o, ''::text, ''::text, 0::smallint, null::timestamptz, null::text;
  if i.terminated and i.terminated_at is not null then
    return query select 2::smallint, flows_bucket(i.terminated_at, 300), o, ''::text, ''::text, 0::smallint, null::timestamptz, null::text;
    if i.error_reason is not null then
      return query select 3::smallint, flows_bucket(i.terminated_at, 300), o, i.workflow_id, i.error_reason, 0::smallint, i.terminated_at, i.id;
    elsif o = 1 then
      return query select 4::smallint, flows_bucket(i.terminated_at, 300), o, i.workflow_id, ''::text, flows_duration_bin(i.terminated_at - i.created_at), null::timestamptz, null::text;
    end if;
  end if;
end $$;

create function overview_track_instance() returns trigger
language plpgsql as $$
begin
  perform 1 from workflows w where w.id = new.workflow_id and w.deleted_at is null for share;
  if not found then
    return null;
  end if;
  if tg_op = 'INSERT' then
    insert into overview_deltas (metric, bucket, outcome, workflow_id, reason, bin, n, first_at, last_at, last_instance)
    select c.metric, c.bucket, c.outcome, c.workflow_id, c.reason, c.bin, 1, c.at, c.at, c.instance_id
    from overview_contributions(new) c;
  else
    insert into overview_deltas (metric, bucket, outcome, workflow_id, reason, bin, n, first_at, last_at, last_instance)
    select d.metric, d.bucket, d.outcome, d.workflow_id, d.reason, d.bin, sum(d.n), min(d.at), max(d.at), max(d.instance_id)
    from (
      select c.*, 1 as n from overview_contributions(new) c
      union all
      select c.metric, c.bucket, c.outcome, c.workflow_id, c.reason, c.bin, null, null, -1 from overview_contributions(old) c
    ) d
    group by d.metric, d.bucket, d.outcome, d.workflow_id, d.reason, d.bin
    having sum(d.n) <> 0;
  end if;
  return null;
end $$;

create trigger overview_track_insert after insert on instances
  for each row execute function overview_track_instance();
create trigger overview_track_update after update on instances
  for each row
  when (old.terminated is distinct from new.terminated or old.error is distinct from new.error
        or old.terminated_at is distinct from new.terminated_at or old.created_at is distinct from new.created_at
        or old.workflow_id is distinct from new.workflow_id)
  execute function overview_track_instance();

create function overview_forget_workflow() returns trigger
language plpgsql as $$
begin
  insert into overview_deltas (metric, bucket, outcome, workflow_id, reason, bin, n)
  with c as materialized (
    select c.metric, c.bucket, c.outcome, c.workflow_id, c.reason, c.bin
    from instances i cross join lateral overview_contributions(i) c
    where i.workflow_id = new.id)
  select metric, bucket, outcome, workflow_id, reason, bin, -count(*) from c
  group by metric, bucket, outcome, workflow_id, reason, bin;
  return null;
end $$;

create trigger overview_forget_workflow after update of deleted_at on workflows
  for each row when (old.deleted_at is null and new.deleted_at is not null)
  execute function overview_forget_workflow();

-- Overview figures and the instance-list filters that show the rows behind them.
create index instances_reason_seq on instances (error_reason, seq) where error_reason is not null;
create index instances_waiting_seq on instances (seq) where not terminated and waiting_event is not null;
create index instances_terminated_at on instances (terminated_at) where terminated;
create index stages_open on stages (run_name, started_at) where terminated_at is null;
create index activities_retrying on activities (attempt) where not terminated and next_execution is not null;
`;
