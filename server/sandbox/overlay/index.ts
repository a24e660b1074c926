import type { StageServices } from '../services.js';
import { WalletMoves } from '../wallets.js';
import { Journal } from './journal.js';
import { OverlayLedger } from './ledger.js';
import { OverlayPayments } from './payments.js';
import type { ReadSource } from './source.js';

export type { Effect } from './journal.js';
export type { ReadSource } from './source.js';
export { Journal, OverlayLedger, OverlayPayments };
export { SandboxReadSource, withSandboxSnapshot } from './sandbox-source.js';

/** The services of one simulation, over a read-only source, and the journal of what they did. */
export interface Overlay {
  services: StageServices;
  ledger: OverlayLedger;
  wallets: WalletMoves;
  journal: Journal;
}

/** A fresh in-memory overlay: the wallets service's own moves over the overlay ledger. */
export function createOverlay(source: ReadSource, walletsLedger: string): Overlay {
  const journal = new Journal();
  const ledger = new OverlayLedger(source, journal);
  const wallets = new WalletMoves(ledger, walletsLedger);
  const payments = new OverlayPayments(source, journal);
  return { services: { ledger, wallets, payments }, ledger, wallets, journal };
}
