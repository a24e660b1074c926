import { sourceKey, type PendingGroup, type SendSource } from './pending-sends.js';
import type { Basis, MoneyAsset, MoneyFigures, MoneySource } from './shapes.js';

/** Balances of the sources sends would draw from (the sandbox in embedded mode, the stack's ledger in remote mode). */
export interface BalanceReader {
  /** Balance of each `(ledger, address)` in `asset`; missing: unknown. */
  accounts(keys: { ledger: string; address: string; asset: string }[]): Promise<Map<string, bigint>>;
  /** Balance of a wallet's balance in `asset`; undefined: unknown (no such wallet, or several with that name). */
  wallet(ref: { id?: string; name?: string; balance: string }, asset: string): Promise<bigint | undefined>;
}

export const accountBalanceKey = (ledger: string, address: string, asset: string) => `${ledger}\u0000${address}\u0000${asset}`;

function label(s: SendSource): string {
  switch (s.kind) {
    case 'account':
      return s.address;
    case 'wallet':
      return `wallet ${s.id ?? s.name}${s.balance === 'main' ? '' : ` (${s.balance})`}`;
    case 'payment':
      return `payment ${s.id}`;
  }
}

/**
 * Money in flight: per asset, what the pending sends of running instances will move, and from
 * which sources; a source is flagged when its balance does not cover what is pending from it
 * (`world` and accounts allowed to overdraw are never short). An instance counts once per asset
 * and once per source, whatever the number of its sends.
 */
export async function moneyInFlight(groups: PendingGroup[], balances: BalanceReader | undefined, basis: Basis): Promise<MoneyFigures> {
  const assets = new Map<string, MoneyAsset & { bySource: Map<string, MoneySource & { source: SendSource }> }>();
  const unresolved = new Map<string, { reason: string; instances: number; exampleInstanceID: string }>();
  let instances = 0;
  for (const g of groups) {
    instances += g.instances;
    const seenAssets = new Set<string>();
    const seenSources = new Set<string>();
    for (const send of g.sends) {
      let a = assets.get(send.asset);
      if (!a) assets.set(send.asset, (a = { asset: send.asset, pending: 0n, instances: 0, sends: 0, sources: [], bySource: new Map() }));
      a.pending += send.total;
      a.sends += g.instances;
      if (!seenAssets.has(send.asset)) {
        seenAssets.add(send.asset);
        a.instances += g.instances;
      }
      const key = sourceKey(send.source);
      let s = a.bySource.get(key);
      if (!s) {
        s = {
          key,
          kind: send.source.kind,
          label: label(send.source),
          ...(send.source.kind === 'account' ? { ledger: send.source.ledger, address: send.source.address } : {}),
          pending: 0n,
          instances: 0,
          unbounded: send.source.kind === 'account' && send.source.unbounded,
          source: send.source,
        };
        a.bySource.set(key, s);
      }
      s.pending += send.total;
      if (!seenSources.has(`${send.asset}\u0000${key}`)) {
        seenSources.add(`${send.asset}\u0000${key}`);
        s.instances += g.instances;
      }
    }
    for (const reason of new Set(g.unresolved)) {
      const u = unresolved.get(reason) ?? { reason, instances: 0, exampleInstanceID: g.exampleID };
      u.instances += g.instances;
      unresolved.set(reason, u);
    }
  }

  const all = [...assets.values()].flatMap((a) => [...a.bySource.values()].map((s) => ({ asset: a.asset, s })));
  if (balances) {
    const accountKeys = all.filter(({ s }) => s.source.kind === 'account' && !s.unbounded).map(({ asset, s }) => ({ ledger: s.ledger!, address: s.address!, asset }));
    const known = accountKeys.length ? await balances.accounts(accountKeys) : new Map<string, bigint>();
    for (const { asset, s } of all) {
      if (s.unbounded) continue;
      if (s.source.kind === 'account') s.balance = known.get(accountBalanceKey(s.ledger!, s.address!, asset)) ?? 0n;
      else if (s.source.kind === 'wallet') s.balance = await balances.wallet(s.source, asset);
      if (s.balance !== undefined) s.covered = s.balance >= s.pending;
    }
  }

  return {
    assets: [...assets.values()]
      .sort((x, y) => y.instances - x.instances || x.asset.localeCompare(y.asset))
      .map(({ bySource, ...a }) => ({
        ...a,
        sources: [...bySource.values()]
          // short sources first, then the largest amounts
          .sort((x, y) => Number(x.covered !== false) - Number(y.covered !== false) || (y.pending > x.pending ? 1 : y.pending < x.pending ? -1 : 0))
          .map(({ source: _source, ...s }) => s),
      })),
    unresolved: [...unresolved.values()].sort((x, y) => y.instances - x.instances),
    instances,
    basis,
  };
}
