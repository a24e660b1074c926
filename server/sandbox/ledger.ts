import type { EventBus, PlatformEvent } from '../store/bus.js';
import type { Db, Queryable } from '../store/db.js';
import { isUniqueViolation, SandboxError, invalid } from './errors.js';
import { toJsonSafe } from './json.js';
import { transactionJson } from './wire/ledger.js';
import { hashOf, idempotencyHit, saveIdempotency } from './idempotency.js';
import {
  rowToAccount,
  rowToLedger,
  rowToTransaction,
  volumesToText,
  type Account,
  type AccountVolumes,
  type CreateTransactionInput,
  type LedgerInfo,
  type Transaction,
  type Volume,
  type WriteOptions,
} from './ledger-model.js';
import { checkLedgerName, checkV1Lookup, planCommit, programOf } from './ledger-rules.js';
import { accountsOf, programFromPostings, type Program } from './numscript.js';
import { paginate, type ListOptions, type Page } from './paging.js';
import { isValidAddress, isValidLedgerName } from './validate.js';
import { addressCondition, accountFilterSql, transactionFilterSql, type SqlParams } from './query.js';

export type { Posting } from './numscript.js';
export type { Account, AccountVolumes, CreateTransactionInput, LedgerInfo, Transaction, Volume, WriteOptions } from './ledger-model.js';
export type { ListOptions, Page } from './paging.js';

export const WORLD = 'world';

/** Features upstream reports for a ledger created with defaults. */
const DEFAULT_FEATURES = {
  ACCOUNT_METADATA_HISTORY: 'SYNC',
  HASH_LOGS: 'SYNC',
  INDEX_ADDRESS_SEGMENTS: 'ON',
  INDEX_TRANSACTION_ACCOUNTS: 'ON',
  MOVES_HISTORY: 'ON',
  MOVES_HISTORY_POST_COMMIT_EFFECTIVE_VOLUMES: 'SYNC',
  TRANSACTION_METADATA_HISTORY: 'SYNC',
};

/** Thrown inside a DB transaction to roll a dry run back while keeping its result. */
class DryRun<T> {
  constructor(readonly result: T) {}
}

/**
 * The sandbox ledger: ledgers, accounts, transactions of postings, metadata, idempotency keys,
 * references, and the ledger events (docs/compatibility.md: sandbox ledger). Every write is one short DB
 * transaction; writes that move money lock the ledger row, which serializes them per ledger.
 */
export class Ledger {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  // ---------------------------------------------------------------------------------------
  // Ledgers

  async listLedgers(opts: ListOptions = {}): Promise<Page<LedgerInfo>> {
    return paginate(opts, async (limit, offset) => {
      const rows = await this.db.query(`select * from sb_ledgers order by id limit $1 offset $2`, [limit, offset]);
      return rows.map(rowToLedger);
    });
  }

  async getLedger(name: string, q: Queryable = this.db): Promise<LedgerInfo> {
    const [row] = await q.query(`select * from sb_ledgers where name = $1`, [name]);
    if (!row) throw new SandboxError('LEDGER_NOT_FOUND', `ledger ${name} not found`);
    return rowToLedger(row);
  }

  /** Explicit creation (v2 `createLedger`): an existing name is LEDGER_ALREADY_EXISTS. */
  async createLedger(name: string, opts: { bucket?: string; metadata?: Record<string, string>; features?: Record<string, string> } = {}): Promise<LedgerInfo> {
    if (!isValidLedgerName(name)) throw invalid(`invalid ledger name '${name}': expected ^[0-9A-Za-z_-]{1,63}$`);
    try {
      const [row] = await this.db.query(
        `insert into sb_ledgers (name, bucket, metadata, features, added_at) values ($1, $2, $3::jsonb, $4::jsonb, $5)
         on conflict (name) do nothing returning *`,
        [name, opts.bucket ?? '_default', JSON.stringify(opts.metadata ?? {}), JSON.stringify({ ...DEFAULT_FEATURES, ...opts.features }), new Date()],
      );
      if (!row) throw new SandboxError('LEDGER_ALREADY_EXISTS', `ledger ${name} already exists`);
      return rowToLedger(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new SandboxError('LEDGER_ALREADY_EXISTS', `ledger ${name} already exists`);
      throw err;
    }
  }

  /** Ledgers are created on first write, like upstream's v1 API (bucket = ledger name). */
  async ensureLedger(tx: Queryable, name: string): Promise<void> {
    checkLedgerName(name);
    await tx.query(`insert into sb_ledgers (name, bucket, features, added_at) values ($1, $1, $2::jsonb, $3) on conflict (name) do nothing`, [
      name,
      JSON.stringify(DEFAULT_FEATURES),
      new Date(),
    ]);
  }

  // ---------------------------------------------------------------------------------------
  // Transactions

  async createTransaction(ledger: string, input: CreateTransactionInput, opts: WriteOptions = {}): Promise<{ transaction: Transaction; idempotencyHit: boolean }> {
    const program = programOf(input);
    if (input.reference === '') input = { ...input, reference: undefined };
    const hash = opts.idempotencyKey ? hashOf('createTransaction', opts.hashInput ?? { ...input, program: undefined }) : '';
    return this.write(opts, async (tx, publish) => {
      await this.ensureLedger(tx, ledger);
      if (opts.idempotencyKey) {
        const hit = await idempotencyHit(tx, ledger, opts.idempotencyKey, hash);
        if (hit) return { transaction: await this.getTransaction(ledger, (hit as { txid: number }).txid, tx), idempotencyHit: true };
      }
      const transaction = await this.commit(tx, ledger, program, input);
      if (opts.idempotencyKey) await saveIdempotency(tx, ledger, opts.idempotencyKey, hash, { txid: transaction.id });
      const accountMetadata = { ...program.accountMeta };
      for (const [a, m] of Object.entries(input.accountMetadata ?? {})) accountMetadata[a] = { ...accountMetadata[a], ...m };
      await publish({
        app: 'ledger',
        version: 'v2',
        type: 'COMMITTED_TRANSACTIONS',
        payload: { ledger, transactions: [transactionJson(transaction)], accountMetadata },
      });
      return { transaction, idempotencyHit: false };
    });
  }

  /** Runs the program on locked balances and stores the transaction (inside `tx`). */
  private async commit(tx: Queryable, ledger: string, program: Program, input: CreateTransactionInput): Promise<Transaction> {
    // Locking the ledger row serializes writes per ledger (Postgres); PGlite is serial anyway.
    const [seq] = await tx.query<{ id: string | number }>(`update sb_ledgers set last_tx_id = last_tx_id + 1 where name = $1 returning last_tx_id as id`, [ledger]);
    const id = Number(seq.id);
    if (input.reference) {
      const [dup] = await tx.query(`select id from sb_transactions where ledger = $1 and reference = $2`, [ledger, input.reference]);
      if (dup) throw new SandboxError('CONFLICT', `duplicate reference '${input.reference}'`);
    }
    const pre = await this.loadVolumes(tx, ledger, accountsOf(program));
    const { postings, metadata, preCommit, postCommit, accountMeta } = planCommit(program, input, pre);

    const now = new Date();
    const timestamp = input.timestamp ?? now;
    for (const [address, assets] of Object.entries(postCommit)) {
      await this.touchAccount(tx, ledger, address, timestamp, now);
      for (const [asset, after] of Object.entries(assets)) {
        const before = preCommit[address][asset];
        await tx.query(
          `insert into sb_volumes (ledger, address, asset, input, output) values ($1, $2, $3, $4::numeric, $5::numeric)
           on conflict (ledger, address, asset) do update set input = sb_volumes.input + excluded.input, output = sb_volumes.output + excluded.output`,
          [ledger, address, asset, (after.input - before.input).toString(), (after.output - before.output).toString()],
        );
      }
    }
    for (const [address, m] of Object.entries(accountMeta)) await this.mergeAccountMetadata(tx, ledger, address, m, now);

    const transaction: Transaction = {
      ledger,
      id,
      postings,
      metadata,
      timestamp,
      insertedAt: now,
      updatedAt: now,
      reference: input.reference,
      reverted: false,
      preCommitVolumes: preCommit,
      postCommitVolumes: postCommit,
    };
    await tx.query(
      `insert into sb_transactions (ledger, id, postings, metadata, timestamp, inserted_at, updated_at, reference, pre_commit_volumes, post_commit_volumes, accounts)
       values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $6, $7, $8::jsonb, $9::jsonb, $10::text[])`,
      [
        ledger,
        id,
        JSON.stringify(postings.map((p) => ({ ...p, amount: p.amount.toString() }))),
        JSON.stringify(metadata),
        timestamp,
        now,
        input.reference ?? null,
        JSON.stringify(volumesToText(preCommit)),
        JSON.stringify(volumesToText(postCommit)),
        [...new Set(postings.flatMap((p) => [p.source, p.destination]))],
      ],
    );
    return transaction;
  }

  async getTransaction(ledger: string, id: number, q: Queryable = this.db): Promise<Transaction> {
    if (q === this.db) await this.getLedger(ledger);
    const [row] = await q.query(`select * from sb_transactions where ledger = $1 and id = $2`, [ledger, id]);
    if (!row) throw new SandboxError('NOT_FOUND', `transaction ${id} not found`);
    return rowToTransaction(row);
  }

  /** The transaction holding a reference (payment ingestion); null when none does. */
  async findTransactionByReference(ledger: string, reference: string): Promise<Transaction | null> {
    const [row] = await this.db.query(`select * from sb_transactions where ledger = $1 and reference = $2`, [ledger, reference]);
    return row ? rowToTransaction(row) : null;
  }

  async listTransactions(ledger: string, opts: ListOptions = {}): Promise<Page<Transaction>> {
    await this.getLedger(ledger);
    const params: SqlParams = [ledger];
    const where = opts.query ? transactionFilterSql(opts.query, params) : 'true';
    return paginate(opts, async (limit, offset) => {
      const rows = await this.db.query(
        `select * from sb_transactions where ledger = $1 and (${where}) order by id ${opts.reverse ? 'asc' : 'desc'}
         limit ${limit} offset ${offset}`,
        params,
      );
      return rows.map(rowToTransaction);
    });
  }

  async revertTransaction(
    ledger: string,
    id: number,
    opts: WriteOptions & { force?: boolean; atEffectiveDate?: boolean; metadata?: Record<string, string> } = {},
  ): Promise<Transaction> {
    const hash = opts.idempotencyKey ? hashOf('revert', { id, force: opts.force, atEffectiveDate: opts.atEffectiveDate, metadata: opts.metadata }) : '';
    return this.write(opts, async (tx, publish) => {
      await this.getLedger(ledger, tx);
      if (opts.idempotencyKey) {
        const hit = await idempotencyHit(tx, ledger, opts.idempotencyKey, hash);
        if (hit) return this.getTransaction(ledger, (hit as { txid: number }).txid, tx);
      }
      const original = await this.getTransaction(ledger, id, tx);
      if (original.reverted) throw new SandboxError('ALREADY_REVERT', `transaction ${id} already reverted`);
      const reversed = [...original.postings].reverse().map((p) => ({ ...p, source: p.destination, destination: p.source }));
      const revert = await this.commit(tx, ledger, programFromPostings(reversed), {
        metadata: { ...(opts.metadata ?? {}), 'com.formance.spec/state/reverts': String(id) },
        timestamp: opts.atEffectiveDate ? original.timestamp : undefined,
        force: opts.force,
      });
      const now = new Date();
      await tx.query(`update sb_transactions set reverted = true, reverted_at = $3, updated_at = $3 where ledger = $1 and id = $2`, [ledger, id, now]);
      if (opts.idempotencyKey) await saveIdempotency(tx, ledger, opts.idempotencyKey, hash, { txid: revert.id });
      await publish({
        app: 'ledger',
        version: 'v2',
        type: 'REVERTED_TRANSACTION',
        payload: {
          ledger,
          revertedTransaction: transactionJson({ ...original, reverted: true, revertedAt: now, updatedAt: now }),
          revertTransaction: transactionJson(revert),
        },
      });
      return revert;
    });
  }

  // ---------------------------------------------------------------------------------------
  // Metadata

  async addAccountMetadata(ledger: string, address: string, metadata: Record<string, string>, opts: WriteOptions = {}): Promise<void> {
    if (!isValidAddress(address)) throw invalid(`invalid account address '${address}'`);
    const hash = opts.idempotencyKey ? hashOf('addAccountMetadata', { address, metadata }) : '';
    await this.write(opts, async (tx, publish) => {
      await this.ensureLedger(tx, ledger);
      if (opts.idempotencyKey) {
        if (await idempotencyHit(tx, ledger, opts.idempotencyKey, hash)) return;
      }
      await this.mergeAccountMetadata(tx, ledger, address, metadata, new Date());
      if (opts.idempotencyKey) await saveIdempotency(tx, ledger, opts.idempotencyKey, hash, {});
      await publish({ app: 'ledger', version: 'v2', type: 'SAVED_METADATA', payload: { ledger, targetType: 'ACCOUNT', targetId: address, metadata } });
    });
  }

  async deleteAccountMetadata(ledger: string, address: string, key: string, opts: WriteOptions = {}): Promise<void> {
    const hash = opts.idempotencyKey ? hashOf('deleteAccountMetadata', { address, key }) : '';
    await this.write(opts, async (tx, publish) => {
      await this.getLedger(ledger, tx);
      if (opts.idempotencyKey && (await idempotencyHit(tx, ledger, opts.idempotencyKey, hash))) return;
      await tx.query(`update sb_accounts set metadata = metadata - $3, updated_at = $4 where ledger = $1 and address = $2`, [ledger, address, key, new Date()]);
      if (opts.idempotencyKey) await saveIdempotency(tx, ledger, opts.idempotencyKey, hash, {});
      await publish({ app: 'ledger', version: 'v2', type: 'DELETED_METADATA', payload: { ledger, targetType: 'ACCOUNT', targetId: address, key } });
    });
  }

  async addTransactionMetadata(ledger: string, id: number, metadata: Record<string, string>, opts: WriteOptions = {}): Promise<void> {
    const hash = opts.idempotencyKey ? hashOf('addTransactionMetadata', { id, metadata }) : '';
    await this.write(opts, async (tx, publish) => {
      await this.getLedger(ledger, tx);
      if (opts.idempotencyKey && (await idempotencyHit(tx, ledger, opts.idempotencyKey, hash))) return;
      const rows = await tx.query(`update sb_transactions set metadata = metadata || $3::jsonb, updated_at = $4 where ledger = $1 and id = $2 returning id`, [
        ledger,
        id,
        JSON.stringify(metadata),
        new Date(),
      ]);
      if (rows.length === 0) throw new SandboxError('NOT_FOUND', `transaction ${id} not found`);
      if (opts.idempotencyKey) await saveIdempotency(tx, ledger, opts.idempotencyKey, hash, {});
      await publish({ app: 'ledger', version: 'v2', type: 'SAVED_METADATA', payload: { ledger, targetType: 'TRANSACTION', targetId: String(id), metadata } });
    });
  }

  async deleteTransactionMetadata(ledger: string, id: number, key: string, opts: WriteOptions = {}): Promise<void> {
    const hash = opts.idempotencyKey ? hashOf('deleteTransactionMetadata', { id, key }) : '';
    await this.write(opts, async (tx, publish) => {
      await this.getLedger(ledger, tx);
      if (opts.idempotencyKey && (await idempotencyHit(tx, ledger, opts.idempotencyKey, hash))) return;
      const rows = await tx.query(`update sb_transactions set metadata = metadata - $3, updated_at = $4 where ledger = $1 and id = $2 returning id`, [
        ledger,
        id,
        key,
        new Date(),
      ]);
      if (rows.length === 0) throw new SandboxError('NOT_FOUND', `transaction ${id} not found`);
      if (opts.idempotencyKey) await saveIdempotency(tx, ledger, opts.idempotencyKey, hash, {});
      await publish({ app: 'ledger', version: 'v2', type: 'DELETED_METADATA', payload: { ledger, targetType: 'TRANSACTION', targetId: String(id), key } });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Accounts

  /** v2 get account: null when the address was never used. */
  async findAccount(ledger: string, address: string, q: Queryable = this.db): Promise<Account | null> {
    const [row] = await q.query(`select * from sb_accounts where ledger = $1 and address = $2`, [ledger, address]);
    if (!row) return null;
    const volumes = (await this.loadVolumes(q, ledger, [address]))[address] ?? {};
    return rowToAccount(row, volumes);
  }

  /** Several accounts with their volumes in one query (those never used are absent). */
  async findAccounts(ledger: string, addresses: string[], q: Queryable = this.db): Promise<Map<string, Account>> {
    const out = new Map<string, Account>();
    if (addresses.length === 0) return out;
    const rows = await q.query(
      `select a.*, (select json_agg(json_build_object('asset', v.asset, 'input', v.input::text, 'output', v.output::text))
                    from sb_volumes v where v.ledger = a.ledger and v.address = a.address) as volume_rows
       from sb_accounts a where a.ledger = $1 and a.address = any($2::text[])`,
      [ledger, addresses],
    );
    for (const r of rows) {
      const volumes: Record<string, Volume> = {};
      for (const v of (r.volume_rows ?? []) as { asset: string; input: string; output: string }[])
        volumes[v.asset] = { input: BigInt(v.input), output: BigInt(v.output) };
      out.set(r.address, rowToAccount(r, volumes));
    }
    return out;
  }

  async getAccount(ledger: string, address: string): Promise<Account> {
    await this.getLedger(ledger);
    const account = await this.findAccount(ledger, address);
    if (!account) throw new SandboxError('NOT_FOUND', `account ${address} not found`);
    return account;
  }

  /** v1 semantics: the ledger is created on the fly and an unused address is an empty account. */
  async getAccountV1(ledger: string, address: string): Promise<Account> {
    checkV1Lookup(ledger, address);
    await this.ensureLedger(this.db, ledger);
    return (await this.findAccount(ledger, address)) ?? { address, metadata: {}, volumes: {} };
  }

  async listAccounts(ledger: string, opts: ListOptions = {}): Promise<Page<Account>> {
    await this.getLedger(ledger);
    const params: SqlParams = [ledger];
    const where = opts.query ? accountFilterSql(opts.query, params) : 'true';
    return paginate(opts, async (limit, offset) => {
      const rows = await this.db.query(`select * from sb_accounts a where a.ledger = $1 and (${where}) order by a.address limit ${limit} offset ${offset}`, params);
      const volumes = await this.loadVolumes(
        this.db,
        ledger,
        rows.map((r) => r.address),
      );
      return rows.map((r) => rowToAccount(r, volumes[r.address] ?? {}));
    });
  }

  /** Accounts whose metadata holds every given key/value (wallet lookups). */
  async accountsWithMetadata(ledger: string, match: Record<string, string>, opts: { addressPattern?: string; limit?: number; offset?: number } = {}): Promise<Account[]> {
    const params: SqlParams = [ledger, JSON.stringify(match)];
    let extra = '';
    if (opts.addressPattern) extra = ` and ${addressCondition('a.address', opts.addressPattern, params)}`;
    const rows = await this.db.query(
      `select * from sb_accounts a where a.ledger = $1 and a.metadata @> $2::jsonb${extra} order by a.address
       limit ${opts.limit ?? 1000} offset ${opts.offset ?? 0}`,
      params,
    );
    const volumes = await this.loadVolumes(
      this.db,
      ledger,
      rows.map((r) => r.address),
    );
    return rows.map((r) => rowToAccount(r, volumes[r.address] ?? {}));
  }

  /** Sum of balances per asset over the accounts the query matches. */
  async aggregateBalances(ledger: string, query?: unknown): Promise<Record<string, bigint>> {
    await this.getLedger(ledger);
    const params: SqlParams = [ledger];
    const where = query ? accountFilterSql(query, params) : 'true';
    const rows = await this.db.query<{ asset: string; balance: string }>(
      `select v.asset, sum(v.input - v.output)::text as balance from sb_volumes v
       join sb_accounts a on a.ledger = v.ledger and a.address = v.address
       where v.ledger = $1 and (${where}) group by v.asset order by v.asset`,
      params,
    );
    return Object.fromEntries(rows.map((r) => [r.asset, BigInt(r.balance)]));
  }

  async balance(ledger: string, address: string, asset: string, q: Queryable = this.db): Promise<bigint> {
    const [row] = await q.query<{ b: string }>(`select (input - output)::text as b from sb_volumes where ledger = $1 and address = $2 and asset = $3`, [
      ledger,
      address,
      asset,
    ]);
    return row ? BigInt(row.b) : 0n;
  }

  // ---------------------------------------------------------------------------------------
  // Internals

  /** asset volumes of the given accounts */
  async loadVolumes(q: Queryable, ledger: string, addresses: string[]): Promise<AccountVolumes> {
    if (addresses.length === 0) return {};
    const rows = await q.query<{ address: string; asset: string; input: string; output: string }>(
      `select address, asset, input::text as input, output::text as output from sb_volumes
       where ledger = $1 and address = any($2::text[]) order by address, asset`,
      [ledger, addresses],
    );
    const out: AccountVolumes = {};
    for (const r of rows) (out[r.address] ??= {})[r.asset] = { input: BigInt(r.input), output: BigInt(r.output) };
    return out;
  }

  private async touchAccount(tx: Queryable, ledger: string, address: string, firstUsage: Date, now: Date) {
    await tx.query(
      `insert into sb_accounts (ledger, address, first_usage, insertion_date, updated_at) values ($1, $2, $3, $4, $4)
       on conflict (ledger, address) do update set first_usage = least(sb_accounts.first_usage, excluded.first_usage), updated_at = excluded.updated_at`,
      [ledger, address, firstUsage, now],
    );
  }

  /** Merges metadata into an account, creating it when needed (inside `tx`). */
  async mergeAccountMetadata(tx: Queryable, ledger: string, address: string, metadata: Record<string, string>, now = new Date()) {
    await tx.query(
      `insert into sb_accounts (ledger, address, metadata, first_usage, insertion_date, updated_at) values ($1, $2, $3::jsonb, $4, $4, $4)
       on conflict (ledger, address) do update set metadata = sb_accounts.metadata || excluded.metadata, updated_at = excluded.updated_at`,
      [ledger, address, JSON.stringify(metadata), now],
    );
  }

  /**
   * One write: a short DB transaction; events published in it, the bus notified after commit.
   * A unique violation (a concurrent writer used the same key/reference) is retried once so the
   * second caller sees the first one's result.
   */
  async write<T>(opts: WriteOptions, fn: (tx: Queryable, publish: (e: PlatformEvent) => Promise<void>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let published = false;
      try {
        const result = await this.db.transaction(async (tx) => {
          const out = await fn(tx, async (e) => {
            if (opts.dryRun) return;
            await this.bus.publish(tx, { ...e, payload: toJsonSafe(e.payload) });
            published = true;
          });
          if (opts.dryRun) throw new DryRun(out);
          return out;
        });
        if (published) this.bus.notify();
        return result;
      } catch (err) {
        if (err instanceof DryRun) return err.result as T;
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }
}
