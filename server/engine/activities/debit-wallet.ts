import { toJsonSafe } from '../../sandbox/json.js';
import type { Monetary, Subject } from '../../sandbox/wallets.js';
import type { StageContext } from '../types.js';
import { remote, sandboxOf } from './errors.js';

export interface DebitWalletRequest {
  id: string;
  amount: Monetary;
  balances: string[];
  destination?: Subject;
  metadata: Record<string, string>;
  timestamp?: Date;
}

/**
 * `DebitWallet` `{id, data: {amount, balances, destination?, metadata, timestamp?}}` (metadata `{}`,
 * never null). Flows never asks for a pending debit, so there is no output (never `null`).
 */
export async function debitWallet(ctx: StageContext, req: DebitWalletRequest): Promise<void> {
  const data: Record<string, unknown> = { amount: req.amount, balances: req.balances, metadata: req.metadata };
  if (req.destination) data.destination = req.destination;
  if (req.timestamp) data.timestamp = req.timestamp.toISOString();
  await ctx.activity('DebitWallet', toJsonSafe({ id: req.id, data }), async (idempotencyKey) => {
    const { wallets } = sandboxOf(ctx);
    await remote(() =>
      wallets.debit(
        req.id,
        { amount: req.amount, balances: req.balances, destination: req.destination, metadata: req.metadata, timestamp: req.timestamp },
        { idempotencyKey },
      ),
    );
    return undefined;
  });
}
