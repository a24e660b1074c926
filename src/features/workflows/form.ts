/**
 * The visual builder's model (react-hook-form values) and its mapping to and from a definition.
 *
 * Every stage keeps a sub-form per kind (switching kinds never loses input). Empty text means
 * "absent" (the server's defaults apply); flags are `''` (default), `'true'`, `'false'` or a
 * `${variable}`. A stage the forms cannot express exactly (unknown kind or key, wrong types, two
 * endpoints…) becomes a `raw` stage edited as JSON, so nothing is ever dropped.
 */

export const STAGE_FORM_KINDS = ['send', 'delay', 'wait_event', 'update', 'noop', 'raw'] as const;
export type StageFormKind = (typeof STAGE_FORM_KINDS)[number];
export const ENDPOINT_KINDS = ['account', 'wallet', 'payment'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export interface AccountForm {
  id: string;
  ledger: string;
  throughAccount: string;
  allowOverdraft: string;
}
export interface WalletForm {
  by: 'id' | 'name';
  ref: string;
  balance: string;
}
export interface PaymentSourceForm {
  id: string;
  ledger: string;
  holdingAccount: string;
  throughAccount: string;
  allowOverdraft: string;
}
export interface PaymentDestinationForm {
  psp: string;
  type: string;
  sourceAccount: string;
  metadata: string;
  waitingValidation: string;
  connectorId: string;
}
export interface SourceForm {
  kind: EndpointKind;
  account: AccountForm;
  wallet: WalletForm;
  payment: PaymentSourceForm;
}
export interface DestinationForm {
  kind: EndpointKind;
  account: AccountForm;
  wallet: WalletForm;
  payment: PaymentDestinationForm;
}
export interface MetadataRow {
  key: string;
  value: string;
}
export interface SendForm {
  source: SourceForm;
  destination: DestinationForm;
  amount: { asset: string; amount: string };
  /** Payment sources only: leave `amount` out and move the payment's own amount. */
  usePaymentAmount: boolean;
  metadata: MetadataRow[];
  timestamp: string;
}
export interface DelayForm {
  mode: 'duration' | 'until';
  duration: string;
  until: string;
}
export interface UpdateForm {
  account: { id: string; ledger: string; metadata: MetadataRow[] };
}
export interface StageForm {
  kind: StageFormKind;
  send: SendForm;
  delay: DelayForm;
  wait_event: { event: string };
  update: UpdateForm;
  /** JSON of a stage the forms cannot express. */
  raw: string;
}
export interface WorkflowForm {
  name: string;
  stages: StageForm[];
}

const emptyAccount = (): AccountForm => ({ id: '', ledger: '', throughAccount: '', allowOverdraft: '' });
const emptyWallet = (): WalletForm => ({ by: 'id', ref: '', balance: '' });

export function emptyStage(kind: StageFormKind = 'send'): StageForm {
  return {
    kind,
    send: {
      source: {
        kind: 'account',
        account: emptyAccount(),
        wallet: emptyWallet(),
        payment: { id: '', ledger: '', holdingAccount: '', throughAccount: '', allowOverdraft: '' },
      },
      destination: {
        kind: 'account',
        account: emptyAccount(),
        wallet: emptyWallet(),
        payment: { psp: '', type: '', sourceAccount: '', metadata: '', waitingValidation: '', connectorId: '' },
      },
      amount: { asset: '', amount: '' },
      usePaymentAmount: true,
      metadata: [],
      timestamp: '',
    },
    delay: { mode: 'duration', duration: '', until: '' },
    wait_event: { event: '' },
    update: { account: { id: '', ledger: '', metadata: [] } },
    raw: '{}',
  };
}

// ---- definition → form ------------------------------------------------------------------------

export type FormResult = { ok: true; form: WorkflowForm } | { ok: false; reason: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown inside a stage mapping when the forms cannot express it: the stage becomes raw. */
class NotExpressible extends Error {}

function fields(v: unknown, allowed: string[]): Obj {
  if (!isObj(v)) throw new NotExpressible();
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new NotExpressible();
  return v;
}
function text(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new NotExpressible();
  return v;
}
function flag(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return String(v);
  return text(v);
}
function amountText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return text(v);
}
function rows(v: unknown): MetadataRow[] {
  if (v === undefined) return [];
  if (!isObj(v)) throw new NotExpressible();
  return Object.entries(v).map(([key, value]) => ({ key, value: text(value) }));
}

function account(v: unknown): AccountForm {
  const a = fields(v, ['id', 'ledger', 'throughAccount', 'allowOverdraft']);
  return { id: text(a.id), ledger: text(a.ledger), throughAccount: text(a.throughAccount), allowOverdraft: flag(a.allowOverdraft) };
}
function wallet(v: unknown): WalletForm {
  const w = fields(v, ['id', 'name', 'balance']);
  if (w.id !== undefined && w.name !== undefined) throw new NotExpressible();
  return w.name !== undefined ? { by: 'name', ref: text(w.name), balance: text(w.balance) } : { by: 'id', ref: text(w.id), balance: text(w.balance) };
}
/** The single endpoint kind of a source/destination object. */
function endpointKind(v: unknown): [EndpointKind, unknown] {
  const e = fields(v, [...ENDPOINT_KINDS]);
  const keys = Object.keys(e) as EndpointKind[];
  if (keys.length !== 1) throw new NotExpressible();
  return [keys[0]!, e[keys[0]!]];
}

function sendForm(v: unknown): SendForm {
  const s = fields(v, ['source', 'destination', 'amount', 'metadata', 'timestamp']);
  const base = emptyStage().send;
  const [srcKind, src] = endpointKind(s.source);
  const [dstKind, dst] = endpointKind(s.destination);
  const source: SourceForm = { ...base.source, kind: srcKind };
  if (srcKind === 'account') source.account = account(src);
  if (srcKind === 'wallet') source.wallet = wallet(src);
  if (srcKind === 'payment') {
    const p = fields(src, ['id', 'ledger', 'holdingAccount', 'throughAccount', 'allowOverdraft']);
    source.payment = {
      id: text(p.id),
      ledger: text(p.ledger),
      holdingAccount: text(p.holdingAccount),
      throughAccount: text(p.throughAccount),
      allowOverdraft: flag(p.allowOverdraft),
    };
  }
  const destination: DestinationForm = { ...base.destination, kind: dstKind };
  if (dstKind === 'account') destination.account = account(dst);
  if (dstKind === 'wallet') destination.wallet = wallet(dst);
  if (dstKind === 'payment') {
    const p = fields(dst, ['psp', 'type', 'sourceAccount', 'metadata', 'waitingValidation', 'connectorId', 'connectorID']);
    if (p.connectorId !== undefined && p.connectorID !== undefined) throw new NotExpressible();
    destination.payment = {
      psp: text(p.psp),
      type: text(p.type),
      sourceAccount: text(p.sourceAccount),
      metadata: text(p.metadata),
      waitingValidation: flag(p.waitingValidation),
      connectorId: text(p.connectorId ?? p.connectorID),
    };
  }
  let amount = base.amount;
  if (s.amount !== undefined) {
    const a = fields(s.amount, ['asset', 'amount']);
    amount = { asset: text(a.asset), amount: amountText(a.amount) };
  }
  return { source, destination, amount, usePaymentAmount: s.amount === undefined, metadata: rows(s.metadata), timestamp: text(s.timestamp) };
}

function stageForm(stage: unknown): StageForm {
  const form = emptyStage();
  try {
    if (!isObj(stage) || Object.keys(stage).length !== 1) throw new NotExpressible();
    const [kind, config] = Object.entries(stage)[0]!;
    switch (kind) {
      case 'send':
        return { ...form, kind, send: sendForm(config) };
      case 'delay': {
        const d = fields(config, ['duration', 'until']);
        if (d.duration !== undefined && d.until !== undefined) throw new NotExpressible();
        const mode = d.until !== undefined ? 'until' : 'duration';
        return { ...form, kind, delay: { mode, duration: text(d.duration), until: text(d.until) } };
      }
      case 'wait_event':
        return { ...form, kind, wait_event: { event: text(fields(config, ['event']).event) } };
      case 'update': {
        const u = fields(config, ['account']);
        const a = fields(u.account ?? {}, ['id', 'ledger', 'metadata']);
        return { ...form, kind, update: { account: { id: text(a.id), ledger: text(a.ledger), metadata: rows(a.metadata) } } };
      }
      case 'noop':
        fields(config, []);
        return { ...form, kind: 'noop' };
      default:
        throw new NotExpressible();
    }
  } catch (err) {
    if (!(err instanceof NotExpressible)) throw err;
    return { ...form, kind: 'raw', raw: JSON.stringify(stage, null, 2) ?? 'null' };
  }
}

/** The builder's values for a definition, or why the builder cannot show it at all. */
export function definitionToForm(definition: unknown): FormResult {
  if (!isObj(definition)) return { ok: false, reason: 'The definition is not a JSON object.' };
  const unknown = Object.keys(definition).filter((k) => k !== 'name' && k !== 'stages');
  if (unknown.length)
    return { ok: false, reason: `The builder does not know the top-level key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}.` };
  if (definition.name !== undefined && typeof definition.name !== 'string') return { ok: false, reason: '"name" is not a string.' };
  if (definition.stages !== undefined && !Array.isArray(definition.stages)) return { ok: false, reason: '"stages" is not an array.' };
  return { ok: true, form: { name: (definition.name as string | undefined) ?? '', stages: ((definition.stages as unknown[] | undefined) ?? []).map(stageForm) } };
}

// ---- form → definition ------------------------------------------------------------------------

/** Optional text: left out when empty. */
const opt = (key: string, value: string) => (value === '' ? {} : { [key]: value });
/** Flags: `'true'`/`'false'` become booleans; a `${variable}` stays text. */
const optFlag = (key: string, value: string) => (value === '' ? {} : { [key]: value === 'true' ? true : value === 'false' ? false : value });
/** Amounts: digits become a JSON number when exact, anything else stays text. */
function amountValue(value: string): number | string {
  return /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}
function metadataOf(list: MetadataRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of list) if (r.key !== '' || r.value !== '') out[r.key] = r.value;
  return out;
}
const accountOf = (a: AccountForm) => ({
  id: a.id,
  ...opt('ledger', a.ledger),
  ...opt('throughAccount', a.throughAccount),
  ...optFlag('allowOverdraft', a.allowOverdraft),
});
const walletOf = (w: WalletForm) => ({ ...opt(w.by, w.ref), ...opt('balance', w.balance) });

function sendOf(s: SendForm) {
  const source =
    s.source.kind === 'account'
      ? { account: accountOf(s.source.account) }
      : s.source.kind === 'wallet'
        ? { wallet: walletOf(s.source.wallet) }
        : {
            payment: {
              id: s.source.payment.id,
              ...opt('ledger', s.source.payment.ledger),
              ...opt('holdingAccount', s.source.payment.holdingAccount),
              ...opt('throughAccount', s.source.payment.throughAccount),
              ...optFlag('allowOverdraft', s.source.payment.allowOverdraft),
            },
          };
  const p = s.destination.payment;
  const destination =
    s.destination.kind === 'account'
      ? { account: accountOf(s.destination.account) }
      : s.destination.kind === 'wallet'
        ? { wallet: walletOf(s.destination.wallet) }
        : {
            payment: {
              ...opt('psp', p.psp),
              ...opt('type', p.type),
              ...opt('sourceAccount', p.sourceAccount),
              ...opt('metadata', p.metadata),
              ...optFlag('waitingValidation', p.waitingValidation),
              ...opt('connectorId', p.connectorId),
            },
          };
  const withAmount = s.source.kind !== 'payment' || !s.usePaymentAmount;
  const metadata = metadataOf(s.metadata);
  return {
    source,
    destination,
    ...(withAmount ? { amount: { asset: s.amount.asset, ...(s.amount.amount === '' ? {} : { amount: amountValue(s.amount.amount) }) } } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
    ...opt('timestamp', s.timestamp),
  };
}

function stageOf(stage: StageForm): unknown {
  switch (stage.kind) {
    case 'send':
      return { send: sendOf(stage.send) };
    case 'delay':
      return { delay: stage.delay.mode === 'duration' ? { duration: stage.delay.duration } : { until: stage.delay.until } };
    case 'wait_event':
      return { wait_event: { event: stage.wait_event.event } };
    case 'update': {
      const a = stage.update.account;
      return { update: { account: { id: a.id, ...opt('ledger', a.ledger), metadata: metadataOf(a.metadata) } } };
    }
    case 'noop':
      return { noop: {} };
    case 'raw':
      try {
        return JSON.parse(stage.raw);
      } catch {
        // Kept as text until it parses: the editor shows it (and its error) instead of losing it.
        return stage.raw;
      }
  }
}

export function formToDefinition(form: WorkflowForm): { name?: string; stages: unknown[] } {
  return { ...(form.name !== '' ? { name: form.name } : {}), stages: form.stages.map(stageOf) };
}

// ---- server error paths → form fields ---------------------------------------------------------

type Path = readonly (string | number)[];

/** The builder field a server error path belongs to (react-hook-form name), if any. */
export function formFieldForPath(path: Path, form: WorkflowForm): string | undefined {
  if (path[0] === 'name') return 'name';
  if (path[0] !== 'stages' || typeof path[1] !== 'number') return undefined;
  const i = path[1];
  const stage = form.stages[i];
  if (!stage) return undefined;
  const base = `stages.${i}`;
  if (stage.kind === 'raw') return `${base}.raw`;
  const [kind, ...rest] = path.slice(2);
  if (kind === undefined || kind !== stage.kind) return `${base}.kind`;
  switch (stage.kind) {
    case 'send':
      return sendField(`${base}.send`, rest, stage.send);
    case 'delay':
      return rest[0] === 'duration' || rest[0] === 'until' ? `${base}.delay.${rest[0]}` : `${base}.delay.${stage.delay.mode}`;
    case 'wait_event':
      return `${base}.wait_event.event`;
    case 'update': {
      const a = `${base}.update.account`;
      if (rest[1] === 'ledger') return `${a}.ledger`;
      if (rest[1] === 'metadata') return metadataField(`${a}.metadata`, rest[2], stage.update.account.metadata);
      return `${a}.id`;
    }
    default:
      return `${base}.kind`;
  }
}

function metadataField(base: string, key: string | number | undefined, list: MetadataRow[]): string {
  if (key === undefined) return base;
  const row = list.findIndex((r) => r.key === String(key));
  return row >= 0 ? `${base}.${row}.value` : base;
}

function sendField(base: string, rest: Path, send: SendForm): string {
  const [first, endpoint, field] = rest;
  if (first === undefined) return `${base}.destination.kind`; // pair rules (payment → payment)
  if (first === 'amount') return `${base}.amount.${rest[1] === 'asset' ? 'asset' : 'amount'}`;
  if (first === 'metadata') return metadataField(`${base}.metadata`, rest[1], send.metadata);
  if (first === 'timestamp') return `${base}.timestamp`;
  if (first !== 'source' && first !== 'destination') return `${base}.source.kind`;
  const side = `${base}.${first}`;
  if (endpoint === undefined || endpoint !== send[first].kind) return `${side}.kind`;
  if (endpoint === 'wallet') return `${side}.wallet.${field === 'balance' ? 'balance' : 'ref'}`;
  if (field === undefined) return endpoint === 'payment' && first === 'destination' ? `${side}.kind` : `${side}.${endpoint}.id`;
  return `${side}.${endpoint}.${field === 'connectorID' ? 'connectorId' : field}`;
}
