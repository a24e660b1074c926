import type { Transaction } from '../ledger.js';
import type { TransferInitiation } from '../payments.js';

/** One effect a simulated call would have had, in the order they happened. */
export type Effect =
  | { kind: 'transaction'; transaction: Transaction }
  | { kind: 'metadata'; ledger: string; address: string; metadata: Record<string, string> }
  | { kind: 'transfer'; initiation: TransferInitiation };

/** The effects of a simulation so far (append-only; readers keep their own position). */
export class Journal {
  readonly effects: Effect[] = [];
  push(effect: Effect): void {
    this.effects.push(effect);
  }
  since(position: number): Effect[] {
    return this.effects.slice(position);
  }
  get length(): number {
    return this.effects.length;
  }
}
