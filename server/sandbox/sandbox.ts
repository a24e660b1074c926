import type { EventBus } from '../store/bus.js';
import type { Db } from '../store/db.js';
import { Ledger } from './ledger.js';
import { Payments } from './payments.js';
import { Wallets } from './wallets.js';

/** The wallets service's ledger when none is configured (upstream's default `--ledger`). */
export const DEFAULT_WALLETS_LEDGER = 'wallets-002';

/** The embedded Formance services stages act on: one ledger, wallets over it, payments. */
export class Sandbox {
  readonly ledger: Ledger;
  readonly wallets: Wallets;
  readonly payments: Payments;

  constructor(
    readonly db: Db,
    readonly bus: EventBus,
    opts: { walletsLedger?: string } = {},
  ) {
    this.ledger = new Ledger(db, bus);
    this.wallets = new Wallets(this.ledger, opts.walletsLedger ?? DEFAULT_WALLETS_LEDGER);
    this.payments = new Payments(db, bus);
  }
}
