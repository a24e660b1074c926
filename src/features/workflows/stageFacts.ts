/**
 * The key fields of a stage for the graph and for one-line descriptions: amount with its asset,
 * source → destination, duration or date, event name, metadata keys. Defaults are filled in as the
 * server applies them, so a node shows what will actually happen.
 */
import { formatMoney, toBigInt } from '../../lib/money';

export interface EndpointFacts {
  kind: 'account' | 'wallet' | 'payment' | 'external' | 'unknown';
  /** Main text: account address, wallet id or "name", payment id, PSP. */
  label: string;
  /** Secondary text: ledger, balance, payout type. */
  detail?: string;
}

export type StageFacts =
  | { kind: 'send'; source: EndpointFacts; destination: EndpointFacts; amount?: { amount: string; asset: string }; metadataKeys: string[] }
  | { kind: 'delay'; duration?: string; until?: string }
  | { kind: 'wait_event'; event: string }
  | { kind: 'update'; account: string; ledger: string; metadataKeys: string[] }
  | { kind: 'noop' }
  | { kind: 'unknown'; text: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback);

function endpoint(v: unknown, side: 'source' | 'destination'): EndpointFacts {
  const e = obj(v);
  const keys = Object.keys(e).filter((k) => e[k] != null);
  if (keys.length !== 1) return { kind: 'unknown', label: keys.length ? keys.join(' + ') : 'nothing' };
  const c = obj(e[keys[0]!]);
  switch (keys[0]) {
    case 'account':
      return { kind: 'account', label: str(c.id, '?'), detail: `ledger ${str(c.ledger, 'default')}` };
    case 'wallet':
      return {
        kind: 'wallet',
        label: c.name !== undefined && c.id === undefined ? `“${str(c.name, '?')}”` : str(c.id, '?'),
        detail: `balance ${str(c.balance, 'main')}`,
      };
    case 'payment':
      if (side === 'source') return { kind: 'payment', label: str(c.id, '?'), detail: `ingested on ${str(c.ledger, 'orchestration-000-internal')}` };
      return { kind: 'external', label: str(c.psp, 'PSP'), detail: str(c.type, 'TRANSFER').toUpperCase() };
    default:
      return { kind: 'unknown', label: keys[0]! };
  }
}

export function stageFacts(stage: unknown): StageFacts {
  const s = obj(stage);
  const keys = Object.keys(s);
  if (keys.length !== 1) return { kind: 'unknown', text: JSON.stringify(stage) ?? String(stage) };
  const c = obj(s[keys[0]!]);
  switch (keys[0]) {
    case 'send': {
      const a = c.amount === undefined ? undefined : obj(c.amount);
      return {
        kind: 'send',
        source: endpoint(c.source, 'source'),
        destination: endpoint(c.destination, 'destination'),
        amount: a ? { amount: str(a.amount, '?'), asset: str(a.asset, '?') } : undefined,
        metadataKeys: Object.keys(obj(c.metadata)),
      };
    }
    case 'delay':
      return { kind: 'delay', duration: c.duration !== undefined ? str(c.duration) : undefined, until: c.until !== undefined ? str(c.until) : undefined };
    case 'wait_event':
      return { kind: 'wait_event', event: str(c.event, '?') };
    case 'update': {
      const a = obj(c.account);
      return { kind: 'update', account: str(a.id, '?'), ledger: str(a.ledger, 'main'), metadataKeys: Object.keys(obj(a.metadata)) };
    }
    case 'noop':
      return { kind: 'noop' };
    default:
      return { kind: 'unknown', text: keys[0]! };
  }
}

/** `12.50 USD` for integer amounts; variables and odd values as written, with the asset. */
export function amountText(amount: { amount: string; asset: string }): string {
  return toBigInt(amount.amount) !== null && !amount.asset.includes('${') ? formatMoney(amount.amount, amount.asset) : `${amount.amount} ${amount.asset}`;
}

const ENDPOINT_NOUN: Record<EndpointFacts['kind'], string> = { account: 'account', wallet: 'wallet', payment: 'payment', external: 'external payment via', unknown: '' };
const endpointText = (e: EndpointFacts) => `${ENDPOINT_NOUN[e.kind]} ${e.label}${e.detail ? ` (${e.detail})` : ''}`.trim();

/** One sentence per stage, for screen readers and summaries. */
export function describeStage(stage: unknown): string {
  const f = stageFacts(stage);
  switch (f.kind) {
    case 'send':
      return `Send ${f.amount ? amountText(f.amount) : "the payment's amount"} from ${endpointText(f.source)} to ${endpointText(f.destination)}`;
    case 'delay':
      return f.duration !== undefined ? `Wait ${f.duration}` : `Wait until ${f.until}`;
    case 'wait_event':
      return `Wait for the event “${f.event}”`;
    case 'update':
      return `Add metadata ${f.metadataKeys.join(', ') || '(none)'} to account ${f.account} on ledger ${f.ledger}`;
    case 'noop':
      return 'Do nothing';
    case 'unknown':
      return `Unknown stage ${f.text}`;
  }
}
