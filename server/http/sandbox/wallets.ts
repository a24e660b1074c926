import { Hono, type Context } from 'hono';
import { parseRfc3339 } from '../../../common/rfc3339.js';
import { invalid } from '../../sandbox/errors.js';
import { decodeCursor, makeCursor } from '../../sandbox/paging.js';
import { transactionJson } from '../../sandbox/wire/ledger.js';
import { balanceJson, holdJson, walletJson } from '../../sandbox/wire/wallets.js';
import { checkStringMap, isPlainObject, parseAmount } from '../../sandbox/validate.js';
import type { Monetary, Subject, Wallets } from '../../sandbox/wallets.js';
import { cursorBody, emptyNotFound, json, metadataParams, noContent, pageSizeParam, param, readBody, withErrors } from './respond.js';

/** Wallets (`/api/wallets/...`), docs/compatibility.md: sandbox wallets and payments. */
export function walletsRoutes(wallets: Wallets): Hono {
  const app = withErrors(new Hono(), 'wallets');

  app.get('/_info', (c) => json(c, { version: 'sandbox' }));

  app.get('/wallets', async (c) => {
    const { pageSize, offset, filters } = page(c, () => ({ name: c.req.query('name'), metadata: metadataParams(c), expand: c.req.query('expand') === 'balances' }));
    const f = filters as { name?: string; metadata?: Record<string, string>; expand?: boolean };
    const res = await wallets.listWallets({ name: f.name, metadata: f.metadata, pageSize, offset });
    return json(
      c,
      cursorBody(
        pageOf(
          res,
          pageSize,
          offset,
          filters,
          res.data.map((w) => walletJson(w, f.expand ?? false)),
        ),
      ),
    );
  });

  app.post('/wallets', async (c) => {
    const body = await readBody(c, 'wallets', { optional: true });
    const b = isPlainObject(body) ? body : {};
    if (body !== undefined && !isPlainObject(body)) throw invalid('request body: expected a JSON object');
    if (b.name !== undefined && typeof b.name !== 'string') throw invalid('name: expected a string');
    const metadata = b.metadata === undefined || b.metadata === null ? {} : checkStringMap(b.metadata);
    if (typeof metadata === 'string') throw invalid(`metadata: ${metadata}`);
    const w = await wallets.createWallet({ name: (b.name as string) ?? '', metadata }, { idempotencyKey: idem(c) });
    return json(c, { data: walletJson(w, true) }, 201);
  });

  app.get('/wallets/:id', async (c) => {
    const w = await wallets.getWallet(param(c, 'id'));
    if (!w) return emptyNotFound(c);
    return json(c, { data: walletJson(w, true) });
  });

  app.patch('/wallets/:id', async (c) => {
    const body = await readBody(c, 'wallets');
    if (!isPlainObject(body)) throw invalid('request body: expected a JSON object');
    const metadata = checkStringMap(body.metadata ?? {});
    if (typeof metadata === 'string') throw invalid(`metadata: ${metadata}`);
    if (!(await wallets.getWallet(param(c, 'id')))) return emptyNotFound(c);
    await wallets.updateWallet(param(c, 'id'), metadata);
    return noContent(c, 'wallets');
  });

  app.get('/wallets/:id/summary', async (c) => {
    const s = await wallets.summary(param(c, 'id'));
    return json(c, {
      data: {
        balances: s.balances.map(balanceJson),
        availableFunds: s.availableFunds,
        expiredFunds: s.expiredFunds,
        expirableFunds: s.expirableFunds,
        holdFunds: s.holdFunds,
      },
    });
  });

  app.get('/wallets/:id/balances', async (c) => {
    const { pageSize, offset } = page(c, () => ({}));
    const all = await wallets.listBalances(param(c, 'id'));
    const slice = all.slice(offset, offset + pageSize);
    return json(
      c,
      cursorBody(
        pageOf(
          { hasMore: all.length > offset + pageSize },
          pageSize,
          offset,
          {},
          slice.map((b) => ({ ...balanceJson(b), assets: undefined })),
        ),
      ),
    );
  });

  app.post('/wallets/:id/balances', async (c) => {
    const body = await readBody(c, 'wallets');
    if (!isPlainObject(body)) throw invalid('request body: expected a JSON object');
    if (typeof body.name !== 'string' || body.name === '') throw invalid('name: required string');
    let expiresAt: Date | undefined;
    if (body.expiresAt !== undefined && body.expiresAt !== null) {
      expiresAt = (typeof body.expiresAt === 'string' ? parseRfc3339(body.expiresAt) : null) ?? undefined;
      if (!expiresAt) throw invalid('expiresAt: expected an RFC 3339 date');
    }
    let priority: number | undefined;
    if (body.priority !== undefined && body.priority !== null) {
      const p = parseAmount(body.priority);
      if (typeof p === 'string') throw invalid(`priority: ${p}`);
      priority = Number(p);
    }
    const b = await wallets.createBalance(param(c, 'id'), { name: body.name, expiresAt, priority });
    return json(c, { data: balanceJson(b) }, 201);
  });

  app.get('/wallets/:id/balances/:balance', async (c) => {
    const b = await wallets.getBalance(param(c, 'id'), param(c, 'balance'));
    if (!b) return emptyNotFound(c);
    return json(c, { data: balanceJson(b) });
  });

  app.post('/wallets/:id/credit', async (c) => {
    const body = await readBody(c, 'wallets');
    if (!isPlainObject(body)) throw invalid('request body: expected a JSON object');
    const req = {
      amount: monetary(body.amount, 'amount'),
      sources: body.sources === undefined || body.sources === null ? undefined : subjects(body.sources, 'sources'),
      balance: optionalString(body.balance, 'balance'),
      metadata: metadata(body.metadata),
      reference: optionalString(body.reference, 'reference'),
      timestamp: optionalDate(body.timestamp, 'timestamp'),
    };
    await wallets.credit(param(c, 'id'), req, { idempotencyKey: idem(c) });
    return noContent(c, 'wallets');
  });

  app.post('/wallets/:id/debit', async (c) => {
    const body = await readBody(c, 'wallets');
    if (!isPlainObject(body)) throw invalid('request body: expected a JSON object');
    let balances: string[] | undefined;
    if (body.balances !== undefined && body.balances !== null) {
      if (!Array.isArray(body.balances) || body.balances.some((b) => typeof b !== 'string')) throw invalid('balances: expected an array of strings');
      balances = body.balances as string[];
    }
    const hold = await wallets.debit(
      param(c, 'id'),
      {
        amount: monetary(body.amount, 'amount'),
        metadata: metadata(body.metadata),
        balances,
        destination: body.destination === undefined || body.destination === null ? undefined : subject(body.destination, 'destination'),
        pending: body.pending === true,
        description: optionalString(body.description, 'description'),
        reference: optionalString(body.reference, 'reference'),
        timestamp: optionalDate(body.timestamp, 'timestamp'),
      },
      { idempotencyKey: idem(c) },
    );
    if (hold) return json(c, { data: holdJson(hold, false) }, 201);
    return noContent(c, 'wallets');
  });

  app.get('/holds', async (c) => {
    const { pageSize, offset, filters } = page(c, () => ({ walletID: c.req.query('walletID'), metadata: metadataParams(c) }));
    const f = filters as { walletID?: string; metadata?: Record<string, string> };
    const res = await wallets.listHolds({ walletID: f.walletID, metadata: f.metadata, pageSize, offset });
    return json(
      c,
      cursorBody(
        pageOf(
          res,
          pageSize,
          offset,
          filters,
          res.data.map((h) => holdJson(h, false)),
        ),
      ),
    );
  });

  app.get('/holds/:id', async (c) => {
    const h = await wallets.getHold(param(c, 'id'));
    if (!h) return emptyNotFound(c);
    return json(c, { data: holdJson(h, true) });
  });

  app.post('/holds/:id/confirm', async (c) => {
    const body = await readBody(c, 'wallets', { optional: true });
    const b = isPlainObject(body) ? body : {};
    let amount: bigint | undefined;
    if (b.amount !== undefined && b.amount !== null) {
      const a = parseAmount(b.amount);
      if (typeof a === 'string') throw invalid(`amount: ${a}`);
      amount = a;
    }
    await wallets.confirmHold(param(c, 'id'), { amount, final: b.final === true }, { idempotencyKey: idem(c) });
    return noContent(c, 'wallets');
  });

  app.post('/holds/:id/void', async (c) => {
    await wallets.voidHold(param(c, 'id'), { idempotencyKey: idem(c) });
    return noContent(c, 'wallets');
  });

  app.get('/transactions', async (c) => {
    const res = await wallets.transactions({ walletID: c.req.query('walletID'), pageSize: pageSizeParam(c, 'wallets'), cursor: c.req.query('cursor') });
    return json(c, cursorBody({ ...res, data: res.data.map((t) => ({ ...transactionJson(t), ledger: t.ledger })) }));
  });

  return app;
}

// -------------------------------------------------------------------------------------------

/** Offset cursors carrying the filters they were made with (cursor wins over parameters). */
function page(c: Context, filtersFromParams: () => Record<string, unknown>) {
  const explicit = pageSizeParam(c, 'wallets');
  const cursor = c.req.query('cursor');
  if (cursor) {
    const d = decodeCursor(cursor);
    return { pageSize: explicit ?? d.pageSize, offset: d.offset, filters: (d.query ?? {}) as Record<string, unknown> };
  }
  return { pageSize: explicit ?? 15, offset: 0, filters: filtersFromParams() };
}

function pageOf<T>(res: { hasMore: boolean }, pageSize: number, offset: number, filters: Record<string, unknown>, data: T[]) {
  return {
    data,
    pageSize,
    hasMore: res.hasMore,
    next: res.hasMore ? makeCursor(offset + pageSize, pageSize, filters) : undefined,
    previous: offset > 0 ? makeCursor(Math.max(0, offset - pageSize), pageSize, filters) : undefined,
  };
}

const idem = (c: Context) => c.req.header('Idempotency-Key') || undefined;

function monetary(v: unknown, field: string): Monetary {
  if (!isPlainObject(v)) throw invalid(`${field}: expected {asset, amount}`);
  if (typeof v.asset !== 'string' || v.asset === '') throw invalid(`${field}.asset: required string`);
  const amount = parseAmount(v.amount);
  if (typeof amount === 'string') throw invalid(`${field}.amount: ${amount}`);
  return { asset: v.asset, amount };
}

function subject(v: unknown, field: string): Subject {
  if (!isPlainObject(v)) throw invalid(`${field}: expected a subject {type, identifier}`);
  if (v.type !== 'ACCOUNT' && v.type !== 'WALLET') throw invalid(`${field}.type: must be ACCOUNT or WALLET`);
  if (typeof v.identifier !== 'string' || v.identifier === '') throw invalid(`${field}.identifier: required string`);
  const s: Subject = { type: v.type, identifier: v.identifier };
  if (v.type === 'WALLET' && typeof v.balance === 'string' && v.balance !== '') s.balance = v.balance;
  return s;
}

function subjects(v: unknown, field: string): Subject[] {
  if (!Array.isArray(v)) throw invalid(`${field}: expected an array of subjects`);
  return v.map((s, i) => subject(s, `${field}[${i}]`));
}

function metadata(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const m = checkStringMap(v);
  if (typeof m === 'string') throw invalid(`metadata: ${m}`);
  return m;
}

function optionalString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalid(`${field}: expected a string`);
  return v;
}

function optionalDate(v: unknown, field: string): Date | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const d = typeof v === 'string' ? parseRfc3339(v) : null;
  if (!d) throw invalid(`${field}: expected an RFC 3339 date`);
  return d;
}
