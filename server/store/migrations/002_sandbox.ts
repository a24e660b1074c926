/**
 * The sandbox services (ledger, payments; wallets live on ledger accounts like upstream).
 * Amounts are `numeric` (arbitrary size, read as strings and turned into bigint); amounts inside
 * jsonb (postings, volumes) are JSON strings for the same reason.
 */
export default /* sql */ `
create table sb_ledgers (
  id bigserial primary key,
  name text not null unique,
  bucket text not null,
  metadata jsonb not null default '{}'::jsonb,
  features jsonb not null default '{}'::jsonb,
  added_at timestamptz not null,
  -- last transaction id (ids start at 1); updating it also serializes writes per ledger
  last_tx_id bigint not null default 0
);

create table sb_accounts (
  ledger text not null,
  address text not null,
  metadata jsonb not null default '{}'::jsonb,
  first_usage timestamptz not null,
  insertion_date timestamptz not null,
  updated_at timestamptz not null,
  primary key (ledger, address)
);

create table sb_volumes (
  ledger text not null,
  address text not null,
  asset text not null,
  input numeric not null default 0,
  output numeric not null default 0,
  primary key (ledger, address, asset)
);

create table sb_transactions (
  ledger text not null,
  id bigint not null,
  postings jsonb not null,
  metadata jsonb not null default '{}'::jsonb,
  timestamp timestamptz not null,
  inserted_at timestamptz not null,
  updated_at timestamptz not null,
  reference text,
  reverted boolean not null default false,
  reverted_at timestamptz,
  pre_commit_volumes jsonb not null,
  post_commit_volumes jsonb not null,
  -- every address of the postings (filters by account)
  accounts text[] not null,
  primary key (ledger, id)
);
create unique index sb_transactions_reference on sb_transactions (ledger, reference) where reference is not null;

-- Idempotency-Key records, per ledger: the input hash and what the first call produced.
create table sb_idempotency (
  ledger text not null,
  key text not null,
  hash text not null,
  result jsonb not null,
  created_at timestamptz not null,
  primary key (ledger, key)
);

create table sb_connectors (
  seq bigserial unique,
  id text primary key,
  provider text not null,
  name text not null,
  enabled boolean not null default true,
  created_at timestamptz not null
);

create table sb_psp_accounts (
  seq bigserial unique,
  id text primary key,
  connector_id text not null references sb_connectors (id),
  reference text not null,
  created_at timestamptz not null,
  type text not null,
  name text,
  default_asset text,
  metadata jsonb not null default '{}'::jsonb,
  raw jsonb
);

create table sb_payments (
  seq bigserial unique,
  id text primary key,
  connector_id text not null references sb_connectors (id),
  reference text not null,
  type text not null,
  status text not null,
  scheme text not null,
  asset text not null,
  amount numeric not null,
  initial_amount numeric not null,
  source_account_id text not null default '',
  destination_account_id text not null default '',
  created_at timestamptz not null,
  raw jsonb,
  metadata jsonb,
  adjustments jsonb not null default '[]'::jsonb
);

create table sb_transfer_initiations (
  seq bigserial unique,
  id text primary key,
  reference text not null unique,
  connector_id text not null references sb_connectors (id),
  created_at timestamptz not null,
  scheduled_at timestamptz not null,
  description text not null default '',
  source_account_id text not null default '',
  destination_account_id text not null,
  type text not null,
  amount numeric not null,
  initial_amount numeric not null,
  asset text not null,
  status text not null,
  error text,
  metadata jsonb,
  related_payments jsonb not null default '[]'::jsonb,
  related_adjustments jsonb not null default '[]'::jsonb
);
`;
