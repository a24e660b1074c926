/** The wallets service's objects as the wallets API spells them. */
import type { Balance, Hold, Wallet } from '../wallets.js';

export function walletJson(w: Wallet, withAssets: boolean) {
  return {
    id: w.id,
    name: w.name,
    metadata: w.metadata,
    createdAt: w.createdAt.toISOString(),
    ledger: w.ledger,
    balances: { main: { assets: withAssets ? w.assets : {} } },
  };
}

export function balanceJson(b: Balance & { assets?: Record<string, bigint> }) {
  const out: Record<string, unknown> = { name: b.name };
  if (b.expiresAt) out.expiresAt = b.expiresAt.toISOString();
  if (b.priority !== undefined) out.priority = b.priority;
  if (b.assets) out.assets = b.assets;
  return out;
}

export function holdJson(h: Hold, expanded: boolean) {
  const out: Record<string, unknown> = { id: h.id, walletID: h.walletID, asset: h.asset, description: h.description, metadata: h.metadata };
  if (h.destination) out.destination = h.destination;
  if (expanded) {
    out.originalAmount = h.originalAmount;
    out.remaining = h.remaining;
  }
  return out;
}
