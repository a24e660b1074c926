import { toJsonSafe } from '../../sandbox/json.js';
import type { StageContext } from '../types.js';
import type { WalletData } from './get-wallet.js';
import { remote, sandboxOf } from './errors.js';

/** `ListWallets` `{name}` → first page of wallets with exactly that name: `{cursor: {pageSize, hasMore, data}}`. */
export async function listWallets(ctx: StageContext, req: { name: string }): Promise<{ cursor: { pageSize: number; hasMore: boolean; data: WalletData[] } }> {
  return ctx.activity('ListWallets', { name: req.name }, async () => {
    const { wallets } = sandboxOf(ctx);
    const page = await remote(() => wallets.listWallets({ name: req.name, pageSize: 15 }));
    return toJsonSafe({
      cursor: {
        pageSize: 15,
        hasMore: page.hasMore,
        data: page.data.map((w) => ({ id: w.id, name: w.name, ledger: w.ledger, metadata: w.metadata, createdAt: w.createdAt.toISOString() })),
      },
    });
  });
}
