import { toJsonSafe } from '../../sandbox/json.js';
import type { Posting, Transaction } from '../../sandbox/ledger.js';
import { SandboxError } from '../../sandbox/errors.js';
import type { StageContext } from '../types.js';
import { remote, sandboxOf, toActivityError } from './errors.js';

export interface CreateTransactionRequest {
  ledger: string;
  postings?: Posting[];
  script?: { plain: string };
  metadata: Record<string, string>;
  reference?: string;
  timestamp?: Date;
}

/** Output as upstream's v2 client returns it: `{data: [{txid, id, postings, metadata, timestamp, reference?}]}`. */
export interface CreateTransactionOutput {
  data: {
    txid: number;
    id: number;
    postings: { source: string; destination: string; amount: number; asset: string }[];
    metadata: Record<string, string>;
    timestamp: string;
    reference?: string;
  }[];
}

export interface ConflictOptions {
  /**
   * Payment ingestion: a reference already used means "already ingested"; the activity then
   * completes with the transaction that holds the reference, so history shows it.
   */
  ignoreConflict?: boolean;
  /**
   * Called with that transaction before completing: throwing a non-retryable error fails the
   * activity (recorded, so a replay fails the same way) instead.
   */
  onAlreadyDone?: (existing: Transaction) => Promise<void>;
}

/** `CreateTransaction`: ledger v2 create transaction with the activity's idempotency key. */
export async function createTransaction(ctx: StageContext, req: CreateTransactionRequest, opts: ConflictOptions = {}): Promise<CreateTransactionOutput> {
  const data: Record<string, unknown> = {};
  if (req.postings) data.postings = req.postings.map((p) => ({ source: p.source, destination: p.destination, amount: p.amount, asset: p.asset }));
  if (req.script) data.script = { plain: req.script.plain };
  data.metadata = req.metadata;
  if (req.reference !== undefined) data.reference = req.reference;
  if (req.timestamp) data.timestamp = req.timestamp.toISOString();
  const input = toJsonSafe({ ledger: req.ledger, data });

  return ctx.activity('CreateTransaction', input, async (idempotencyKey) => {
    const { ledger } = sandboxOf(ctx);
    let transaction: Transaction;
    try {
      ({ transaction } = await remote(() =>
        ledger.createTransaction(
          req.ledger,
          { postings: req.postings, script: req.script, metadata: req.metadata, reference: req.reference, timestamp: req.timestamp },
          { idempotencyKey },
        ),
      ));
    } catch (err) {
      const conflict = (err as { code?: string }).code === 'CONFLICT';
      if (!opts.ignoreConflict || !conflict || !req.reference) throw err;
      const found = await remote(() => ledger.findTransactionByReference(req.ledger, req.reference!));
      if (!found) throw toActivityError(new SandboxError('CONFLICT', `duplicate reference '${req.reference}'`));
      transaction = found;
      await opts.onAlreadyDone?.(transaction);
    }
    return transactionOutput(transaction);
  });
}

export function transactionOutput(t: Transaction): CreateTransactionOutput {
  const item: CreateTransactionOutput['data'][number] = {
    txid: t.id,
    id: t.id,
    postings: toJsonSafe(t.postings),
    metadata: t.metadata,
    timestamp: t.timestamp.toISOString(),
  };
  if (t.reference !== undefined) item.reference = t.reference;
  return { data: [item] };
}
