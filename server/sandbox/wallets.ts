import { createHash, randomUUID } from 'node:crypto';
import { SandboxError, invalid } from './errors.js';
import { hashOf } from './idempotency.js';
import type { Account, Ledger, Page, Transaction } from './ledger.js';
import type { Destination, Program, Source } from './numscript.js';
import { isValidAddress, isValidAsset } from './validate.js';

/**
 * The wallets service, stateless over the sandbox ledger exactly as upstream maps wallets onto
 * ledger accounts (docs/compatibility.md: sandbox wallets): `wallets:<id without '-'>:<balance>` accounts with
 * marker metadata, holds as `wallets:holds:<id>` accounts, moves as ledger transactions marked
 * `wallets/transaction: "true"`. No state of its own, no events of its own (the ledger's).
 */

export interface Subject {
  type: 'ACCOUNT' | 'WALLET';
  identifier: string;
  balance?: string;
}

export interface Monetary {
  asset: string;
  amount: bigint;
}

export interface Wallet {
  id: string;
  name: string;
  metadata: Record<string, string>;
  createdAt: Date;
  ledger: string;
  /** main balance: asset → balance */
  assets: Record<string, bigint>;
}

export interface Balance {
  name: string;
  expiresAt?: Date;
  priority?: number;
}

export interface Hold {
  id: string;
  walletID: string;
  asset: string;
  description: string;
  metadata: Record<string, string>;
  destination?: Subject;
  originalAmount: bigint;
  remaining: bigint;
}

export interface CreditRequest {
  amount: Monetary;
  sources?: Subject[];
  balance?: string;
  metadata?: Record<string, string>;
  reference?: string;
  timestamp?: Date;
}

export interface DebitRequest {
  amount: Monetary;
  metadata?: Record<string, string>;
  balances?: string[];
  destination?: Subject;
  pending?: boolean;
  description?: string;
  reference?: string;
  timestamp?: Date;
}

const K = {
  specType: 'wallets/spec/type',
  id: 'wallets/id',
  name: 'wallets/name',
  balances: 'wallets/balances',
  balanceName: 'wallets/balances/name',
  expiresAt: 'wallets/balances/expiresAt',
  priority: 'wallets/balances/priority',
  createdAt: 'wallets/createdAt',
  createHash: 'wallets/createRequestHash',
  custom: 'wallets/custom_data_',
  tx: 'wallets/transaction',
  holdId: 'wallets/holds/id',
  holdWallet: 'wallets/holds/wallet_id',
  holdAsset: 'wallets/holds/asset',
  holdDescription: 'wallets/holds/description',
  holdSubject: 'wallets/holds/subject',
} as const;
const PRIMARY = 'wallets.primary';
const HOLD = 'wallets.hold';

const strip = (s: string) => s.replaceAll('-', '');

function custom(metadata: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [K.custom + k, v]));
}
function uncustom(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata)
      .filter(([k]) => k.startsWith(K.custom))
      .map(([k, v]) => [k.slice(K.custom.length), v]),
  );
}

/** A UUID derived from an idempotency key, so a replayed create yields the same id. */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** What reading wallets and moving their money needs from a ledger (the sandbox's, or a simulation's overlay). */
export type WalletsLedger = Pick<Ledger, 'findAccount' | 'accountsWithMetadata' | 'createTransaction'>;

/**
 * Reading wallets, their balances and holds, and crediting / debiting them: everything a `send`
 * stage asks of the wallets service, over any ledger that reads accounts and commits transactions.
 */
export class WalletMoves {
  constructor(
    readonly ledger: WalletsLedger,
    /** the one ledger every wallet lives on (upstream flag `--ledger`) */
    readonly ledgerName: string,
  ) {}

  /** Ledger account of a wallet balance (upstream's layout: `wallets:<id>:<balance>`-style addresses). */
  account(walletId: string, balance = 'main'): string {
    return `wallets:${strip(walletId)}:${strip(balance)}`;
  }
  holdAccount(holdId: string): string {
    return `wallets:holds:${strip(holdId)}`;
  }
  /** A subject's ledger address. */
  subjectAccount(s: Subject): string {
    return s.type === 'WALLET' ? this.account(s.identifier, s.balance || 'main') : s.identifier;
  }

  // ---------------------------------------------------------------------------------------
  // Wallets

  async getWallet(id: string): Promise<Wallet | null> {
    const account = await this.ledger.findAccount(this.ledgerName, this.account(id)).catch(() => null);
    if (!account || account.metadata[K.specType] !== PRIMARY) return null;
    // the id is stored with its dashes; a lookup with another spelling must not invent one
    if (account.metadata[K.id] !== id) return null;
    return toWallet(account, this.ledgerName);
  }

  async requireWallet(id: string): Promise<Wallet> {
    const w = await this.getWallet(id);
    if (!w) throw new SandboxError('NOT_FOUND', `wallet ${id} not found`);
    return w;
  }

  async listWallets(opts: { name?: string; metadata?: Record<string, string>; pageSize?: number; offset?: number } = {}): Promise<{ data: Wallet[]; hasMore: boolean }> {
    const match: Record<string, string> = { [K.specType]: PRIMARY, ...custom(opts.metadata) };
    if (opts.name !== undefined) match[K.name] = opts.name;
    const pageSize = opts.pageSize ?? 15;
    const accounts = await this.ledger.accountsWithMetadata(this.ledgerName, match, { limit: pageSize + 1, offset: opts.offset ?? 0 });
    return { data: accounts.slice(0, pageSize).map((a) => toWallet(a, this.ledgerName)), hasMore: accounts.length > pageSize };
  }

  // ---------------------------------------------------------------------------------------
  // Balances

  /** Every balance of a wallet (`main` first), with its assets. */
  async listBalances(walletId: string): Promise<(Balance & { assets: Record<string, bigint> })[]> {
    const accounts = await this.ledger.accountsWithMetadata(this.ledgerName, { [K.id]: walletId, [K.balances]: 'true' });
    return accounts
      .filter((a) => a.address.startsWith(`wallets:${strip(walletId)}:`))
      .map((a) => ({ ...toBalance(a), assets: balancesOf(a) }))
      .sort((a, b) => (a.name === 'main' ? -1 : b.name === 'main' ? 1 : a.name.localeCompare(b.name)));
  }

  async getBalance(walletId: string, name: string): Promise<(Balance & { assets: Record<string, bigint> }) | null> {
    const account = await this.ledger.findAccount(this.ledgerName, this.account(walletId, name)).catch(() => null);
    if (!account || account.metadata[K.balances] !== 'true' || account.metadata[K.id] !== walletId) return null;
    return { ...toBalance(account), assets: balancesOf(account) };
  }

  // ---------------------------------------------------------------------------------------
  // Moves

  async credit(walletId: string, req: CreditRequest, opts: { idempotencyKey?: string } = {}): Promise<Transaction> {
    checkMonetary(req.amount);
    if (req.balance !== undefined) {
      const exists = req.balance === 'main' ? await this.getWallet(walletId) : await this.getBalance(walletId, req.balance);
      if (!exists) throw invalid(req.balance === 'main' ? `wallet ${walletId} not found` : `balance '${req.balance}' not exists`);
    }
    const sources = (req.sources?.length ? req.sources : [{ type: 'ACCOUNT', identifier: 'world' } as Subject]).map((s) => this.checkSubject(s));
    const source: Source =
      sources.length === 1 ? { type: 'account', address: sources[0] } : { type: 'inorder', sources: sources.map((address) => ({ type: 'account', address })) };
    const program: Program = {
      sends: [{ asset: req.amount.asset, amount: req.amount.amount, source, destination: { type: 'account', address: this.account(walletId, req.balance || 'main') } }],
      txMeta: {},
      accountMeta: {},
    };
    const { transaction } = await this.ledger.createTransaction(
      this.ledgerName,
      { program, metadata: { [K.tx]: 'true', ...custom(req.metadata) }, reference: req.reference, timestamp: req.timestamp },
      { idempotencyKey: opts.idempotencyKey, hashInput: opts.idempotencyKey ? { op: 'credit', walletId, req } : undefined },
    );
    return transaction;
  }

  /** Immediate debit (returns nothing) or pending debit (returns the hold). */
  async debit(walletId: string, req: DebitRequest, opts: { idempotencyKey?: string } = {}): Promise<Hold | undefined> {
    checkMonetary(req.amount);
    if (req.pending && req.timestamp) throw invalid('timestamp is not allowed with pending debits');
    const wallet = await this.requireWalletOrInvalid(walletId);
    const names = await this.debitBalances(walletId, req.balances ?? ['main']);
    const source: Source = {
      type: 'inorder',
      sources: names.map((b) => ({ type: 'account', address: this.account(walletId, b) })),
    };
    const destinationAddress = req.destination ? this.checkSubject(req.destination) : 'world';
    const metadata = { [K.tx]: 'true', ...custom(req.metadata) };
    const hashInput = opts.idempotencyKey ? { op: 'debit', walletId, req } : undefined;

    if (!req.pending) {
      const destination: Destination = { type: 'account', address: destinationAddress };
      const program: Program = { sends: [{ asset: req.amount.asset, amount: req.amount.amount, source, destination }], txMeta: {}, accountMeta: {} };
      await this.ledger.createTransaction(
        this.ledgerName,
        { program, metadata, reference: req.reference, timestamp: req.timestamp },
        { idempotencyKey: opts.idempotencyKey, hashInput },
      );
      return undefined;
    }

    const holdId = opts.idempotencyKey ? uuidFrom(`hold:${opts.idempotencyKey}`) : randomUUID();
    const holdAddress = this.holdAccount(holdId);
    const subject: Subject = req.destination ?? { type: 'ACCOUNT', identifier: 'world' };
    const holdMeta: Record<string, string> = {
      [K.specType]: HOLD,
      [K.holdId]: holdId,
      [K.holdWallet]: walletId,
      [K.holdAsset]: req.amount.asset,
      [K.holdDescription]: req.description ?? '',
      [K.holdSubject]: JSON.stringify(subject),
      destination: JSON.stringify({ type: 'account', value: destinationAddress }),
      void_destination: JSON.stringify({ type: 'account', value: this.account(walletId) }),
      ...custom(req.metadata),
    };
    const program: Program = {
      sends: [{ asset: req.amount.asset, amount: req.amount.amount, source, destination: { type: 'account', address: holdAddress } }],
      txMeta: {},
      accountMeta: {},
    };
    await this.ledger.createTransaction(
      this.ledgerName,
      { program, metadata, reference: req.reference, accountMetadata: { [holdAddress]: holdMeta } },
      { idempotencyKey: opts.idempotencyKey, hashInput },
    );
    void wallet;
    return (await this.getHold(holdId))!;
  }

  /** Balance names a debit drains, in order; `*` = every unexpired balance, expiring first, main last. */
  private async debitBalances(walletId: string, requested: string[]): Promise<string[]> {
    if (requested.includes('*')) {
      const now = Date.now();
      const all = (await this.listBalances(walletId)).filter((b) => b.name !== 'main' && (!b.expiresAt || b.expiresAt.getTime() > now));
      all.sort((a, b) => {
        const ea = a.expiresAt?.getTime() ?? Infinity;
        const eb = b.expiresAt?.getTime() ?? Infinity;
        if (ea !== eb) return ea - eb;
        return (b.priority ?? 0) - (a.priority ?? 0);
      });
      return [...all.map((b) => b.name), 'main'];
    }
    for (const name of requested) {
      if (name !== 'main' && !(await this.getBalance(walletId, name))) throw invalid(`balance '${name}' not exists`);
    }
    return requested;
  }

  // ---------------------------------------------------------------------------------------
  // Holds

  async getHold(id: string): Promise<Hold | null> {
    const account = await this.ledger.findAccount(this.ledgerName, this.holdAccount(id)).catch(() => null);
    if (!account || account.metadata[K.specType] !== HOLD) return null;
    return toHold(account);
  }

  async listHolds(opts: { walletID?: string; metadata?: Record<string, string>; pageSize?: number; offset?: number } = {}): Promise<{ data: Hold[]; hasMore: boolean }> {
    const match: Record<string, string> = { [K.specType]: HOLD, ...custom(opts.metadata) };
    if (opts.walletID) match[K.holdWallet] = opts.walletID;
    const pageSize = opts.pageSize ?? 15;
    const accounts = await this.ledger.accountsWithMetadata(this.ledgerName, match, { limit: pageSize + 1, offset: opts.offset ?? 0 });
    return { data: accounts.slice(0, pageSize).map(toHold), hasMore: accounts.length > pageSize };
  }

  // ---------------------------------------------------------------------------------------

  protected checkSubject(s: Subject): string {
    if (s.type !== 'ACCOUNT' && s.type !== 'WALLET') throw invalid(`invalid subject type '${(s as Subject).type}'`);
    const address = this.subjectAccount(s);
    if (!isValidAddress(address)) throw invalid(`invalid subject '${s.identifier}'`);
    return address;
  }

  /** Wallets has no NOT_FOUND code: an unknown wallet in a move is a VALIDATION error. */
  protected async requireWalletOrInvalid(id: string): Promise<Wallet> {
    const w = await this.getWallet(id);
    if (!w) throw invalid(`wallet ${id} not found`);
    return w;
  }
}

/** The wallets service: WalletMoves plus creating wallets and balances, holds, history (the sandbox ledger). */
export class Wallets extends WalletMoves {
  declare readonly ledger: Ledger;

  constructor(ledger: Ledger, ledgerName: string) {
    super(ledger, ledgerName);
  }

  async createWallet(req: { name: string; metadata?: Record<string, string> }, opts: { idempotencyKey?: string } = {}): Promise<Wallet> {
    const id = opts.idempotencyKey ? uuidFrom(`wallet:${opts.idempotencyKey}`) : randomUUID();
    const hash = opts.idempotencyKey ? hashOf('createWallet', req) : undefined;
    const address = this.account(id);
    const createdAt = new Date();
    return this.ledger.write({}, async (tx, publish) => {
      await this.ledger.ensureLedger(tx, this.ledgerName);
      const existing = await this.ledger.findAccount(this.ledgerName, address, tx);
      if (existing?.metadata[K.specType] === PRIMARY) {
        if (hash && existing.metadata[K.createHash] === hash) return toWallet(existing, this.ledgerName);
        throw new SandboxError('CONFLICT', 'idempotency key already used with a different request');
      }
      const metadata: Record<string, string> = {
        [K.specType]: PRIMARY,
        [K.id]: id,
        [K.name]: req.name,
        [K.balances]: 'true',
        [K.balanceName]: 'main',
        [K.createdAt]: createdAt.toISOString(),
        ...custom(req.metadata),
      };
      if (hash) metadata[K.createHash] = hash;
      await this.ledger.mergeAccountMetadata(tx, this.ledgerName, address, metadata, createdAt);
      await publish({ app: 'ledger', version: 'v2', type: 'SAVED_METADATA', payload: { ledger: this.ledgerName, targetType: 'ACCOUNT', targetId: address, metadata } });
      return { id, name: req.name, metadata: req.metadata ?? {}, createdAt, ledger: this.ledgerName, assets: {} };
    });
  }

  async updateWallet(id: string, metadata: Record<string, string>): Promise<void> {
    await this.requireWallet(id);
    await this.ledger.addAccountMetadata(this.ledgerName, this.account(id), custom(metadata));
  }

  async createBalance(walletId: string, req: { name: string; expiresAt?: Date; priority?: number }): Promise<Balance> {
    if (req.name === 'main') throw invalid("balance 'main' is reserved");
    if (!/^[A-Za-z0-9_-]+$/.test(req.name)) throw invalid(`invalid balance name '${req.name}'`);
    await this.requireWalletOrInvalid(walletId);
    const address = this.account(walletId, req.name);
    return this.ledger.write({}, async (tx, publish) => {
      const existing = await this.ledger.findAccount(this.ledgerName, address, tx);
      if (existing?.metadata[K.balances] === 'true') throw invalid(`balance '${req.name}' already exists`);
      const metadata = {
        [K.id]: walletId,
        [K.balances]: 'true',
        [K.balanceName]: req.name,
        [K.expiresAt]: req.expiresAt ? req.expiresAt.toISOString() : '',
        [K.priority]: String(req.priority ?? 0),
      };
      await this.ledger.mergeAccountMetadata(tx, this.ledgerName, address, metadata);
      await publish({ app: 'ledger', version: 'v2', type: 'SAVED_METADATA', payload: { ledger: this.ledgerName, targetType: 'ACCOUNT', targetId: address, metadata } });
      return { name: req.name, expiresAt: req.expiresAt, priority: req.priority ?? 0 };
    });
  }

  async confirmHold(id: string, req: { amount?: bigint; final?: boolean } = {}, opts: { idempotencyKey?: string } = {}): Promise<void> {
    const hold = await this.getHold(id);
    if (!hold) throw new SandboxError('NOT_FOUND', `hold ${id} not found`);
    if (hold.remaining <= 0n) throw new SandboxError('HOLD_CLOSED', 'hold closed');
    const amount = !req.amount ? hold.remaining : req.amount;
    if (amount > hold.remaining) throw new SandboxError('INSUFFICIENT_FUND', 'insufficient fund');
    const holdAddress = this.holdAccount(id);
    const account = await this.ledger.findAccount(this.ledgerName, holdAddress);
    const destination = JSON.parse(account!.metadata.destination ?? '{"value":"world"}').value as string;
    const postings = [{ source: holdAddress, destination, amount, asset: hold.asset }];
    if (req.final && hold.remaining > amount)
      postings.push({ source: holdAddress, destination: this.account(hold.walletID), amount: hold.remaining - amount, asset: hold.asset });
    await this.ledger.createTransaction(
      this.ledgerName,
      { postings, metadata: { [K.tx]: 'true' } },
      { idempotencyKey: opts.idempotencyKey, hashInput: opts.idempotencyKey ? { op: 'confirm', id, req } : undefined },
    );
  }

  async voidHold(id: string, opts: { idempotencyKey?: string } = {}): Promise<void> {
    const hold = await this.getHold(id);
    if (!hold) throw new SandboxError('NOT_FOUND', `hold ${id} not found`);
    if (hold.remaining <= 0n) throw new SandboxError('HOLD_CLOSED', 'hold closed');
    const holdAddress = this.holdAccount(id);
    // Back to the accounts that funded the hold, each at most what it gave, in posting order.
    const funding = await this.ledger.listTransactions(this.ledgerName, { query: { $match: { destination: holdAddress } }, reverse: true, pageSize: 100 });
    const postings: { source: string; destination: string; amount: bigint; asset: string }[] = [];
    let left = hold.remaining;
    for (const t of funding.data) {
      for (const p of t.postings) {
        if (p.destination !== holdAddress || left === 0n) continue;
        const part = p.amount < left ? p.amount : left;
        postings.push({ source: holdAddress, destination: p.source, amount: part, asset: hold.asset });
        left -= part;
      }
    }
    if (left > 0n) postings.push({ source: holdAddress, destination: this.account(hold.walletID), amount: left, asset: hold.asset });
    await this.ledger.createTransaction(
      this.ledgerName,
      { postings, metadata: { [K.tx]: 'true' } },
      { idempotencyKey: opts.idempotencyKey, hashInput: opts.idempotencyKey ? { op: 'void', id } : undefined },
    );
  }

  /** Wallet transactions, newest first; with walletID only those touching its main account. */
  async transactions(opts: { walletID?: string; pageSize?: number; cursor?: string }): Promise<Page<Transaction>> {
    const query: Record<string, unknown> = { $match: { [`metadata[${K.tx}]`]: 'true' } };
    const filter = opts.walletID ? { $and: [query, { $match: { account: this.account(opts.walletID) } }] } : query;
    try {
      return await this.ledger.listTransactions(this.ledgerName, { pageSize: opts.pageSize, cursor: opts.cursor, query: opts.cursor ? undefined : filter });
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'LEDGER_NOT_FOUND') return { data: [], pageSize: opts.pageSize ?? 15, hasMore: false };
      throw err;
    }
  }

  async summary(walletId: string) {
    const balances = await this.listBalances(walletId);
    const now = Date.now();
    const add = (m: Record<string, bigint>, assets: Record<string, bigint>) => {
      for (const [a, v] of Object.entries(assets)) m[a] = (m[a] ?? 0n) + v;
    };
    const availableFunds: Record<string, bigint> = {};
    const expiredFunds: Record<string, bigint> = {};
    const expirableFunds: Record<string, bigint> = {};
    const holdFunds: Record<string, bigint> = {};
    for (const b of balances) {
      if (b.expiresAt && b.expiresAt.getTime() <= now) add(expiredFunds, b.assets);
      else {
        add(availableFunds, b.assets);
        if (b.expiresAt) add(expirableFunds, b.assets);
      }
    }
    for (const h of (await this.listHolds({ walletID: walletId, pageSize: 1000 })).data) add(holdFunds, { [h.asset]: h.remaining });
    return { balances, availableFunds, expiredFunds, expirableFunds, holdFunds };
  }
}

function checkMonetary(m: Monetary) {
  if (!isValidAsset(m.asset)) throw invalid(`invalid asset '${m.asset}'`);
  if (m.amount < 0n) throw invalid('negative amount');
}

function balancesOf(a: Account): Record<string, bigint> {
  return Object.fromEntries(Object.entries(a.volumes).map(([asset, v]) => [asset, v.input - v.output]));
}

function toWallet(a: Account, ledger: string): Wallet {
  return {
    id: a.metadata[K.id],
    name: a.metadata[K.name] ?? '',
    metadata: uncustom(a.metadata),
    createdAt: new Date(a.metadata[K.createdAt] ?? a.insertionDate ?? 0),
    ledger,
    assets: balancesOf(a),
  };
}

function toBalance(a: Account): Balance {
  const b: Balance = { name: a.metadata[K.balanceName] ?? 'main' };
  const exp = a.metadata[K.expiresAt];
  if (exp) b.expiresAt = new Date(exp);
  const prio = a.metadata[K.priority];
  if (prio !== undefined && prio !== '') b.priority = Number(prio);
  return b;
}

function toHold(a: Account): Hold {
  const asset = a.metadata[K.holdAsset];
  const v = a.volumes[asset] ?? { input: 0n, output: 0n };
  const h: Hold = {
    id: a.metadata[K.holdId],
    walletID: a.metadata[K.holdWallet],
    asset,
    description: a.metadata[K.holdDescription] ?? '',
    metadata: uncustom(a.metadata),
    originalAmount: v.input,
    remaining: v.input - v.output,
  };
  try {
    const s = JSON.parse(a.metadata[K.holdSubject] ?? '');
    if (s && (s.type === 'ACCOUNT' || s.type === 'WALLET')) h.destination = s;
  } catch {
    // no destination subject recorded
  }
  return h;
}
