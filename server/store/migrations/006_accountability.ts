/**
 * Accountability (docs/accountability.md): the audit log, the console's own settings, approval
 * policies of workflows and approval requests (four eyes).
 *
 * The audit log is two append-only tables: an entry, written before the action it records, and
 * at most one outcome per entry, written once the action has answered. Triggers refuse UPDATE,
 * DELETE and TRUNCATE on both, so no code path of the server (nor a stray SQL statement) can
 * change or remove what was recorded.
 */
export default /* sql */ `
create table audit_entries (
  seq bigint generated always as identity primary key,
  id text not null unique,
  at timestamptz not null,
  actor_kind text not null,
  actor text not null,
  access text not null,
  via text not null,
  action text not null,
  target_type text not null,
  target_id text not null default '',
  reason text,
  request_id text not null,
  method text not null,
  path text not null,
  mode text not null,
  details jsonb not null default '{}'
);
create index audit_entries_target on audit_entries (target_type, target_id, seq);
create index audit_entries_actor on audit_entries (actor, seq);
create index audit_entries_action on audit_entries (action, seq);
create index audit_entries_request on audit_entries (request_id);

create table audit_outcomes (
  entry_id text primary key references audit_entries (id),
  at timestamptz not null,
  outcome text not null,
  status integer not null,
  error_code text,
  error_message text,
  answered_by text not null,
  result_type text,
  result_id text
);
create index audit_outcomes_result on audit_outcomes (result_type, result_id) where result_id is not null;

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % on % is refused', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_entries_append_only before update or delete on audit_entries
  for each row execute function audit_log_is_append_only();
create trigger audit_entries_no_truncate before truncate on audit_entries
  for each statement execute function audit_log_is_append_only();
create trigger audit_outcomes_append_only before update or delete on audit_outcomes
  for each row execute function audit_log_is_append_only();
create trigger audit_outcomes_no_truncate before truncate on audit_outcomes
  for each statement execute function audit_log_is_append_only();

create table console_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null,
  updated_by text not null
);

create table workflow_policies (
  workflow_id text primary key,
  requires_approval boolean not null,
  updated_at timestamptz not null,
  updated_by text not null
);

create table approvals (
  seq bigint generated always as identity primary key,
  id text not null unique,
  workflow_id text not null,
  workflow_name text not null default '',
  variables jsonb not null,
  held_because jsonb not null,
  sends jsonb not null,
  requested_at timestamptz not null,
  requested_by_kind text not null,
  requested_by text not null,
  request_reason text,
  expires_at timestamptz not null,
  status text not null,
  decided_at timestamptz,
  decided_by_kind text,
  decided_by text,
  decision_reason text,
  instance_id text,
  error text
);
create index approvals_status on approvals (status, seq);
create index approvals_workflow on approvals (workflow_id, seq);
`;
