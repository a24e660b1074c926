import type { Ledger } from './ledger.js';
import type { Payments } from './payments.js';
import type { WalletMoves } from './wallets.js';

/**
 * What stage activities ask of the ledger, wallets and payments: the sandbox itself, or a
 * simulation's in-memory overlay of the sandbox or of a remote stack (server/sandbox/overlay).
 */
export interface StageServices {
  ledger: StageLedger;
  wallets: Pick<WalletMoves, 'getWallet' | 'listWallets' | 'credit' | 'debit'>;
  payments: StagePayments;
}
export type StageLedger = Pick<Ledger, 'createTransaction' | 'findTransactionByReference' | 'addAccountMetadata' | 'getAccountV1'>;
export type StagePayments = Pick<Payments, 'getPayment' | 'createTransferInitiation' | 'findTransferByReference'>;
