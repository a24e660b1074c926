/**
 * Readable sentences for stage-history activities and stages, built from their input/output
 * (docs/compatibility.md: stage history shapes). A sentence is a list of parts so the UI can turn accounts, transactions,
 * wallets and payments into links; `sentenceText` gives the plain form used in tests and titles.
 * Unknown activities get a generic sentence: nothing the engine recorded is ever dropped.
 */
import { formatMoney, type Amount } from '../../lib/money';
import { formatDuration } from '../../lib/time';
import type { ActivityLike, StageHistoryLike } from './progress';
import { durationMs, parseGoDuration } from '../../../common/duration';
import { instanceState } from '../../../common/status';

export type Part =
  | string
  | { code: string }
  | { money: Amount; asset: string }
  | { account: string; ledger?: string }
  | { transaction: Amount; ledger: string }
  /** A wallet by id, by name, or both (a stage may reference it by name only). */
  | { wallet: string | undefined; name?: string }
  | { payment: string }
  /** A transfer initiation, by the reference the engine gave it. */
  | { transfer: string }
  | { ledger: string };

/** What the stage's earlier activities told us about wallets (names and ledgers by id). */
export interface SentenceContext {
  wallets: Map<string, { name?: string; ledger?: string }>;
  /**
   * The reference a transfer initiation of this activity carries, when the console knows how the
   * engine builds it (embedded mode: `<instance>-<stage>-<activity>`): its sentence links to it.
   */
  transferReference?: string;
}

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const amt = (v: unknown): Amount | undefined => (typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v)) ? v : undefined);

/** The activity's own object inside `{Name: …}` (input and output are wrapped by name). */
function unwrap(wrapped: unknown, name: string): Rec | undefined {
  const w = obj(wrapped);
  if (!w) return undefined;
  return obj(w[name]) ?? (Object.keys(w).length === 1 ? obj(Object.values(w)[0]) : undefined);
}

export function sentenceText(parts: readonly Part[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if ('code' in p) return `\`${p.code}\``;
      if ('money' in p) return formatMoney(p.money, p.asset);
      if ('account' in p) return `\`${p.account}\``;
      if ('transaction' in p) return `#${p.transaction}`;
      if ('wallet' in p) return `\`${p.name ?? p.wallet ?? '?'}\``;
      if ('payment' in p) return `\`${p.payment}\``;
      if ('transfer' in p) return 'transfer';
      return `\`${p.ledger}\``;
    })
    .join('');
}

/** Joins items as "a, b and c" (parts arrays). */
function joinAll(items: Part[][]): Part[] {
  const out: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(i === items.length - 1 ? ' and ' : ', ');
    out.push(...item);
  });
  return out;
}

interface Posting {
  source: string;
  destination: string;
  amount: Amount;
  asset: string;
}

function postingsOf(v: unknown): Posting[] {
  return arr(v).flatMap((p) => {
    const o = obj(p);
    const amount = amt(o?.amount);
    if (!o || !str(o.source) || !str(o.destination) || amount === undefined || !str(o.asset)) return [];
    return [{ source: o.source as string, destination: o.destination as string, amount, asset: o.asset as string }];
  });
}

/** The one-posting Numscript the engine sends for overdrafts (docs/compatibility.md: send). */
function postingsOfScript(plain: string): (Posting & { overdraft: boolean })[] {
  const m =
    /send\s*\[\s*([A-Z][A-Z0-9_]*(?:\/\d+)?)\s+(\d+)\s*\]\s*\(\s*source\s*=\s*@([\w:-]+)(\s+allowing\s+unbounded\s+overdraft)?\s+destination\s*=\s*@([\w:-]+)\s*\)/.exec(
      plain,
    );
  if (!m) return [];
  return [{ asset: m[1]!, amount: m[2]!, source: m[3]!, destination: m[5]!, overdraft: !!m[4] }];
}

function postingParts(p: Posting, ledger: string | undefined): Part[] {
  return [{ money: p.amount, asset: p.asset }, ' from ', { account: p.source, ledger }, ' to ', { account: p.destination, ledger }];
}

function metadataParts(metadata: unknown): Part[] {
  const entries = Object.entries(obj(metadata) ?? {});
  if (!entries.length) return ['no keys'];
  return joinAll(entries.map(([k, v]) => [{ code: k }, ' = ', { code: typeof v === 'string' ? v : JSON.stringify(v) }]));
}

function walletPart(id: string | undefined, ctx: SentenceContext): Part {
  if (!id) return { code: '?' };
  return { wallet: id, name: ctx.wallets.get(id)?.name };
}

/** `world` is an account like any other: a link when its ledger is known. */
function worldPart(ledger: string | undefined): Part {
  return ledger ? { account: 'world', ledger } : { code: 'world' };
}

function subjectParts(subject: unknown, ctx: SentenceContext, ledger: string | undefined): Part[] {
  const s = obj(subject);
  const identifier = str(s?.identifier);
  if (!s || !identifier) return [worldPart(ledger)];
  if (String(s.type).toUpperCase() === 'WALLET') {
    const balance = str(s.balance);
    return ['wallet ', walletPart(identifier, ctx), ...(balance ? [' balance ', { code: balance }] : [])];
  }
  return identifier === 'world' ? [worldPart(ledger)] : ['account ', { account: identifier, ledger }];
}

type Tense = 'done' | 'doing' | 'failed';

function tenseOf(a: ActivityLike): Tense {
  if (a.error) return 'failed';
  return a.terminated ? 'done' : 'doing';
}

/** Verb by tense: [done, in progress, failed]. */
const verb = (t: Tense, done: string, doing: string, failed: string) => (t === 'done' ? done : t === 'doing' ? doing : failed);

type Describe = (input: Rec, output: Rec | undefined, tense: Tense, ctx: SentenceContext) => Part[];

const DESCRIBE: Record<string, Describe> = {
  CreateTransaction(input, output, t) {
    const ledger = str(input.ledger) ?? str(input.Ledger) ?? '?';
    const data = obj(input.data) ?? obj(input.Data) ?? {};
    const out = output?.data;
    const created = obj(Array.isArray(out) ? out[0] : out);
    const txid = created ? (amt(created.txid) ?? amt(created.id)) : undefined;
    const script = str(obj(data.script)?.plain);
    const fromScript = script ? postingsOfScript(script) : [];
    const postings = postingsOf(created?.postings).length ? postingsOf(created?.postings) : postingsOf(data.postings).length ? postingsOf(data.postings) : fromScript;
    const head: Part[] =
      t === 'done' && txid !== undefined
        ? ['Created transaction ', { transaction: txid, ledger }, ' on ledger ', { ledger }]
        : [verb(t, 'Created a transaction', 'Creating a transaction', 'Could not create a transaction'), ' on ledger ', { ledger }];
    const parts: Part[] = [...head];
    if (postings.length) parts.push(': ', ...joinAll(postings.map((p) => postingParts(p, ledger))));
    else if (script) parts.push(' from a Numscript program');
    if (fromScript[0]?.overdraft) parts.push(' (overdraft allowed on ', { account: fromScript[0].source, ledger }, ')');
    const reference = str(data.reference);
    if (reference) parts.push(', reference ', { code: reference });
    return parts;
  },

  AddAccountMetadata(input, _output, t) {
    const ledger = str(input.ledger) ?? '?';
    const account = str(input.id) ?? str(input.account) ?? '?';
    return [
      verb(t, 'Set metadata on account ', 'Setting metadata on account ', 'Could not set metadata on account '),
      { account, ledger },
      ' on ledger ',
      { ledger },
      ': ',
      ...metadataParts(input.metadata),
    ];
  },

  GetAccount(input, output, t) {
    const ledger = str(input.ledger) ?? '?';
    const account = str(input.id) ?? '?';
    const parts: Part[] = [verb(t, 'Read account ', 'Reading account ', 'Could not read account '), { account, ledger }, ' on ledger ', { ledger }];
    const volumes = Object.entries(obj(obj(output?.data)?.volumes) ?? {}).flatMap(([asset, v]) => {
      const vo = obj(v);
      const input = amt(vo?.input);
      const out = amt(vo?.output);
      const balance = amt(vo?.balance) ?? (input !== undefined && out !== undefined ? (BigInt(input) - BigInt(out)).toString() : undefined);
      return balance === undefined ? [] : [[{ money: balance, asset } as Part]];
    });
    if (t === 'done' && volumes.length) parts.push(': balance ', ...joinAll(volumes));
    return parts;
  },

  GetWallet(input, output, t, ctx) {
    const id = str(input.id);
    const data = obj(output?.data);
    const parts: Part[] = [verb(t, 'Looked up wallet ', 'Looking up wallet ', 'Could not look up wallet '), walletPart(id, ctx)];
    if (str(data?.ledger)) parts.push(' on ledger ', { ledger: data!.ledger as string });
    return parts;
  },

  ListWallets(input, output, t) {
    const name = str(input.name) ?? '';
    const cursor = obj(output?.cursor) ?? obj(output);
    const found = arr(cursor?.data).flatMap((w) => (str(obj(w)?.id) ? [obj(w)!] : []));
    if (t !== 'done') return [verb(t, '', 'Looking for the wallet named ', 'Could not look for the wallet named '), { code: name }];
    if (found.length === 0) return ['Found no wallet named ', { code: name }];
    if (found.length === 1) return ['Found wallet ', { wallet: found[0]!.id as string, name: str(found[0]!.name) ?? name }, ' by its name'];
    return [`Found ${found.length} wallets named `, { code: name }];
  },

  CreditWallet(input, _output, t, ctx) {
    const id = str(input.id);
    const data = obj(input.data) ?? {};
    const amount = obj(data.amount);
    const balance = str(data.balance) ?? 'main';
    const ledger = id ? ctx.wallets.get(id)?.ledger : undefined;
    const sources = arr(data.sources);
    const parts: Part[] = [verb(t, 'Credited wallet ', 'Crediting wallet ', 'Could not credit wallet '), walletPart(id, ctx), ' balance ', { code: balance }];
    const money = amt(amount?.amount);
    if (money !== undefined && str(amount?.asset)) parts.push(' with ', { money, asset: amount!.asset as string });
    parts.push(' from ', ...(sources.length ? joinAll(sources.map((s) => subjectParts(s, ctx, ledger))) : [worldPart(ledger)]));
    return parts;
  },

  DebitWallet(input, _output, t, ctx) {
    const id = str(input.id);
    const data = obj(input.data) ?? {};
    const amount = obj(data.amount);
    const balances = arr(data.balances).filter((b): b is string => typeof b === 'string');
    const ledger = id ? ctx.wallets.get(id)?.ledger : undefined;
    const money = amt(amount?.amount);
    const parts: Part[] = [verb(t, 'Debited ', 'Debiting ', 'Could not debit ')];
    if (money !== undefined && str(amount?.asset)) parts.push({ money, asset: amount!.asset as string }, ' from ');
    parts.push('wallet ', walletPart(id, ctx));
    if (balances.length) parts.push(balances.length === 1 ? ' balance ' : ' balances ', ...joinAll(balances.map((b) => [{ code: b }])));
    parts.push(' to ', ...(data.destination ? subjectParts(data.destination, ctx, ledger) : [worldPart(ledger)]));
    return parts;
  },

  GetPayment(input, output, t) {
    const id = str(input.id) ?? '?';
    const p = obj(output?.data);
    const parts: Part[] = [verb(t, 'Read payment ', 'Reading payment ', 'Could not read payment '), { payment: id }];
    const initial = amt(p?.initialAmount) ?? amt(p?.amount);
    if (t === 'done' && p) {
      parts.push(': ');
      if (str(p.type)) parts.push(`${p.type} of `);
      if (initial !== undefined && str(p.asset)) parts.push({ money: initial, asset: p.asset as string });
      if (str(p.provider)) parts.push(` via ${p.provider}`);
      if (str(p.status)) parts.push(`, ${p.status}`);
    }
    return parts;
  },

  CreateTransferInitiation(input, _output, t, ctx) {
    const type = (str(input.type) ?? 'TRANSFER').toUpperCase();
    const money = amt(input.amount);
    const parts: Part[] = [verb(t, `Initiated a ${type}`, `Initiating a ${type}`, `Could not initiate a ${type}`)];
    if (money !== undefined && str(input.asset)) parts.push(' of ', { money, asset: input.asset as string });
    if (str(input.provider)) parts.push(` via ${input.provider}`);
    if (str(input.destination)) parts.push(' to PSP account ', { code: input.destination as string });
    if (input.waitingValidation === true) parts.push(' (waiting for validation)');
    if (t === 'done' && ctx.transferReference) parts.push(' — see the ', { transfer: ctx.transferReference }, ' and its payment');
    return parts;
  },

  StripeTransfer(input, _output, t) {
    const money = amt(input.amount);
    const parts: Part[] = [verb(t, 'Initiated a Stripe transfer', 'Initiating a Stripe transfer', 'Could not initiate a Stripe transfer')];
    if (money !== undefined && str(input.asset)) parts.push(' of ', { money, asset: input.asset as string });
    if (str(input.destination)) parts.push(' to ', { code: input.destination as string });
    return parts;
  },

  ConfirmHold(input, _output, t) {
    return [verb(t, 'Confirmed hold ', 'Confirming hold ', 'Could not confirm hold '), { code: str(input.id) ?? '?' }];
  },

  VoidHold(input, _output, t) {
    return [verb(t, 'Voided hold ', 'Voiding hold ', 'Could not void hold '), { code: str(input.id) ?? '?' }];
  },
};

export const KNOWN_ACTIVITIES = Object.keys(DESCRIBE);

/** Wallet names and ledgers learnt from GetWallet / ListWallets outputs of the stage. */
export function sentenceContext(activities: readonly ActivityLike[]): SentenceContext {
  const wallets = new Map<string, { name?: string; ledger?: string }>();
  for (const a of activities) {
    const out = unwrap(a.output, a.name);
    if (a.name === 'GetWallet') {
      const d = obj(out?.data);
      if (str(d?.id)) wallets.set(d!.id as string, { name: str(d!.name), ledger: str(d!.ledger) });
    } else if (a.name === 'ListWallets') {
      for (const w of arr(obj(out?.cursor)?.data)) {
        const o = obj(w);
        if (str(o?.id) && !wallets.has(o!.id as string)) wallets.set(o!.id as string, { name: str(o!.name), ledger: str(o!.ledger) });
      }
    }
  }
  return { wallets };
}

/** The sentence of one activity; `ctx` (from the whole stage) names wallets by their name. */
export function describeActivity(a: ActivityLike, ctx: SentenceContext = { wallets: new Map() }): Part[] {
  const describe = DESCRIBE[a.name];
  const input = unwrap(a.input, a.name);
  const t = tenseOf(a);
  if (describe && input) return describe(input, unwrap(a.output, a.name), t, ctx);
  const keys = Object.keys(input ?? obj(a.input) ?? {});
  return [
    verb(t, 'Ran activity ', 'Running activity ', 'Activity '),
    { code: a.name || '(unnamed)' },
    ...(t === 'failed' ? [' failed'] : []),
    ...(keys.length ? [` (input: ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''})`] : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// Stages (instance history entries: the resolved stage config)

function endpointParts(endpoint: unknown, role: 'source' | 'destination'): Part[] {
  const e = obj(endpoint) ?? {};
  const account = obj(e.account);
  if (account) {
    const ledger = str(account.ledger);
    return ['account ', { account: str(account.id) ?? '?', ledger }, ...(ledger ? [' on ledger ', { ledger } as Part] : [])];
  }
  const wallet = obj(e.wallet);
  if (wallet) {
    const id = str(wallet.id);
    const name = str(wallet.name);
    const parts: Part[] = ['wallet ', id || name ? { wallet: id, name } : { code: '?' }];
    if (str(wallet.balance) && wallet.balance !== 'main') parts.push(' balance ', { code: wallet.balance as string });
    return parts;
  }
  const payment = obj(e.payment);
  if (payment) {
    if (role === 'source') return ['payment ', { payment: str(payment.id) ?? '?' }];
    const type = (str(payment.type) ?? 'TRANSFER').toUpperCase();
    return [`a ${type}`, ...(str(payment.psp) ? [` via ${payment.psp}`] : [])];
  }
  return [{ code: '?' }];
}

/**
 * The sentence of a stage from its history entry (resolved input); without one (a stage that
 * failed validation, or not loaded yet) from its kind alone.
 */
export function describeStage(entry: StageHistoryLike | undefined, kind: string, options: { until?: string; formatAt?: (iso: string) => string } = {}): Part[] {
  const formatAt = options.formatAt ?? ((iso: string) => iso);
  const input = obj(entry?.input) ?? {};
  const running = entry ? !entry.terminated : false;
  // The sentence follows the real outcome: past tense of success only for a stage that succeeded.
  const outcome = entry ? instanceState(entry) : undefined;
  const stopped = outcome === 'aborted' ? 'Aborted' : 'Failed';
  const name = entry?.name ?? '';
  if (name === 'RunSend' || (!entry && kind === 'send')) {
    if (!entry) return ['Send'];
    const amount = obj(input.amount);
    const money = amt(amount?.amount);
    const what: Part[] = money !== undefined && str(amount?.asset) ? [{ money, asset: amount!.asset as string }] : ["the payment's amount"];
    const verb = !running && outcome === 'failed' ? 'Could not send ' : !running && outcome === 'aborted' ? 'Aborted sending ' : 'Send ';
    return [verb, ...what, ' from ', ...endpointParts(input.source, 'source'), ' to ', ...endpointParts(input.destination, 'destination')];
  }
  if (name === 'RunWaitEvent' || (!entry && kind === 'wait_event')) {
    const event = str(input.event);
    const head = !entry ? 'Wait for event' : running ? 'Waiting for event ' : outcome === 'succeeded' ? 'Received event ' : `${stopped} while waiting for event `;
    return event ? [head, { code: event }] : [head.trim()];
  }
  if (name === 'RunDelay' || (!entry && kind === 'delay')) {
    const until = options.until;
    const duration = str(input.duration);
    const ns = duration ? parseGoDuration(duration.trim()) : null;
    const ms = ns !== null && ns >= 0n ? durationMs(ns) : undefined;
    if (running) return until ? ['Waiting until ', formatAt(until)] : ['Waiting'];
    if (!entry) return ['Delay'];
    if (outcome !== 'succeeded') {
      const waited = entry.terminatedAt ? Date.parse(entry.terminatedAt) - Date.parse(entry.startedAt) : NaN;
      const planned: Part[] = str(input.until) ? ['until ', formatAt(input.until as string)] : ms !== undefined ? [formatDuration(ms)] : [];
      return [
        `${stopped} after ${Number.isFinite(waited) && waited >= 0 ? formatDuration(waited) : 'a while'}`,
        ...(planned.length ? [' of a delay of ', ...planned] : [' of a delay']),
      ];
    }
    if (str(input.until)) return ['Waited until ', formatAt(input.until as string)];
    if (ns === null) return ['Waited'];
    // A negative delay (accepted before it was refused) ends at once: it never waited "-5 s".
    return ns > 0n ? [`Waited ${formatDuration(durationMs(ns))}`] : ['Did not wait (duration ', { code: duration! }, ')'];
  }
  if (name === 'RunUpdate' || (!entry && kind === 'update')) {
    if (!entry) return ['Update account metadata'];
    const account = obj(input.account) ?? {};
    const ledger = str(account.ledger);
    return [
      running
        ? 'Updating metadata of account '
        : outcome === 'succeeded'
          ? 'Updated metadata of account '
          : outcome === 'aborted'
            ? 'Aborted updating metadata of account '
            : 'Could not update metadata of account ',
      { account: str(account.id) ?? '?', ledger },
      ...(ledger ? [' on ledger ', { ledger } as Part] : []),
      ': ',
      ...metadataParts(account.metadata),
    ];
  }
  if (name === 'RunNoop' || (!entry && kind === 'noop')) return [outcome === 'failed' || outcome === 'aborted' ? `${stopped} (noop)` : 'Did nothing (noop)'];
  return entry ? ['Ran ', { code: name || '(unnamed stage)' }] : [`Stage of kind ${kind}`];
}
