/** The ledger's objects as the ledger API spells them (v2, and v1's account). */
import type { Account, AccountVolumes, LedgerInfo, Transaction, Volume } from '../ledger.js';

const ZERO_DATE = '0001-01-01T00:00:00Z';

export function accountV1Json(a: Account) {
  const out: Record<string, unknown> = {
    address: a.address,
    metadata: a.metadata,
    firstUsage: a.firstUsage?.toISOString() ?? ZERO_DATE,
    insertionDate: a.insertionDate?.toISOString() ?? ZERO_DATE,
    updatedAt: a.updatedAt?.toISOString() ?? ZERO_DATE,
    balances: Object.fromEntries(Object.entries(a.volumes).map(([asset, v]) => [asset, v.input - v.output])),
  };
  if (Object.keys(a.volumes).length) {
    out.volumes = volumesJson(a.volumes);
    out.effectiveVolumes = volumesJson(a.volumes);
  }
  return out;
}

export function ledgerJson(l: LedgerInfo) {
  return { id: l.id, name: l.name, bucket: l.bucket, metadata: l.metadata, features: l.features, addedAt: l.addedAt.toISOString() };
}

export function accountJson(a: Account, expand: { volumes: boolean; effectiveVolumes: boolean }) {
  const out: Record<string, unknown> = { address: a.address, metadata: a.metadata };
  if (a.firstUsage) out.firstUsage = a.firstUsage.toISOString();
  if (a.insertionDate) out.insertionDate = a.insertionDate.toISOString();
  if (a.updatedAt) out.updatedAt = a.updatedAt.toISOString();
  if (expand.volumes) out.volumes = volumesJson(a.volumes);
  // the sandbox never back-dates, so effective volumes are the volumes
  if (expand.effectiveVolumes) out.effectiveVolumes = volumesJson(a.volumes);
  return out;
}

/** asset → {input, output, balance} as the API writes volumes (bigints; serialize losslessly). */
export function volumesJson(v: Record<string, Volume>) {
  return Object.fromEntries(Object.entries(v).map(([asset, x]) => [asset, { input: x.input, output: x.output, balance: x.input - x.output }]));
}

export function accountVolumesJson(v: AccountVolumes) {
  return Object.fromEntries(Object.entries(v).map(([a, assets]) => [a, volumesJson(assets)]));
}

/** The ledger v2 transaction JSON (bigints kept: serialize with stringifyJson or toJsonSafe). */
export function transactionJson(t: Transaction, opts: { volumes?: boolean } = { volumes: true }) {
  const out: Record<string, unknown> = {
    id: BigInt(t.id),
    postings: t.postings.map((p) => ({ source: p.source, destination: p.destination, amount: p.amount, asset: p.asset })),
    metadata: t.metadata,
    timestamp: t.timestamp.toISOString(),
    insertedAt: t.insertedAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    reverted: t.reverted,
  };
  if (t.reference !== undefined) out.reference = t.reference;
  if (t.revertedAt) out.revertedAt = t.revertedAt.toISOString();
  if (opts.volumes) {
    out.postCommitVolumes = accountVolumesJson(t.postCommitVolumes);
    out.preCommitVolumes = accountVolumesJson(t.preCommitVolumes);
  }
  return out;
}
