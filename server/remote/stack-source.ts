import { SandboxError, type SandboxErrorCode } from '../sandbox/errors.js';
import type { Account, Transaction, Volume } from '../sandbox/ledger.js';
import type { ReadSource } from '../sandbox/overlay/index.js';
import type { Connector, Payment, Provider, TransferInitiation } from '../sandbox/payments.js';
import type { StackClient } from './stack-client.js';

const enc = encodeURIComponent;
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v ?? 0))));
const date = (v: unknown): Date | undefined => (typeof v === 'string' && v ? new Date(v) : undefined);

export function accountFromJson(j: any): Account {
  const volumes: Record<string, Volume> = {};
  for (const [asset, v] of Object.entries<any>(j.volumes ?? {})) volumes[asset] = { input: big(v.input), output: big(v.output) };
  return { address: j.address, metadata: j.metadata ?? {}, firstUsage: date(j.firstUsage), insertionDate: date(j.insertionDate), updatedAt: date(j.updatedAt), volumes };
}

export function transactionFromJson(ledger: string, j: any): Transaction {
  const volumes = (v: any) =>
    Object.fromEntries(
      Object.entries<any>(v ?? {}).map(([a, assets]) => [
        a,
        Object.fromEntries(Object.entries<any>(assets).map(([asset, x]) => [asset, { input: big(x.input), output: big(x.output) }])),
      ]),
    );
  const t: Transaction = {
    ledger,
    id: Number(j.id),
    postings: (j.postings ?? []).map((p: any) => ({ source: p.source, destination: p.destination, asset: p.asset, amount: big(p.amount) })),
    metadata: j.metadata ?? {},
    timestamp: new Date(j.timestamp),
    insertedAt: new Date(j.insertedAt ?? j.timestamp),
    updatedAt: new Date(j.updatedAt ?? j.insertedAt ?? j.timestamp),
    reverted: !!j.reverted,
    preCommitVolumes: volumes(j.preCommitVolumes),
    postCommitVolumes: volumes(j.postCommitVolumes),
  };
  if (j.reference) t.reference = j.reference;
  return t;
}

export function paymentFromJson(j: any): Payment {
  return {
    id: j.id,
    reference: j.reference ?? '',
    connectorID: j.connectorID ?? '',
    provider: j.provider as Provider,
    type: j.type,
    status: j.status,
    scheme: j.scheme ?? 'other',
    asset: j.asset,
    amount: big(j.amount),
    initialAmount: big(j.initialAmount ?? j.amount),
    sourceAccountID: j.sourceAccountID ?? '',
    destinationAccountID: j.destinationAccountID ?? '',
    createdAt: new Date(j.createdAt),
    raw: j.raw ?? null,
    metadata: j.metadata ?? null,
    adjustments: (j.adjustments ?? []).map((a: any) => ({
      reference: a.reference ?? '',
      createdAt: new Date(a.createdAt ?? j.createdAt),
      status: a.status,
      amount: big(a.amount),
      raw: a.raw ?? {},
    })),
  };
}

/** A stack's error answer as the sandbox error the activities classify (same codes, same messages). */
function stackError(status: number, body: any, fallback: string): SandboxError {
  const code = (typeof body?.errorCode === 'string' ? body.errorCode : status === 404 ? 'NOT_FOUND' : 'VALIDATION') as SandboxErrorCode;
  return new SandboxError(code, typeof body?.errorMessage === 'string' ? body.errorMessage : fallback, status === 404 ? 404 : 400);
}

const matchQuery = (match: Record<string, string>, addressPattern?: string) => {
  const clauses: unknown[] = Object.entries(match).map(([k, v]) => ({ $match: { [`metadata[${k}]`]: v } }));
  if (addressPattern) clauses.push({ $match: { address: addressPattern } });
  return JSON.stringify(clauses.length === 1 ? clauses[0] : { $and: clauses });
};

/**
 * A remote stack as a simulation's read source: the ledger v2, wallets-on-ledger and payments v1
 * read APIs, GET only. Wallets are read where the wallets service keeps them, as accounts of its
 * ledger (default chart of accounts).
 */
export class StackReadSource implements ReadSource {
  constructor(
    private readonly stack: StackClient,
    private readonly signal?: AbortSignal,
  ) {}

  /** Ledger v2 writes on an unknown ledger are refused (404 LEDGER_NOT_FOUND): the stack creates none on the fly. */
  readonly createsLedgers = false;

  async ledgerExists(ledger: string): Promise<boolean> {
    const r = await this.stack.read(`/api/ledger/v2/${enc(ledger)}`, { signal: this.signal });
    if (r.status === 200) return true;
    if (r.status === 404) return false;
    throw stackError(r.status, r.body, `reading ledger ${ledger} failed`);
  }

  async accounts(ledger: string, addresses: string[]): Promise<Map<string, Account>> {
    const out = new Map<string, Account>();
    await Promise.all(
      addresses.map(async (address) => {
        const r = await this.stack.read(`/api/ledger/v2/${enc(ledger)}/accounts/${enc(address)}?expand=volumes`, { signal: this.signal });
        if (r.status === 404) return;
        if (r.status !== 200) throw stackError(r.status, r.body, `reading account ${address} failed`);
        out.set(address, accountFromJson(r.body.data));
      }),
    );
    return out;
  }

  async accountsWithMetadata(ledger: string, match: Record<string, string>, opts: { addressPattern?: string; limit?: number; offset?: number } = {}): Promise<Account[]> {
    const wanted = (opts.limit ?? 100) + (opts.offset ?? 0);
    const out: Account[] = [];
    let path = `/api/ledger/v2/${enc(ledger)}/accounts?expand=volumes&pageSize=${Math.min(100, wanted)}&query=${enc(matchQuery(match, opts.addressPattern))}`;
    for (;;) {
      const r = await this.stack.read(path, { signal: this.signal });
      if (r.status === 404) return [];
      if (r.status !== 200) throw stackError(r.status, r.body, 'listing accounts failed');
      out.push(...(r.body.cursor?.data ?? []).map(accountFromJson));
      if (out.length >= wanted || !r.body.cursor?.hasMore || !r.body.cursor?.next) break;
      path = `/api/ledger/v2/${enc(ledger)}/accounts?cursor=${enc(r.body.cursor.next)}`;
    }
    return out.slice(opts.offset ?? 0, wanted);
  }

  async transactionByReference(ledger: string, reference: string): Promise<Transaction | null> {
    const r = await this.stack.read(`/api/ledger/v2/${enc(ledger)}/transactions?pageSize=1&query=${enc(JSON.stringify({ $match: { reference } }))}`, {
      signal: this.signal,
    });
    if (r.status === 404) return null;
    if (r.status !== 200) throw stackError(r.status, r.body, 'listing transactions failed');
    const t = r.body.cursor?.data?.[0];
    return t && t.reference === reference ? transactionFromJson(ledger, t) : null;
  }

  async payment(id: string): Promise<Payment> {
    const r = await this.stack.read(`/api/payments/payments/${enc(id)}`, { signal: this.signal });
    if (r.status !== 200) throw stackError(r.status, r.body, `payment ${id} not found`);
    return paymentFromJson(r.body.data);
  }

  async connectors(): Promise<Connector[]> {
    const r = await this.stack.read('/api/payments/connectors', { signal: this.signal });
    if (r.status !== 200) throw stackError(r.status, r.body, 'listing connectors failed');
    return (r.body.data ?? []).map((c: any) => ({ id: c.connectorID, provider: c.provider, name: c.name ?? '', enabled: c.enabled !== false, createdAt: new Date(0) }));
  }

  /**
   * The payments API has no lookup by reference. The only references asked for here are a
   * dry-run's own (one per simulated call), which no real initiation carries.
   */
  async transferByReference(_reference: string): Promise<TransferInitiation | null> {
    return null;
  }
}
