import { toJsonSafe } from '../sandbox/json.js';
import { savedPaymentPayload } from '../sandbox/payments.js';
import type { EventSource, PastEvent } from '../triggers/backtest.js';
import { paymentFromJson } from './stack-source.js';
import type { StackClient } from './stack-client.js';

/** Pages read per list at most (100 items each): a backtest stays bounded whatever the stack holds. */
const MAX_PAGES = 50;

interface Range {
  type: string;
  from: Date;
  to: Date;
  limit: number;
}

/**
 * Past platform events as far as a stack exposes them: it keeps no event log, so ledger
 * COMMITTED_TRANSACTIONS are rebuilt from each ledger's transactions and SAVED_PAYMENT from the
 * payments; `uncovered` says what that leaves out.
 */
export async function stackEventSource(stack: StackClient, range: Range, signal?: AbortSignal): Promise<{ source: EventSource; uncovered: string[] }> {
  let events: PastEvent[] = [];
  const uncovered: string[] = [];
  if (range.type === 'COMMITTED_TRANSACTIONS') {
    events = await committedTransactions(stack, range, signal, uncovered);
    uncovered.push("COMMITTED_TRANSACTIONS are rebuilt from the ledgers' transactions: `accountMetadata` (metadata written with a transaction) is empty in them.");
  } else if (range.type === 'SAVED_PAYMENT') {
    events = await savedPayments(stack, range, signal, uncovered);
    uncovered.push(
      'SAVED_PAYMENT is rebuilt from each payment as it is now, once, at its creation date: the stack sends one per status change, and earlier statuses are not replayed; `links` are absent.',
    );
  } else {
    uncovered.push(
      `The stack keeps no history of ${range.type} events: none could be replayed (only COMMITTED_TRANSACTIONS and SAVED_PAYMENT can be rebuilt from its data).`,
    );
  }
  events.sort((a, b) => a.date.getTime() - b.date.getTime());
  const more = events.length > range.limit;
  const kept = events.slice(0, range.limit);
  return {
    source: {
      total: kept.length,
      more,
      events: (async function* () {
        yield* kept;
      })(),
    },
    uncovered,
  };
}

const inRange = (d: Date, r: Range) => d.getTime() >= r.from.getTime() && d.getTime() < r.to.getTime();

async function* pages(
  stack: StackClient,
  first: string,
  next: (cursor: string) => string,
  signal: AbortSignal | undefined,
  truncated: () => void,
): AsyncGenerator<any[]> {
  let path = first;
  for (let page = 0; ; page++) {
    if (page === MAX_PAGES) return truncated();
    const r = await stack.read(path, { signal });
    if (r.status !== 200) return;
    yield r.body.cursor?.data ?? [];
    if (!r.body.cursor?.hasMore || !r.body.cursor?.next) return;
    path = next(r.body.cursor.next);
  }
}

async function committedTransactions(stack: StackClient, range: Range, signal: AbortSignal | undefined, uncovered: string[]): Promise<PastEvent[]> {
  const ledgers: string[] = [];
  for await (const data of pages(
    stack,
    '/api/ledger/v2?pageSize=100',
    (c) => `/api/ledger/v2?cursor=${encodeURIComponent(c)}`,
    signal,
    () => uncovered.push(`Only the first ${MAX_PAGES * 100} ledgers were read.`),
  )) {
    ledgers.push(...data.map((l: any) => l.name));
  }
  const out: PastEvent[] = [];
  for (const ledger of ledgers) {
    const base = `/api/ledger/v2/${encodeURIComponent(ledger)}/transactions`;
    let found = 0;
    // newest first: stop once past the start of the range, or with enough for the limit
    scan: for await (const data of pages(
      stack,
      `${base}?pageSize=100`,
      (c) => `${base}?cursor=${encodeURIComponent(c)}`,
      signal,
      () => uncovered.push(`Ledger ${ledger}: only its newest ${MAX_PAGES * 100} transactions were read.`),
    )) {
      for (const t of data) {
        const date = new Date(t.insertedAt ?? t.timestamp);
        if (date.getTime() < range.from.getTime()) break scan;
        if (!inRange(date, range)) continue;
        out.push({ date, type: 'COMMITTED_TRANSACTIONS', version: 'v2', payload: toJsonSafe({ ledger, transactions: [t], accountMetadata: {} }) });
        if (++found > range.limit) break scan;
      }
    }
  }
  return out;
}

async function savedPayments(stack: StackClient, range: Range, signal: AbortSignal | undefined, uncovered: string[]): Promise<PastEvent[]> {
  const out: PastEvent[] = [];
  for await (const data of pages(
    stack,
    '/api/payments/payments?pageSize=100',
    (c) => `/api/payments/payments?cursor=${encodeURIComponent(c)}`,
    signal,
    () => uncovered.push(`Only ${MAX_PAGES * 100} payments were read.`),
  )) {
    for (const j of data) {
      const p = paymentFromJson(j);
      if (inRange(p.createdAt, range)) out.push({ date: p.createdAt, type: 'SAVED_PAYMENT', version: 'v3', payload: toJsonSafe(savedPaymentPayload(p)) });
    }
  }
  return out;
}
