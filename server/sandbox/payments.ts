import { createHash, randomUUID } from 'node:crypto';
import type { EventBus, PlatformEvent } from '../store/bus.js';
import type { Db, Queryable } from '../store/db.js';
import { isUniqueViolation, SandboxError, invalid } from './errors.js';
import { isValidAsset } from './validate.js';

/**
 * The payments service subset (docs/compatibility.md: sandbox wallets and payments): connectors, PSP accounts, payments (pay-ins and
 * the payouts/transfers that initiations produce) and transfer initiations with statuses. No
 * PSP is called: a validated initiation is processed at once (the sandbox has no PSP to wait for). Events are the
 * v3 ones: lower-case provider, v3 scheme names, amounts as decimal strings.
 */

export const PROVIDERS = ['STRIPE', 'DUMMY-PAY', 'WISE', 'MODULR', 'CURRENCY-CLOUD', 'BANKING-CIRCLE', 'MANGOPAY', 'MONEYCORP', 'ATLAR', 'ADYEN', 'GENERIC'] as const;
export const PAYMENT_TYPES = ['PAY-IN', 'PAYOUT', 'TRANSFER', 'OTHER'] as const;
export const PAYMENT_STATUSES = [
  'PENDING',
  'SUCCEEDED',
  'CANCELLED',
  'FAILED',
  'EXPIRED',
  'REFUNDED',
  'REFUNDED_FAILURE',
  'DISPUTE',
  'DISPUTE_WON',
  'DISPUTE_LOST',
  'OTHER',
] as const;
/** v1 (lower-case) scheme → v3 name used in events */
const SCHEMES: Record<string, string> = {
  unknown: 'UNKNOWN',
  other: 'OTHER',
  visa: 'CARD_VISA',
  mastercard: 'CARD_MASTERCARD',
  amex: 'CARD_AMEX',
  diners: 'CARD_DINERS',
  discover: 'CARD_DISCOVER',
  jcb: 'CARD_JCB',
  unionpay: 'CARD_UNION_PAY',
  alipay: 'CARD_ALIPAY',
  cup: 'CARD_CUP',
  'sepa debit': 'SEPA_DEBIT',
  'sepa credit': 'SEPA_CREDIT',
  sepa: 'SEPA',
  'apple pay': 'APPLE_PAY',
  'google pay': 'GOOGLE_PAY',
  doku: 'DOKU',
  dragonpay: 'DRAGON_PAY',
  maestro: 'MAESTRO',
  molpay: 'MOL_PAY',
  a2a: 'A2A',
  'ach debit': 'ACH_DEBIT',
  ach: 'ACH',
  rtp: 'RTP',
};
export const SCHEME_NAMES = Object.keys(SCHEMES);

export type Provider = (typeof PROVIDERS)[number];
export type PaymentType = (typeof PAYMENT_TYPES)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Connector {
  id: string;
  provider: Provider;
  name: string;
  enabled: boolean;
  createdAt: Date;
}

export interface PspAccount {
  id: string;
  connectorID: string;
  provider: Provider;
  reference: string;
  createdAt: Date;
  type: 'INTERNAL' | 'EXTERNAL';
  name?: string;
  defaultAsset?: string;
  metadata: Record<string, string>;
  raw: Record<string, unknown> | null;
}

export interface Adjustment {
  reference: string;
  createdAt: Date;
  status: PaymentStatus;
  amount: bigint;
  raw: Record<string, unknown>;
}

export interface Payment {
  id: string;
  reference: string;
  connectorID: string;
  provider: Provider;
  type: PaymentType;
  status: PaymentStatus;
  scheme: string;
  asset: string;
  amount: bigint;
  initialAmount: bigint;
  sourceAccountID: string;
  destinationAccountID: string;
  createdAt: Date;
  raw: Record<string, unknown> | null;
  metadata: Record<string, string> | null;
  adjustments: Adjustment[];
}

export const TRANSFER_STATUSES = [
  'WAITING_FOR_VALIDATION',
  'PROCESSING',
  'PROCESSED',
  'FAILED',
  'REJECTED',
  'VALIDATED',
  'ASK_RETRIED',
  'ASK_REVERSED',
  'REVERSE_PROCESSING',
  'REVERSE_FAILED',
  'PARTIALLY_REVERSED',
  'REVERSED',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface TransferInitiation {
  id: string;
  reference: string;
  createdAt: Date;
  scheduledAt: Date;
  description: string;
  sourceAccountID: string;
  destinationAccountID: string;
  connectorID: string;
  provider: Provider | null;
  type: 'TRANSFER' | 'PAYOUT';
  amount: bigint;
  initialAmount: bigint;
  asset: string;
  status: TransferStatus;
  error: string | null;
  metadata: Record<string, string> | null;
  relatedPayments: { paymentID: string; createdAt: string; status: string; error?: string }[];
  relatedAdjustments: { adjustmentID: string; createdAt: string; status: string; error?: string; metadata?: Record<string, string> }[];
}

export interface TransferInitiationRequest {
  reference: string;
  scheduledAt?: Date;
  description?: string;
  sourceAccountID?: string;
  destinationAccountID: string;
  connectorID?: string;
  /** legacy key Flows sends (upper-case PSP name); used when connectorID is absent */
  provider?: string;
  type: 'TRANSFER' | 'PAYOUT';
  amount: bigint;
  asset: string;
  validated: boolean;
  metadata?: Record<string, string> | null;
}

/** Metadata key that makes the sandbox PSP fail an initiation with the given message. */
export const SIMULATE_FAILURE_KEY = 'sandbox/fail';

const encodeId = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Ids are base64url JSON like upstream's; anything that does not decode is INVALID_ID. */
export function checkId(id: string, what: string): void {
  let ok = /^[A-Za-z0-9_-]+$/.test(id);
  if (ok) {
    try {
      const v = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
      ok = typeof v === 'object' && v !== null;
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new SandboxError('INVALID_ID', `invalid ${what} id: ${id}`);
}

const lowerProvider = (p: string) => p.toLowerCase().replaceAll('-', '');

/** A transfer initiation request's own checks (before any connector is looked at). */
export function checkTransferRequest(req: TransferInitiationRequest): void {
  if (!req.reference) throw invalid('reference: required');
  if (!req.destinationAccountID) throw invalid('destinationAccountID: required');
  if (req.type !== 'TRANSFER' && req.type !== 'PAYOUT') throw invalid(`type: must be TRANSFER or PAYOUT, got '${req.type}'`);
  if (!isValidAsset(req.asset)) throw invalid(`asset: invalid asset '${req.asset}'`);
  if (req.amount < 0n) throw invalid('amount: negative amount');
}

/** The connector of an initiation: connectorID wins; else exactly one connector of `provider`. Never a guess between two. */
export function pickConnector(connectors: Connector[], req: Pick<TransferInitiationRequest, 'connectorID' | 'provider'>): Connector {
  if (req.connectorID) {
    checkId(req.connectorID, 'connector');
    const c = connectors.find((k) => k.id === req.connectorID);
    if (!c) throw new SandboxError('NOT_FOUND', `connector ${req.connectorID} not found`);
    return c;
  }
  if (!req.provider) throw invalid('connectorID: required (or a provider with exactly one installed connector)');
  const provider = lowerProvider(req.provider);
  const matches = connectors.filter((c) => lowerProvider(c.provider) === provider);
  if (matches.length === 0) throw invalid(`connectorID: no connector installed for provider '${req.provider}'`);
  if (matches.length > 1) throw invalid(`connectorID: several connectors installed for provider '${req.provider}'; name one`);
  return matches[0];
}

/**
 * A new transfer initiation as the payments service returns it, before anything happens to it:
 * the sandbox stores it and runs it through its PSP, a simulation keeps it in memory.
 */
export function newTransferInitiation(req: TransferInitiationRequest, connector: Connector, id: string, status: TransferInitiation['status']): TransferInitiation {
  const createdAt = new Date();
  return {
    id,
    reference: req.reference,
    createdAt,
    scheduledAt: req.scheduledAt && req.scheduledAt.getTime() > 0 ? req.scheduledAt : createdAt,
    description: req.description ?? '',
    sourceAccountID: req.sourceAccountID ?? '',
    destinationAccountID: req.destinationAccountID,
    connectorID: connector.id,
    provider: connector.provider,
    type: req.type,
    amount: req.amount,
    initialAmount: req.amount,
    asset: req.asset,
    status,
    error: null,
    metadata: req.metadata ?? null,
    relatedPayments: [],
    relatedAdjustments: [],
  };
}

export class Payments {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  // ---------------------------------------------------------------------------------------
  // Connectors and accounts

  async createConnector(req: { provider: string; name?: string }): Promise<Connector> {
    const provider = normalizeProvider(req.provider);
    const id = encodeId({ Reference: randomUUID(), Provider: lowerProvider(provider) });
    const c: Connector = { id, provider, name: req.name || lowerProvider(provider), enabled: true, createdAt: new Date() };
    await this.db.query(`insert into sb_connectors (id, provider, name, enabled, created_at) values ($1, $2, $3, $4, $5)`, [
      c.id,
      c.provider,
      c.name,
      c.enabled,
      c.createdAt,
    ]);
    return c;
  }

  async listConnectors(): Promise<Connector[]> {
    return (await this.db.query(`select * from sb_connectors order by seq`)).map(rowToConnector);
  }

  async getConnector(id: string, q: Queryable = this.db): Promise<Connector | null> {
    const [row] = await q.query(`select * from sb_connectors where id = $1`, [id]);
    return row ? rowToConnector(row) : null;
  }

  async createAccount(req: {
    connectorID: string;
    reference: string;
    type?: 'INTERNAL' | 'EXTERNAL';
    name?: string;
    defaultAsset?: string;
    metadata?: Record<string, string>;
  }): Promise<PspAccount> {
    return this.write(async (tx, publish) => {
      const connector = await this.getConnector(req.connectorID, tx);
      if (!connector) throw new SandboxError('NOT_FOUND', `connector ${req.connectorID} not found`);
      const a: PspAccount = {
        id: encodeId({ Reference: req.reference, ConnectorID: JSON.parse(Buffer.from(connector.id, 'base64url').toString()) }),
        connectorID: connector.id,
        provider: connector.provider,
        reference: req.reference,
        createdAt: new Date(),
        type: req.type ?? 'EXTERNAL',
        name: req.name,
        defaultAsset: req.defaultAsset,
        metadata: req.metadata ?? {},
        raw: {},
      };
      await tx.query(
        `insert into sb_psp_accounts (id, connector_id, reference, created_at, type, name, default_asset, metadata, raw)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)`,
        [a.id, a.connectorID, a.reference, a.createdAt, a.type, a.name ?? null, a.defaultAsset ?? null, JSON.stringify(a.metadata), JSON.stringify(a.raw)],
      );
      const payload: Record<string, unknown> = {
        id: a.id,
        provider: lowerProvider(a.provider),
        connectorID: a.connectorID,
        createdAt: a.createdAt.toISOString(),
        reference: a.reference,
        type: a.type,
        rawData: a.raw,
      };
      if (a.defaultAsset) payload.defaultAsset = a.defaultAsset;
      if (a.name) payload.name = a.name;
      if (Object.keys(a.metadata).length) payload.metadata = a.metadata;
      await publish({ app: 'payments', version: 'v3', type: 'SAVED_ACCOUNT', payload });
      return a;
    });
  }

  async listAccounts(opts: { pageSize: number; offset: number }): Promise<{ data: PspAccount[]; hasMore: boolean }> {
    const rows = await this.db.query(`select a.*, c.provider from sb_psp_accounts a join sb_connectors c on c.id = a.connector_id order by a.seq limit $1 offset $2`, [
      opts.pageSize + 1,
      opts.offset,
    ]);
    return { data: rows.slice(0, opts.pageSize).map(rowToAccount), hasMore: rows.length > opts.pageSize };
  }

  // ---------------------------------------------------------------------------------------
  // Payments

  /** Records a payment as a connector would report it (seed data, console simulation). */
  async createPayment(req: {
    connectorID: string;
    reference?: string;
    type?: PaymentType;
    status?: PaymentStatus;
    scheme?: string;
    asset: string;
    amount: bigint;
    sourceAccountID?: string;
    destinationAccountID?: string;
    metadata?: Record<string, string> | null;
    raw?: Record<string, unknown> | null;
  }): Promise<Payment> {
    if (!isValidAsset(req.asset)) throw invalid(`asset: invalid asset '${req.asset}'`);
    if (req.amount < 0n) throw invalid('amount: negative amount');
    const type = req.type ?? 'PAY-IN';
    if (!PAYMENT_TYPES.includes(type)) throw invalid(`type: must be one of ${PAYMENT_TYPES.join(', ')}`);
    const status = req.status ?? 'SUCCEEDED';
    if (!PAYMENT_STATUSES.includes(status)) throw invalid(`status: must be one of ${PAYMENT_STATUSES.join(', ')}`);
    const scheme = req.scheme ?? 'visa';
    if (!(scheme in SCHEMES)) throw invalid(`scheme: must be one of ${SCHEME_NAMES.join(', ')}`);
    return this.write(async (tx, publish) => {
      const connector = await this.getConnector(req.connectorID, tx);
      if (!connector) throw new SandboxError('NOT_FOUND', `connector ${req.connectorID} not found`);
      const p = await this.insertPayment(tx, connector, {
        reference: req.reference || `py_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
        type,
        status,
        scheme,
        asset: req.asset,
        amount: req.amount,
        sourceAccountID: req.sourceAccountID ?? '',
        destinationAccountID: req.destinationAccountID ?? '',
        metadata: req.metadata ?? null,
        raw: req.raw ?? {},
      });
      await publish(savedPaymentEvent(p));
      return p;
    });
  }

  private async insertPayment(
    tx: Queryable,
    connector: Connector,
    f: Omit<Payment, 'id' | 'connectorID' | 'provider' | 'createdAt' | 'adjustments' | 'initialAmount'>,
  ): Promise<Payment> {
    const createdAt = new Date();
    const id = encodeId({
      PaymentReference: { Reference: f.reference, Type: f.type },
      ConnectorID: JSON.parse(Buffer.from(connector.id, 'base64url').toString()),
    });
    const p: Payment = {
      ...f,
      id,
      connectorID: connector.id,
      provider: connector.provider,
      initialAmount: f.amount,
      createdAt,
      adjustments: [{ reference: f.reference, createdAt, status: f.status, amount: f.amount, raw: {} }],
    };
    try {
      await tx.query(
        `insert into sb_payments (id, connector_id, reference, type, status, scheme, asset, amount, initial_amount,
           source_account_id, destination_account_id, created_at, raw, metadata, adjustments)
         values ($1, $2, $3, $4, $5, $6, $7, $8::numeric, $8::numeric, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb)`,
        [
          p.id,
          p.connectorID,
          p.reference,
          p.type,
          p.status,
          p.scheme,
          p.asset,
          p.amount.toString(),
          p.sourceAccountID,
          p.destinationAccountID,
          p.createdAt,
          p.raw === null ? null : JSON.stringify(p.raw),
          p.metadata === null ? null : JSON.stringify(p.metadata),
          JSON.stringify(p.adjustments.map((a) => ({ ...a, amount: a.amount.toString(), createdAt: a.createdAt.toISOString() }))),
        ],
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new SandboxError('CONFLICT', `payment ${f.reference} already exists`, 400);
      throw err;
    }
    return p;
  }

  async getPayment(id: string): Promise<Payment> {
    checkId(id, 'payment');
    const [row] = await this.db.query(`select p.*, c.provider from sb_payments p join sb_connectors c on c.id = p.connector_id where p.id = $1`, [id]);
    if (!row) throw new SandboxError('NOT_FOUND', `payment ${id} not found`);
    return rowToPayment(row);
  }

  async listPayments(opts: { pageSize: number; offset: number }): Promise<{ data: Payment[]; hasMore: boolean }> {
    const rows = await this.db.query(`select p.*, c.provider from sb_payments p join sb_connectors c on c.id = p.connector_id order by p.seq desc limit $1 offset $2`, [
      opts.pageSize + 1,
      opts.offset,
    ]);
    return { data: rows.slice(0, opts.pageSize).map(rowToPayment), hasMore: rows.length > opts.pageSize };
  }

  // ---------------------------------------------------------------------------------------
  // Transfer initiations

  async createTransferInitiation(req: TransferInitiationRequest): Promise<TransferInitiation> {
    checkTransferRequest(req);
    return this.write(async (tx, publish) => {
      const connector = pickConnector((await tx.query(`select * from sb_connectors order by seq`)).map(rowToConnector), req);
      const id = encodeId({ Reference: req.reference, ConnectorID: JSON.parse(Buffer.from(connector.id, 'base64url').toString()) });
      const ti = newTransferInitiation(req, connector, id, 'WAITING_FOR_VALIDATION');
      const [dup] = await tx.query(`select id from sb_transfer_initiations where reference = $1`, [req.reference]);
      if (dup) throw new SandboxError('CONFLICT', `transfer initiation with reference '${req.reference}' already exists`, 400);
      this.adjust(ti, 'WAITING_FOR_VALIDATION');
      await this.insertTransfer(tx, ti);
      await publish(initiationEvent(ti));
      await publish(adjustmentEvent(ti));
      if (req.validated) await this.process(tx, ti, connector, publish);
      return ti;
    });
  }

  /** VALIDATED sends a waiting initiation to the (simulated) PSP; REJECTED closes it. */
  async updateTransferInitiationStatus(id: string, status: string): Promise<void> {
    checkId(id, 'transfer initiation');
    if (status !== 'VALIDATED' && status !== 'REJECTED') throw invalid(`status: must be VALIDATED or REJECTED, got '${status}'`);
    await this.write(async (tx, publish) => {
      const ti = await this.getTransferInitiation(id, tx);
      if (ti.status !== 'WAITING_FOR_VALIDATION') throw invalid(`transfer initiation is ${ti.status}, not WAITING_FOR_VALIDATION`);
      const connector = (await this.getConnector(ti.connectorID, tx))!;
      if (status === 'REJECTED') {
        this.adjust(ti, 'REJECTED');
        await this.updateTransfer(tx, ti);
        await publish(adjustmentEvent(ti));
        return;
      }
      this.adjust(ti, 'VALIDATED');
      await publish(adjustmentEvent(ti));
      await this.process(tx, ti, connector, publish);
    });
  }

  async getTransferInitiation(id: string, q: Queryable = this.db): Promise<TransferInitiation> {
    checkId(id, 'transfer initiation');
    const [row] = await q.query(`select t.*, c.provider from sb_transfer_initiations t join sb_connectors c on c.id = t.connector_id where t.id = $1`, [id]);
    if (!row) throw new SandboxError('NOT_FOUND', `transfer initiation ${id} not found`);
    return rowToTransfer(row);
  }

  async findTransferByReference(reference: string): Promise<TransferInitiation | null> {
    const [row] = await this.db.query(`select t.*, c.provider from sb_transfer_initiations t join sb_connectors c on c.id = t.connector_id where t.reference = $1`, [
      reference,
    ]);
    return row ? rowToTransfer(row) : null;
  }

  async listTransferInitiations(opts: { pageSize: number; offset: number }): Promise<{ data: TransferInitiation[]; hasMore: boolean }> {
    const rows = await this.db.query(
      `select t.*, c.provider from sb_transfer_initiations t join sb_connectors c on c.id = t.connector_id order by t.seq desc limit $1 offset $2`,
      [opts.pageSize + 1, opts.offset],
    );
    return { data: rows.slice(0, opts.pageSize).map(rowToTransfer), hasMore: rows.length > opts.pageSize };
  }

  /** The simulated PSP: PROCESSING, then PROCESSED with a SUCCEEDED payment, or FAILED. */
  private async process(tx: Queryable, ti: TransferInitiation, connector: Connector, publish: (e: PlatformEvent) => Promise<void>) {
    this.adjust(ti, 'PROCESSING');
    await publish(adjustmentEvent(ti));
    const failure = ti.metadata?.[SIMULATE_FAILURE_KEY];
    if (failure) {
      this.adjust(ti, 'FAILED', failure);
      await this.updateTransfer(tx, ti);
      await publish(adjustmentEvent(ti));
      return;
    }
    const payment = await this.insertPayment(tx, connector, {
      reference: `${ti.type === 'PAYOUT' ? 'po' : 'tr'}_${createHash('sha256').update(ti.id).digest('hex').slice(0, 24)}`,
      type: ti.type,
      status: 'SUCCEEDED',
      scheme: 'other',
      asset: ti.asset,
      amount: ti.amount,
      sourceAccountID: ti.sourceAccountID,
      destinationAccountID: ti.destinationAccountID,
      metadata: ti.metadata,
      raw: {},
    });
    ti.relatedPayments.push({ paymentID: payment.id, createdAt: payment.createdAt.toISOString(), status: 'SUCCEEDED' });
    this.adjust(ti, 'PROCESSED');
    await this.updateTransfer(tx, ti);
    await publish(savedPaymentEvent(payment));
    await publish({ app: 'payments', version: 'v3', type: 'SAVED_PAYMENT_INITIATION_RELATED_PAYMENT', payload: { paymentInitiationID: ti.id, paymentID: payment.id } });
    await publish(adjustmentEvent(ti));
  }

  private adjust(ti: TransferInitiation, status: TransferStatus, error?: string) {
    ti.status = status;
    ti.error = error ?? null;
    const adj: TransferInitiation['relatedAdjustments'][number] = {
      adjustmentID: encodeId({ PaymentInitiationID: ti.id, CreatedAt: new Date().toISOString(), Status: status }),
      createdAt: new Date().toISOString(),
      status,
    };
    if (error) adj.error = error;
    ti.relatedAdjustments.unshift(adj);
  }

  private async insertTransfer(tx: Queryable, ti: TransferInitiation) {
    await tx.query(
      `insert into sb_transfer_initiations (id, reference, connector_id, created_at, scheduled_at, description, source_account_id,
         destination_account_id, type, amount, initial_amount, asset, status, error, metadata, related_payments, related_adjustments)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::numeric, $10::numeric, $11, $12, $13, $14::jsonb, $15::jsonb, $16::jsonb)`,
      [
        ti.id,
        ti.reference,
        ti.connectorID,
        ti.createdAt,
        ti.scheduledAt,
        ti.description,
        ti.sourceAccountID,
        ti.destinationAccountID,
        ti.type,
        ti.amount.toString(),
        ti.asset,
        ti.status,
        ti.error,
        ti.metadata === null ? null : JSON.stringify(ti.metadata),
        JSON.stringify(ti.relatedPayments),
        JSON.stringify(ti.relatedAdjustments),
      ],
    );
  }

  private async updateTransfer(tx: Queryable, ti: TransferInitiation) {
    await tx.query(`update sb_transfer_initiations set status = $2, error = $3, related_payments = $4::jsonb, related_adjustments = $5::jsonb where id = $1`, [
      ti.id,
      ti.status,
      ti.error,
      JSON.stringify(ti.relatedPayments),
      JSON.stringify(ti.relatedAdjustments),
    ]);
  }

  private async write<T>(fn: (tx: Queryable, publish: (e: PlatformEvent) => Promise<void>) => Promise<T>): Promise<T> {
    let published = false;
    const out = await this.db.transaction((tx) =>
      fn(tx, async (e) => {
        const key = createHash('sha256')
          .update(`${e.type}:${JSON.stringify(e.payload)}`)
          .digest('hex');
        await this.bus.publish(tx, { ...e, idempotencyKey: key });
        published = true;
      }),
    );
    if (published) this.bus.notify();
    return out;
  }
}

export function normalizeProvider(p: string): Provider {
  const up = p.toUpperCase();
  const found = PROVIDERS.find((x) => x === up || x.replaceAll('-', '') === up.replaceAll('-', '').replaceAll('_', ''));
  if (!found) throw invalid(`provider: must be one of ${PROVIDERS.join(', ')}, got '${p}'`);
  return found;
}

function savedPaymentEvent(p: Payment): PlatformEvent {
  return { app: 'payments', version: 'v3', type: 'SAVED_PAYMENT', payload: savedPaymentPayload(p) };
}

/** The v3 SAVED_PAYMENT payload of a payment (also what a backtest rebuilds from a stack's payments). */
export function savedPaymentPayload(p: Payment): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    id: p.id,
    connectorID: p.connectorID,
    provider: lowerProvider(p.provider),
    reference: p.reference,
    createdAt: p.createdAt.toISOString(),
    type: p.type,
    status: p.status,
    scheme: SCHEMES[p.scheme] ?? 'OTHER',
    asset: p.asset,
    amount: p.amount.toString(),
    initialAmount: p.initialAmount.toString(),
    rawData: p.raw ?? {},
  };
  if (p.sourceAccountID) payload.sourceAccountID = p.sourceAccountID;
  if (p.destinationAccountID) payload.destinationAccountID = p.destinationAccountID;
  if (p.metadata && Object.keys(p.metadata).length) payload.metadata = p.metadata;
  return payload;
}

function initiationEvent(ti: TransferInitiation): PlatformEvent {
  const payload: Record<string, unknown> = {
    id: ti.id,
    connectorID: ti.connectorID,
    provider: ti.provider ? lowerProvider(ti.provider) : '',
    reference: ti.reference,
    createdAt: ti.createdAt.toISOString(),
    scheduledAt: ti.scheduledAt.toISOString(),
    description: ti.description,
    type: ti.type,
    amount: ti.amount.toString(),
    asset: ti.asset,
  };
  if (ti.sourceAccountID) payload.sourceAccountID = ti.sourceAccountID;
  if (ti.destinationAccountID) payload.destinationAccountID = ti.destinationAccountID;
  if (ti.metadata && Object.keys(ti.metadata).length) payload.metadata = ti.metadata;
  return { app: 'payments', version: 'v3', type: 'SAVED_PAYMENT_INITIATION', payload };
}

function adjustmentEvent(ti: TransferInitiation): PlatformEvent {
  const adj = ti.relatedAdjustments[0];
  const payload: Record<string, unknown> = {
    id: adj.adjustmentID,
    paymentInitiationID: ti.id,
    status: adj.status,
    amount: ti.amount.toString(),
    asset: ti.asset,
  };
  if (adj.error) payload.error = adj.error;
  return { app: 'payments', version: 'v3', type: 'SAVED_PAYMENT_INITIATION_ADJUSTMENT', payload };
}

function rowToConnector(r: any): Connector {
  return { id: r.id, provider: r.provider, name: r.name, enabled: r.enabled, createdAt: new Date(r.created_at) };
}

function rowToAccount(r: any): PspAccount {
  const a: PspAccount = {
    id: r.id,
    connectorID: r.connector_id,
    provider: r.provider,
    reference: r.reference,
    createdAt: new Date(r.created_at),
    type: r.type,
    metadata: r.metadata ?? {},
    raw: r.raw ?? null,
  };
  if (r.name != null) a.name = r.name;
  if (r.default_asset != null) a.defaultAsset = r.default_asset;
  return a;
}

function rowToPayment(r: any): Payment {
  return {
    id: r.id,
    reference: r.reference,
    connectorID: r.connector_id,
    provider: r.provider,
    type: r.type,
    status: r.status,
    scheme: r.scheme,
    asset: r.asset,
    amount: BigInt(r.amount),
    initialAmount: BigInt(r.initial_amount),
    sourceAccountID: r.source_account_id,
    destinationAccountID: r.destination_account_id,
    createdAt: new Date(r.created_at),
    raw: r.raw ?? null,
    metadata: r.metadata ?? null,
    adjustments: (r.adjustments ?? []).map((a: any) => ({ ...a, amount: BigInt(a.amount), createdAt: new Date(a.createdAt) })),
  };
}

function rowToTransfer(r: any): TransferInitiation {
  return {
    id: r.id,
    reference: r.reference,
    createdAt: new Date(r.created_at),
    scheduledAt: new Date(r.scheduled_at),
    description: r.description,
    sourceAccountID: r.source_account_id,
    destinationAccountID: r.destination_account_id,
    connectorID: r.connector_id,
    provider: r.provider ?? null,
    type: r.type,
    amount: BigInt(r.amount),
    initialAmount: BigInt(r.initial_amount),
    asset: r.asset,
    status: r.status,
    error: r.error ?? null,
    metadata: r.metadata ?? null,
    relatedPayments: r.related_payments ?? [],
    relatedAdjustments: r.related_adjustments ?? [],
  };
}
