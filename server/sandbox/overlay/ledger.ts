import { SandboxError, invalid } from '../errors.js';
import type { Account, AccountVolumes, CreateTransactionInput, Transaction, Volume, WriteOptions } from '../ledger.js';
import { checkLedgerName, checkV1Lookup, planCommit, programOf } from '../ledger-rules.js';
import { accountsOf } from '../numscript.js';
import type { StageLedger } from '../services.js';
import { isValidAddress } from '../validate.js';
import type { WalletsLedger } from '../wallets.js';
import type { Journal } from './journal.js';
import type { ReadSource } from './source.js';

interface Held {
  account: Account;
  /** false: never used (in the source, and not yet here) */
  exists: boolean;
}

const cloneVolumes = (v: Record<string, Volume>): Record<string, Volume> =>
  Object.fromEntries(Object.entries(v).map(([asset, x]) => [asset, { input: x.input, output: x.output }]));
const cloneAccount = (a: Account): Account => ({ ...a, metadata: { ...a.metadata }, volumes: cloneVolumes(a.volumes) });
const matches = (metadata: Record<string, string>, match: Record<string, string>) => Object.entries(match).every(([k, v]) => metadata[k] === v);

/**
 * The ledger of a simulation: accounts are read once from a read-only source, then live in
 * memory, where transactions and metadata are applied with the sandbox ledger's own rules
 * (ledger-rules.ts). Nothing is ever written to the source. It serves the stage activities and
 * the wallets' moves (WalletMoves over this ledger), so a dry-run decides exactly as a run would.
 */
export class OverlayLedger implements StageLedger, WalletsLedger {
  private readonly accounts = new Map<string, Held>();
  private readonly references = new Map<string, Transaction>();
  private readonly lastIds = new Map<string, number>();
  private readonly ledgers = new Map<string, Promise<boolean>>();

  constructor(
    private readonly source: ReadSource,
    private readonly journal: Journal,
  ) {}

  private async held(ledger: string, address: string): Promise<Held> {
    return (await this.heldAll(ledger, [address])).get(address)!;
  }

  /** The accounts as held here, reading those not read yet from the source in one call. */
  private async heldAll(ledger: string, addresses: string[]): Promise<Map<string, Held>> {
    const key = (a: string) => `${ledger}\u0000${a}`;
    const missing = [...new Set(addresses)].filter((a) => !this.accounts.has(key(a)));
    if (missing.length) {
      const found = await this.source.accounts(ledger, missing);
      // a concurrent call may have loaded some meanwhile: keep the first (it may already be changed)
      for (const a of missing) {
        if (this.accounts.has(key(a))) continue;
        const acc = found.get(a);
        this.accounts.set(key(a), acc ? { account: cloneAccount(acc), exists: true } : { account: { address: a, metadata: {}, volumes: {} }, exists: false });
      }
    }
    return new Map(addresses.map((a) => [a, this.accounts.get(key(a))!]));
  }

  /** Writing to a ledger the source does not have: as the stack's ledger v2 answers it. */
  private async requireLedger(ledger: string): Promise<void> {
    if (this.source.createsLedgers || !this.source.ledgerExists) return;
    let exists = this.ledgers.get(ledger);
    if (!exists) {
      exists = this.source.ledgerExists(ledger);
      this.ledgers.set(ledger, exists);
    }
    if (!(await exists)) throw new SandboxError('LEDGER_NOT_FOUND', `ledger ${ledger} not found`);
  }

  /** Current balance of an account in this simulation (source + simulated moves). */
  async balance(ledger: string, address: string, asset: string): Promise<bigint> {
    const v = (await this.held(ledger, address)).account.volumes[asset];
    return v ? v.input - v.output : 0n;
  }

  /** The account as held now, without reading the source (null when never read). */
  peek(ledger: string, address: string): Account | null {
    return this.accounts.get(`${ledger}\u0000${address}`)?.account ?? null;
  }

  async findAccount(ledger: string, address: string): Promise<Account | null> {
    const h = await this.held(ledger, address);
    return h.exists ? cloneAccount(h.account) : null;
  }

  async getAccountV1(ledger: string, address: string): Promise<Account> {
    checkV1Lookup(ledger, address);
    return cloneAccount((await this.held(ledger, address)).account);
  }

  async accountsWithMetadata(ledger: string, match: Record<string, string>, opts: { addressPattern?: string; limit?: number; offset?: number } = {}): Promise<Account[]> {
    const limit = opts.limit ?? 1000;
    const found = new Map<string, Account>();
    for (const a of await this.source.accountsWithMetadata(ledger, match, opts)) {
      const key = `${ledger}\u0000${a.address}`;
      if (!this.accounts.has(key)) this.accounts.set(key, { account: cloneAccount(a), exists: true });
      const h = this.accounts.get(key)!;
      if (matches(h.account.metadata, match)) found.set(a.address, cloneAccount(h.account));
    }
    // accounts this simulation gave matching metadata (the source does not know them)
    if (!opts.addressPattern) {
      for (const [key, h] of this.accounts) {
        if (!key.startsWith(`${ledger}\u0000`) || !h.exists || found.has(h.account.address)) continue;
        if (matches(h.account.metadata, match)) found.set(h.account.address, cloneAccount(h.account));
      }
    }
    return [...found.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)).slice(0, limit);
  }

  async findTransactionByReference(ledger: string, reference: string): Promise<Transaction | null> {
    return this.references.get(`${ledger}\u0000${reference}`) ?? (await this.source.transactionByReference(ledger, reference));
  }

  async createTransaction(ledger: string, input: CreateTransactionInput, _opts: WriteOptions = {}): Promise<{ transaction: Transaction; idempotencyHit: boolean }> {
    const program = programOf(input);
    if (input.reference === '') input = { ...input, reference: undefined };
    checkLedgerName(ledger);
    await this.requireLedger(ledger);
    if (input.reference && (await this.findTransactionByReference(ledger, input.reference))) {
      throw new SandboxError('CONFLICT', `duplicate reference '${input.reference}'`);
    }
    const held = await this.heldAll(ledger, [...accountsOf(program), ...Object.keys(input.accountMetadata ?? {})]);
    const pre: AccountVolumes = {};
    for (const [a, h] of held) pre[a] = cloneVolumes(h.account.volumes);
    const plan = planCommit(program, input, pre);

    const now = new Date();
    for (const [address, assets] of Object.entries(plan.postCommit)) {
      const h = held.get(address) ?? (await this.held(ledger, address));
      for (const [asset, after] of Object.entries(assets)) h.account.volumes[asset] = { input: after.input, output: after.output };
      this.touch(h, now);
    }
    for (const [address, m] of Object.entries(plan.accountMeta)) this.merge(await this.held(ledger, address), m, now);

    const transaction: Transaction = {
      ledger,
      id: await this.nextId(ledger),
      postings: plan.postings,
      metadata: plan.metadata,
      timestamp: input.timestamp ?? now,
      insertedAt: now,
      updatedAt: now,
      reference: input.reference,
      reverted: false,
      preCommitVolumes: plan.preCommit,
      postCommitVolumes: plan.postCommit,
    };
    if (input.reference) this.references.set(`${ledger}\u0000${input.reference}`, transaction);
    this.journal.push({ kind: 'transaction', transaction });
    return { transaction, idempotencyHit: false };
  }

  async addAccountMetadata(ledger: string, address: string, metadata: Record<string, string>, _opts: WriteOptions = {}): Promise<void> {
    if (!isValidAddress(address)) throw invalid(`invalid account address '${address}'`);
    checkLedgerName(ledger);
    await this.requireLedger(ledger);
    this.merge(await this.held(ledger, address), metadata, new Date());
    this.journal.push({ kind: 'metadata', ledger, address, metadata: { ...metadata } });
  }

  private touch(h: Held, now: Date) {
    if (!h.exists) {
      h.exists = true;
      h.account.firstUsage = now;
      h.account.insertionDate = now;
    }
    h.account.updatedAt = now;
  }

  private merge(h: Held, metadata: Record<string, string>, now: Date) {
    h.account.metadata = { ...h.account.metadata, ...metadata };
    this.touch(h, now);
  }

  /**
   * Simulated transactions are numbered within the simulation (1, 2, …, per ledger): the real
   * ids are not predicted, since another run may take them first.
   */
  private async nextId(ledger: string): Promise<number> {
    const id = (this.lastIds.get(ledger) ?? 0) + 1;
    this.lastIds.set(ledger, id);
    return id;
  }
}
