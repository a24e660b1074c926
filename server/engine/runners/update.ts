import { addAccountMetadata } from '../activities/add-account-metadata.js';
import type { StageContext } from '../types.js';

export interface UpdateInput {
  account: { id: string; ledger: string; metadata: Record<string, string> };
}

/** `update`: one `AddAccountMetadata` on the account (ledger default `main`), with an idempotency key. */
export async function runUpdateStage(ctx: StageContext<UpdateInput>): Promise<void> {
  const { id, ledger, metadata } = ctx.input.account;
  await addAccountMetadata(ctx, { id, ledger, metadata });
}
