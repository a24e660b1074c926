import type { Effect, Overlay } from '../../sandbox/overlay/index.js';
import type { SimActivity, SimBalance, SimMetadata, SimPosting, SimStage, SimTransfer, WalletRef } from './types.js';

/** The journal entries one activity call produced. */
export interface ActivityEffects {
  activity: SimActivity;
  effects: Effect[];
}

const WALLET_ACCOUNT = /^wallets:([^:]+):([^:]+)$/;

/** The wallet behind a wallets-ledger account, when the simulation has read that wallet. */
export function walletRef(overlay: Overlay, ledger: string, address: string): WalletRef | undefined {
  const m = WALLET_ACCOUNT.exec(address);
  if (!m || m[1] === 'holds' || ledger !== overlay.wallets.ledgerName) return undefined;
  const main = overlay.ledger.peek(ledger, `wallets:${m[1]}:main`);
  const own = overlay.ledger.peek(ledger, address);
  const id = own?.metadata['wallets/id'] ?? main?.metadata['wallets/id'];
  if (!id) return undefined;
  const ref: WalletRef = { id, balance: own?.metadata['wallets/balances/name'] ?? m[2] };
  const name = main?.metadata['wallets/name'];
  if (name !== undefined) ref.name = name;
  return ref;
}

/** What a stage's calls did: postings (with the wallet or payment they go through), transfers, metadata, balances. */
export function stageEffects(calls: ActivityEffects[], input: any, overlay: Overlay): Pick<SimStage, 'postings' | 'transfers' | 'metadata' | 'balances'> {
  const postings: SimPosting[] = [];
  const transfers: SimTransfer[] = [];
  const metadata: SimMetadata[] = [];
  const balances = new Map<string, SimBalance>();
  for (const { activity, effects } of calls) {
    const via = viaOf(activity, input);
    for (const e of effects) {
      if (e.kind === 'metadata') metadata.push({ ledger: e.ledger, account: e.address, metadata: e.metadata });
      else if (e.kind === 'transfer') {
        const t = e.initiation;
        transfers.push({
          type: t.type,
          asset: t.asset,
          amount: t.amount,
          connectorID: t.connectorID,
          provider: t.provider,
          destinationAccountID: t.destinationAccountID,
          sourceAccountID: t.sourceAccountID,
          waitingValidation: t.status === 'WAITING_FOR_VALIDATION',
          metadata: t.metadata ?? {},
        });
      } else {
        const t = e.transaction;
        for (const p of t.postings) {
          const posting: SimPosting = {
            ledger: t.ledger,
            source: p.source,
            destination: p.destination,
            asset: p.asset,
            amount: p.amount,
            activity: activity.name,
            transaction: t.id,
            metadata: t.metadata,
          };
          const sw = walletRef(overlay, t.ledger, p.source);
          const dw = walletRef(overlay, t.ledger, p.destination);
          if (sw) posting.sourceWallet = sw;
          if (dw) posting.destinationWallet = dw;
          if (via) posting.via = via;
          postings.push(posting);
        }
        for (const [address, assets] of Object.entries(t.postCommitVolumes)) {
          for (const [asset, after] of Object.entries(assets)) {
            const key = `${t.ledger}\u0000${address}\u0000${asset}`;
            const pre = t.preCommitVolumes[address]?.[asset];
            const b = balances.get(key) ?? { ledger: t.ledger, account: address, asset, before: pre ? pre.input - pre.output : 0n, after: 0n };
            b.after = after.input - after.output;
            const wallet = walletRef(overlay, t.ledger, address);
            if (wallet) b.wallet = wallet;
            balances.set(key, b);
          }
        }
      }
    }
  }
  return { postings, transfers, metadata, balances: [...balances.values()] };
}

function viaOf(activity: SimActivity, input: any): SimPosting['via'] | undefined {
  const via: NonNullable<SimPosting['via']> = {};
  if (activity.name === 'CreditWallet' || activity.name === 'DebitWallet') via.wallet = (activity.input as { id?: string })?.id;
  // every leg of a send from a payment moves that payment's money (ingestion, then onwards)
  if (typeof input?.source?.payment?.id === 'string') via.payment = input.source.payment.id;
  return via.wallet || via.payment ? via : undefined;
}

/** Per account and asset over the whole run: the balance before its first move and after its last. */
export function netChanges(stages: SimStage[]): SimBalance[] {
  const out = new Map<string, SimBalance>();
  for (const s of stages) {
    for (const b of s.balances) {
      const key = `${b.ledger}\u0000${b.account}\u0000${b.asset}`;
      const seen = out.get(key);
      if (seen) seen.after = b.after;
      else out.set(key, { ...b });
    }
  }
  return [...out.values()];
}
