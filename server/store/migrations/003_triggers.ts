/** Triggers, their occurrences, dedupe slots and durable consumer offsets on the event log. */
export default /* sql */ `
create table triggers (
  seq bigserial unique,
  id text primary key,
  name text not null default '',
  event text not null,
  version text,
  filter text,
  vars jsonb,
  workflow_id text not null references workflows (id),
  created_at timestamptz not null,
  deleted_at timestamptz
);
create index triggers_event on triggers (event) where deleted_at is null;

create table trigger_occurrences (
  seq bigserial unique,
  id text primary key,
  trigger_id text not null references triggers (id),
  date timestamptz not null,
  event jsonb not null,
  event_seq bigint not null,
  workflow_instance_id text references instances (id),
  error text
);
create index trigger_occurrences_trigger on trigger_occurrences (trigger_id, seq);

-- SAVED_PAYMENT / SAVED_ACCOUNT fire at most once per (trigger, payload id)
create table trigger_dedupe (
  trigger_id text not null,
  key text not null,
  primary key (trigger_id, key)
);

-- how far each consumer has read the event log (advanced in the same transaction as its effects)
create table consumer_offsets (
  name text primary key,
  seq bigint not null
);
`;
