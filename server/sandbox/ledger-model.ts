import type { Posting, Program } from './numscript.js';

/** The ledger's records as the service returns them, and how they are stored as rows. */

/** Volumes of one account for one asset; balance = input − output. */
export interface Volume {
  input: bigint;
  output: bigint;
}
/** address → asset → volumes */
export type AccountVolumes = Record<string, Record<string, Volume>>;

export interface LedgerInfo {
  id: number;
  name: string;
  bucket: string;
  metadata: Record<string, string>;
  features: Record<string, string>;
  addedAt: Date;
}

export interface Account {
  address: string;
  metadata: Record<string, string>;
  firstUsage?: Date;
  insertionDate?: Date;
  updatedAt?: Date;
  /** asset → volumes (empty for an account never used) */
  volumes: Record<string, Volume>;
}

export interface Transaction {
  ledger: string;
  id: number;
  postings: Posting[];
  metadata: Record<string, string>;
  timestamp: Date;
  insertedAt: Date;
  updatedAt: Date;
  reference?: string;
  reverted: boolean;
  revertedAt?: Date;
  preCommitVolumes: AccountVolumes;
  postCommitVolumes: AccountVolumes;
}

export interface CreateTransactionInput {
  postings?: Posting[];
  script?: { plain: string; vars?: Record<string, string> };
  /** already-compiled program (the wallets service builds its moves natively) */
  program?: Program;
  metadata?: Record<string, string>;
  reference?: string;
  timestamp?: Date;
  /** metadata written on accounts together with the transaction */
  accountMetadata?: Record<string, Record<string, string>>;
  /** lift every balance check */
  force?: boolean;
}

export interface WriteOptions {
  idempotencyKey?: string;
  /** run, return the result, persist and publish nothing */
  dryRun?: boolean;
  /** what the idempotency hash covers, when not the input itself (wallet operations) */
  hashInput?: unknown;
}

export function volumesToText(v: AccountVolumes) {
  const out: Record<string, Record<string, { input: string; output: string }>> = {};
  for (const [a, assets] of Object.entries(v)) {
    out[a] = {};
    for (const [asset, x] of Object.entries(assets)) out[a][asset] = { input: x.input.toString(), output: x.output.toString() };
  }
  return out;
}

export function volumesFromText(v: Record<string, Record<string, { input: string; output: string }>>): AccountVolumes {
  const out: AccountVolumes = {};
  for (const [a, assets] of Object.entries(v ?? {})) {
    out[a] = {};
    for (const [asset, x] of Object.entries(assets)) out[a][asset] = { input: BigInt(x.input), output: BigInt(x.output) };
  }
  return out;
}

export function rowToLedger(r: any): LedgerInfo {
  return { id: Number(r.id), name: r.name, bucket: r.bucket, metadata: r.metadata ?? {}, features: r.features ?? {}, addedAt: new Date(r.added_at) };
}

export function rowToAccount(r: any, volumes: Record<string, Volume>): Account {
  return {
    address: r.address,
    metadata: r.metadata ?? {},
    firstUsage: new Date(r.first_usage),
    insertionDate: new Date(r.insertion_date),
    updatedAt: new Date(r.updated_at),
    volumes,
  };
}

export function rowToTransaction(r: any): Transaction {
  const t: Transaction = {
    ledger: r.ledger,
    id: Number(r.id),
    postings: (r.postings as any[]).map((p) => ({ source: p.source, destination: p.destination, asset: p.asset, amount: BigInt(p.amount) })),
    metadata: r.metadata ?? {},
    timestamp: new Date(r.timestamp),
    insertedAt: new Date(r.inserted_at),
    updatedAt: new Date(r.updated_at),
    reverted: r.reverted,
    preCommitVolumes: volumesFromText(r.pre_commit_volumes),
    postCommitVolumes: volumesFromText(r.post_commit_volumes),
  };
  if (r.reference != null) t.reference = r.reference;
  if (r.reverted_at != null) t.revertedAt = new Date(r.reverted_at);
  return t;
}
