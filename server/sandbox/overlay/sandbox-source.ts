import { EventBus } from '../../store/bus.js';
import type { Db, Queryable } from '../../store/db.js';
import { Sandbox } from '../sandbox.js';
import type { ReadSource } from './source.js';

/** The embedded sandbox as a simulation's read source (its read methods only). */
export class SandboxReadSource implements ReadSource {
  /** The sandbox creates a ledger on its first write. */
  readonly createsLedgers = true;

  constructor(private readonly sandbox: Sandbox) {}

  accounts(ledger: string, addresses: string[]) {
    return this.sandbox.ledger.findAccounts(ledger, addresses);
  }
  accountsWithMetadata(ledger: string, match: Record<string, string>, opts?: { addressPattern?: string; limit?: number; offset?: number }) {
    return this.sandbox.ledger.accountsWithMetadata(ledger, match, opts);
  }
  transactionByReference(ledger: string, reference: string) {
    return this.sandbox.ledger.findTransactionByReference(ledger, reference);
  }
  payment(id: string) {
    return this.sandbox.payments.getPayment(id);
  }
  connectors() {
    return this.sandbox.payments.listConnectors();
  }
  transferByReference(reference: string) {
    return this.sandbox.payments.findTransferByReference(reference);
  }
}

/**
 * Runs `fn` with a read source over one consistent snapshot of the sandbox: a read-only
 * transaction (repeatable read), so every account a simulation reads is as of the same instant
 * and any write attempt fails instead of touching data. On PostgreSQL nobody waits for it; on
 * PGlite (one connection) it holds the connection while `fn` runs, so `fn` must be short and
 * must not use the database any other way (it would wait for itself).
 */
export async function withSandboxSnapshot<T>(db: Db, walletsLedger: string, fn: (source: ReadSource) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only');
    const view: Db = {
      kind: db.kind,
      query: (sql, params) => tx.query(sql, params),
      exec: (sql) => tx.exec(sql),
      transaction: <R>(inner: (q: Queryable) => Promise<R>) => inner(tx),
      close: async () => {},
    };
    return fn(new SandboxReadSource(new Sandbox(view, new EventBus(), { walletsLedger })));
  });
}
