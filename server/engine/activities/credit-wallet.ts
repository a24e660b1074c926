import { toJsonSafe } from '../../sandbox/json.js';
import type { Monetary, Subject } from '../../sandbox/wallets.js';
import type { StageContext } from '../types.js';
import { remote, sandboxOf } from './errors.js';

export interface CreditWalletRequest {
  id: string;
  amount: Monetary;
  balance?: string;
  sources: Subject[];
  metadata: Record<string, string>;
  timestamp?: Date;
}

/** `CreditWallet` `{id, data: {amount, balance?, metadata, sources, timestamp?}}` (sources `[]`, never null). No output. */
export async function creditWallet(ctx: StageContext, req: CreditWalletRequest): Promise<void> {
  const data: Record<string, unknown> = { amount: req.amount, metadata: req.metadata, sources: req.sources };
  if (req.balance) data.balance = req.balance;
  if (req.timestamp) data.timestamp = req.timestamp.toISOString();
  await ctx.activity('CreditWallet', toJsonSafe({ id: req.id, data }), async (idempotencyKey) => {
    const { wallets } = sandboxOf(ctx);
    await remote(() =>
      wallets.credit(
        req.id,
        { amount: req.amount, balance: req.balance, sources: req.sources.length ? req.sources : undefined, metadata: req.metadata, timestamp: req.timestamp },
        { idempotencyKey },
      ),
    );
    return undefined;
  });
}
