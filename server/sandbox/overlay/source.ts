import type { Account, Transaction } from '../ledger.js';
import type { Connector, Payment, TransferInitiation } from '../payments.js';

/**
 * Where a simulation reads the current state of the ledger, wallets and payments: read-only calls
 * only. The embedded sandbox (a snapshot of its database, sandbox-source.ts) or a remote stack's
 * read APIs (server/remote/stack-source.ts) implement it.
 */
export interface ReadSource {
  /**
   * false when writing to an unknown ledger fails (a stack's ledger v2); the embedded sandbox
   * creates ledgers on first write. With false, `ledgerExists` says which exist.
   */
  readonly createsLedgers: boolean;
  ledgerExists?(ledger: string): Promise<boolean>;
  /** Accounts with their metadata and volumes; those never used (or on a ledger that does not exist) are absent. */
  accounts(ledger: string, addresses: string[]): Promise<Map<string, Account>>;
  /** Accounts whose metadata holds every given key/value, by address (wallet lookups). */
  accountsWithMetadata(ledger: string, match: Record<string, string>, opts?: { addressPattern?: string; limit?: number; offset?: number }): Promise<Account[]>;
  /** The transaction holding a reference; null when none does. */
  transactionByReference(ledger: string, reference: string): Promise<Transaction | null>;
  /** A payment; throws the payments service's INVALID_ID / NOT_FOUND. */
  payment(id: string): Promise<Payment>;
  /** The installed connectors (transfer initiations pick one). */
  connectors(): Promise<Connector[]>;
  /** The transfer initiation holding a reference; null when none does. */
  transferByReference(reference: string): Promise<TransferInitiation | null>;
}
