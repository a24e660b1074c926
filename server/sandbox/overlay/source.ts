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
  /** An account with its metadata and volumes; null when the address was never used (or its ledger does not exist). */
  account(ledger: string, address: string): Promise<Account | null>;
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
