/** The payments service's objects as the payments API (v1) spells them. */
import type { Payment, PspAccount, TransferInitiation } from '../payments.js';

/** Payment in the v1 shape: every key present, `raw`/`metadata` may be null. */
export function paymentJson(p: Payment) {
  return {
    id: p.id,
    reference: p.reference,
    connectorID: p.connectorID,
    provider: p.provider,
    type: p.type,
    status: p.status,
    scheme: p.scheme,
    asset: p.asset,
    amount: p.amount,
    initialAmount: p.initialAmount,
    sourceAccountID: p.sourceAccountID,
    destinationAccountID: p.destinationAccountID,
    createdAt: p.createdAt.toISOString(),
    raw: p.raw,
    metadata: p.metadata,
    adjustments: p.adjustments.map((a) => ({ reference: a.reference, createdAt: a.createdAt.toISOString(), status: a.status, amount: a.amount, raw: a.raw ?? {} })),
  };
}

export function pspAccountJson(a: PspAccount) {
  return {
    id: a.id,
    reference: a.reference,
    createdAt: a.createdAt.toISOString(),
    connectorID: a.connectorID,
    provider: a.provider,
    defaultCurrency: a.defaultAsset ?? '',
    defaultAsset: a.defaultAsset ?? '',
    accountName: a.name ?? '',
    type: a.type,
    metadata: a.metadata,
    raw: a.raw,
  };
}

export function transferJson(t: TransferInitiation, withRelated: boolean) {
  const out: Record<string, unknown> = {
    id: t.id,
    reference: t.reference,
    createdAt: t.createdAt.toISOString(),
    scheduledAt: t.scheduledAt.toISOString(),
    description: t.description,
    sourceAccountID: t.sourceAccountID,
    destinationAccountID: t.destinationAccountID,
    connectorID: t.connectorID,
    provider: t.provider,
    type: t.type,
    amount: t.amount,
    initialAmount: t.initialAmount,
    asset: t.asset,
    status: t.status,
    error: t.error,
  };
  if (t.metadata) out.metadata = t.metadata;
  if (withRelated) {
    out.relatedPayments = t.relatedPayments;
    out.relatedAdjustments = t.relatedAdjustments;
  }
  return out;
}
