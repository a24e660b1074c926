import { toJsonSafe } from '../../sandbox/json.js';
import { paymentJson } from '../../sandbox/wire/payments.js';
import type { Payment } from '../../sandbox/payments.js';
import type { StageContext } from '../types.js';
import { remote, sandboxOf } from './errors.js';

export interface GetPaymentOutput {
  data: { id: string; asset: string; initialAmount: number | bigint; amount: number | bigint; [k: string]: unknown };
}

/**
 * `GetPayment` `{id}` → `{data: Payment}` in the payments v1 shape. Adjustments also carry the
 * `date`/`absolute` keys the orchestration SDK's older adjustment model requires. Amounts are
 * recorded exactly (bigint beyond 2^53), so a replay reads back the same initial amount.
 */
export async function getPayment(ctx: StageContext, req: { id: string }): Promise<{ output: GetPaymentOutput; initialAmount: bigint; asset: string }> {
  let exact: Payment | undefined;
  const output = await ctx.activity<GetPaymentOutput>('GetPayment', { id: req.id }, async () => {
    const { payments } = sandboxOf(ctx);
    exact = await remote(() => payments.getPayment(req.id));
    const json = paymentJson(exact);
    return toJsonSafe({
      data: { ...json, adjustments: json.adjustments.map((a) => ({ ...a, date: a.createdAt, absolute: false })) },
    });
  });
  return { output, initialAmount: exact?.initialAmount ?? BigInt(output.data.initialAmount), asset: exact?.asset ?? output.data.asset };
}
