/**
 * Working with many runs (docs/instance-search.md, docs/architecture.md "The console's own store"):
 *
 * * `instance_variables`: search by run variables. One row per variable of every instance,
 *   written by a statement trigger as instances are inserted (variables never change after
 *   that), so every writer (the engine, the trigger dispatcher, bulk loads) keeps it complete.
 *   It only narrows candidates: names and values are indexed by their first 200 characters
 *   (a btree entry has a size limit) and numbers only when they are plain decimals of bounded
 *   size; the list query checks the instance's own variables exactly.
 * * `console_views`: saved views of the lists, shared by everyone using this console server.
 * * `console_bulk_jobs` / `console_bulk_items`: an action on every instance of a filter, its
 *   targets fixed when it starts, each one's outcome recorded as it runs (resumed after a restart).
 */
export default /* sql */ `
create table instance_variables (
  instance_seq bigint not null,
  name text collate "C" not null,
  head text collate "C" not null,
  number numeric
);
create index instance_variables_text on instance_variables (name, head, instance_seq);
create index instance_variables_number on instance_variables (name, number, instance_seq) where number is not null;

create function index_instance_variables() returns trigger language plpgsql as $$
begin
  insert into instance_variables (instance_seq, name, head, number)
  select a.seq, left(e.key, 200), left(e.value, 200),
         case when e.value ~ '^-?[0-9]{1,60}([.][0-9]{1,30})?$' then e.value::numeric end
  from added a, jsonb_each_text(a.variables) e;
  return null;
end $$;

create trigger instances_index_variables after insert on instances
  referencing new table as added for each statement execute function index_instance_variables();

insert into instance_variables (instance_seq, name, head, number)
select i.seq, left(e.key, 200), left(e.value, 200),
       case when e.value ~ '^-?[0-9]{1,60}([.][0-9]{1,30})?$' then e.value::numeric end
from instances i, jsonb_each_text(i.variables) e;

create table console_views (
  id text primary key,
  -- instances | workflows | triggers
  list text not null,
  name text not null,
  -- filters, sort, columns, time range (flows/views.ts validates them)
  state jsonb not null,
  is_default boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index console_views_name on console_views (list, lower(name));
create unique index console_views_default on console_views (list) where is_default;

create table console_bulk_jobs (
  id text primary key,
  -- abort
  action text not null,
  -- the list filter it acts on, as query parameters
  filters jsonb not null,
  -- leave out instances started after this
  up_to timestamptz not null,
  total integer not null default 0,
  created_at timestamptz not null,
  -- when its instances were all listed (remote mode lists them from the stack after the start)
  ready_at timestamptz,
  finished_at timestamptz,
  -- asked to stop (or stopped by a failure of its own, then with error): pending items stay as they are
  stopped_at timestamptz,
  error text
);

create table console_bulk_items (
  job_id text not null references console_bulk_jobs (id),
  position integer not null,
  instance_id text not null,
  -- null while pending; done | skipped | failed
  outcome text,
  message text,
  at timestamptz,
  primary key (job_id, position)
);
create index console_bulk_items_pending on console_bulk_items (job_id, position) where outcome is null;
`;
