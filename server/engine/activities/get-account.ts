import { toJsonSafe } from '../../sandbox/json.js';
import { accountV1Json } from '../../sandbox/wire/ledger.js';
import type { StageContext } from '../types.js';
import { remote, sandboxOf } from './errors.js';

export interface GetAccountOutput {
  data: {
    address: string;
    metadata: Record<string, string>;
    balances?: Record<string, number>;
    volumes?: Record<string, { input: number; output: number; balance?: number }>;
  };
}

/** `GetAccount` `{ledger, id}` → the ledger v1 account (`{data: {address, metadata, volumes?, ...}}`). */
export async function getAccount(ctx: StageContext, req: { ledger: string; id: string }): Promise<GetAccountOutput> {
  return ctx.activity('GetAccount', { ledger: req.ledger, id: req.id }, async () => {
    const { ledger } = sandboxOf(ctx);
    const account = await remote(() => ledger.getAccountV1(req.ledger, req.id));
    return toJsonSafe<GetAccountOutput>({ data: accountV1Json(account) });
  });
}
