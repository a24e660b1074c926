import { toJsonSafe } from '../../sandbox/json.js';
import { walletJson } from '../../sandbox/wire/wallets.js';
import { SandboxError } from '../../sandbox/errors.js';
import type { StageContext } from '../types.js';
import { remote, sandboxOf } from './errors.js';

export interface WalletData {
  id: string;
  name: string;
  ledger: string;
  metadata: Record<string, string>;
  createdAt: string;
}

/** `GetWallet` `{id}` → `{data: {id, name, ledger, metadata, createdAt, balances: {main: {assets}}}}`. */
export async function getWallet(ctx: StageContext, req: { id: string }): Promise<{ data: WalletData & { balances: { main: { assets: Record<string, number> } } } }> {
  return ctx.activity('GetWallet', { id: req.id }, async () => {
    const { wallets } = sandboxOf(ctx);
    const wallet = await remote(async () => {
      const w = await wallets.getWallet(req.id);
      // fail fast on an unknown wallet (see errors.ts)
      if (!w) throw new SandboxError('NOT_FOUND', 'wallet not found');
      return w;
    });
    return toJsonSafe({ data: walletJson(wallet, true) });
  });
}
