/** Workflows, instances, stage runs, activities, the task queue and the event log. */
export default /* sql */ `
create table workflows (
  seq bigserial unique,
  id text primary key,
  name text not null default '',
  config jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz
);

create table instances (
  seq bigserial unique,
  id text primary key,
  workflow_id text not null references workflows (id),
  variables jsonb not null default '{}'::jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  terminated boolean not null default false,
  terminated_at timestamptz,
  error text,
  -- highest-numbered started stage (-1 before the first)
  current_stage integer not null default -1,
  -- set while parked in a wait_event stage
  waiting_event text,
  -- provenance: set when a trigger started the instance
  trigger_id text,
  occurrence_id text
);
create index instances_workflow_seq on instances (workflow_id, seq);
create index instances_running_seq on instances (seq) where not terminated;

create table stages (
  instance_id text not null references instances (id),
  stage integer not null,
  started_at timestamptz not null,
  terminated_at timestamptz,
  error text,
  -- runner name (RunSend, ...) and resolved input: null when the stage failed validation
  run_name text,
  input jsonb,
  -- runner-private durable state (timer target, received event, ...)
  state jsonb not null default '{}'::jsonb,
  primary key (instance_id, stage)
);

create table activities (
  instance_id text not null,
  stage integer not null,
  seq integer not null,
  name text not null,
  input jsonb not null,
  output jsonb,
  error text,
  terminated boolean not null default false,
  started_at timestamptz not null,
  terminated_at timestamptz,
  attempt integer not null default 1,
  last_failure text,
  next_execution timestamptz,
  primary key (instance_id, stage, seq)
);

-- At most one pending task per instance: what to do next and when.
create table tasks (
  instance_id text primary key,
  run_at timestamptz not null,
  lease_owner text,
  lease_until timestamptz
);
create index tasks_run_at on tasks (run_at);

-- The durable event bus: platform events (sandbox) and the events Flows publishes.
create table events (
  seq bigserial primary key,
  app text not null,
  version text not null,
  type text not null,
  payload jsonb not null,
  date timestamptz not null,
  idempotency_key text not null default ''
);
create index events_type_seq on events (type, seq);
`;
