import type { StageContext } from '../types.js';
import { remote, sandboxOf } from './errors.js';

/** `AddAccountMetadata` `{id, ledger, metadata}` (spec shape; upstream's `account` key breaks the SDK). No output. */
export async function addAccountMetadata(ctx: StageContext, req: { id: string; ledger: string; metadata: Record<string, string> }): Promise<void> {
  await ctx.activity('AddAccountMetadata', { id: req.id, ledger: req.ledger, metadata: req.metadata }, async (idempotencyKey) => {
    const { ledger } = sandboxOf(ctx);
    await remote(() => ledger.addAccountMetadata(req.ledger, req.id, req.metadata, { idempotencyKey }));
    return undefined;
  });
}
