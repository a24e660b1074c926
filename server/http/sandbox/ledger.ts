import { Hono, type Context } from 'hono';
import { SandboxError, invalid } from '../../sandbox/errors.js';
import type { CreateTransactionInput, Ledger } from '../../sandbox/ledger.js';
import { accountJson, accountV1Json, ledgerJson, transactionJson } from '../../sandbox/wire/ledger.js';
import { parseRfc3339 } from '../../../common/rfc3339.js';
import { checkStringMap, isPlainObject, parseAmount } from '../../sandbox/validate.js';
import { boolParam, cursorBody, json, noContent, pageSizeParam, param, readBody, withErrors } from './respond.js';

/** Ledger v2 (`/api/ledger/v2/...`), docs/compatibility.md: sandbox ledger. */
export function ledgerV2Routes(ledger: Ledger): Hono {
  const app = withErrors(new Hono(), 'ledger');

  const list = async (c: Context) => {
    const page = await ledger.listLedgers({ pageSize: pageSizeParam(c, 'ledger'), cursor: c.req.query('cursor') });
    return json(c, cursorBody({ ...page, data: page.data.map(ledgerJson) }));
  };
  app.get('/', list);
  app.get('', list);
  app.get('/_info', (c) => json(c, { server: 'ledger', version: 'sandbox' }));

  app.post('/:ledger', async (c) => {
    const body = await readBody(c, 'ledger', { optional: true });
    if (body !== undefined && !isPlainObject(body)) throw invalid('request body: expected a JSON object');
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.bucket !== undefined && typeof b.bucket !== 'string') throw invalid('bucket: expected a string');
    const metadata = b.metadata === undefined || b.metadata === null ? undefined : checkStringMap(b.metadata);
    if (typeof metadata === 'string') throw invalid(`metadata: ${metadata}`);
    const features = b.features === undefined || b.features === null ? undefined : checkStringMap(b.features);
    if (typeof features === 'string') throw invalid(`features: ${features}`);
    await ledger.createLedger(param(c, 'ledger'), { bucket: (b.bucket as string) || undefined, metadata, features });
    return noContent(c, 'ledger');
  });

  app.get('/:ledger', async (c) => {
    const info = await ledger.getLedger(param(c, 'ledger')).catch((err) => {
      if (err instanceof SandboxError && err.code === 'LEDGER_NOT_FOUND') throw new SandboxError('NOT_FOUND', err.message);
      throw err;
    });
    return json(c, { data: ledgerJson(info) });
  });

  // --- accounts
  app.get('/:ledger/accounts', async (c) => {
    const expand = expandParam(c);
    const page = await ledger.listAccounts(param(c, 'ledger'), { pageSize: pageSizeParam(c, 'ledger'), cursor: c.req.query('cursor'), query: await queryParam(c) });
    return json(c, cursorBody({ ...page, data: page.data.map((a) => accountJson(a, expand)) }));
  });
  app.on('HEAD', '/:ledger/accounts', async (c) => {
    const page = await ledger.listAccounts(param(c, 'ledger'), { pageSize: 100000, query: await queryParam(c) });
    c.header('Count', String(page.data.length));
    return c.body(null, 204);
  });
  app.get('/:ledger/accounts/:address', async (c) => {
    const account = await ledger.getAccount(param(c, 'ledger'), param(c, 'address'));
    return json(c, { data: accountJson(account, expandParam(c)) });
  });
  app.post('/:ledger/accounts/:address/metadata', async (c) => {
    const metadata = checkStringMap(await readBody(c, 'ledger'));
    if (typeof metadata === 'string') throw invalid(`request body: ${metadata}`);
    await ledger.addAccountMetadata(param(c, 'ledger'), param(c, 'address'), metadata, writeOptions(c));
    return noContent(c, 'ledger');
  });
  app.delete('/:ledger/accounts/:address/metadata/:key', async (c) => {
    await ledger.deleteAccountMetadata(param(c, 'ledger'), param(c, 'address'), param(c, 'key'), writeOptions(c));
    return noContent(c, 'ledger');
  });

  // --- transactions
  app.get('/:ledger/transactions', async (c) => {
    const volumes = expandParam(c).volumes;
    const page = await ledger.listTransactions(param(c, 'ledger'), {
      pageSize: pageSizeParam(c, 'ledger'),
      cursor: c.req.query('cursor'),
      query: await queryParam(c),
      reverse: boolParam(c, 'reverse'),
    });
    return json(c, cursorBody({ ...page, data: page.data.map((t) => transactionJson(t, { volumes })) }));
  });
  app.on('HEAD', '/:ledger/transactions', async (c) => {
    const page = await ledger.listTransactions(param(c, 'ledger'), { pageSize: 100000, query: await queryParam(c) });
    c.header('Count', String(page.data.length));
    return c.body(null, 204);
  });
  app.post('/:ledger/transactions', async (c) => {
    const input = parseCreateTransaction(await readBody(c, 'ledger'));
    if (boolParam(c, 'force')) input.force = true;
    const { transaction, idempotencyHit } = await ledger.createTransaction(param(c, 'ledger'), input, writeOptions(c));
    if (idempotencyHit) c.header('Idempotency-Hit', 'true');
    return json(c, { data: transactionJson(transaction) });
  });
  app.get('/:ledger/transactions/:id', async (c) => {
    const t = await ledger.getTransaction(param(c, 'ledger'), txId(c));
    return json(c, { data: transactionJson(t, { volumes: expandParam(c).volumes }) });
  });
  app.post('/:ledger/transactions/:id/metadata', async (c) => {
    const id = txId(c);
    const metadata = checkStringMap(await readBody(c, 'ledger'));
    if (typeof metadata === 'string') throw invalid(`request body: ${metadata}`);
    await ledger.addTransactionMetadata(param(c, 'ledger'), id, metadata, writeOptions(c));
    return noContent(c, 'ledger');
  });
  app.delete('/:ledger/transactions/:id/metadata/:key', async (c) => {
    await ledger.deleteTransactionMetadata(param(c, 'ledger'), txId(c), param(c, 'key'), writeOptions(c));
    return noContent(c, 'ledger');
  });
  app.post('/:ledger/transactions/:id/revert', async (c) => {
    const id = txId(c);
    const body = await readBody(c, 'ledger', { optional: true });
    let metadata: Record<string, string> | undefined;
    if (isPlainObject(body) && body.metadata !== undefined && body.metadata !== null) {
      const m = checkStringMap(body.metadata);
      if (typeof m === 'string') throw invalid(`metadata: ${m}`);
      metadata = m;
    }
    const t = await ledger.revertTransaction(param(c, 'ledger'), id, {
      ...writeOptions(c),
      force: boolParam(c, 'force'),
      atEffectiveDate: boolParam(c, 'atEffectiveDate'),
      metadata,
    });
    return json(c, { data: transactionJson(t) }, 201);
  });

  app.get('/:ledger/aggregate/balances', async (c) => {
    const balances = await ledger.aggregateBalances(param(c, 'ledger'), await queryParam(c));
    return json(c, { data: balances });
  });

  return app;
}

/** Ledger v1: only get account (Flows' `GetAccount`), docs/compatibility.md: sandbox ledger. */
export function ledgerV1Routes(ledger: Ledger): Hono {
  const app = withErrors(new Hono(), 'ledgerV1');
  app.get('/:ledger/accounts/:address', async (c) => {
    const a = await ledger.getAccountV1(param(c, 'ledger'), param(c, 'address'));
    return json(c, { data: accountV1Json(a) });
  });
  return app;
}

// -------------------------------------------------------------------------------------------

function expandParam(c: Context) {
  const values = (c.req.queries('expand') ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  return { volumes: values.includes('volumes'), effectiveVolumes: values.includes('effectiveVolumes') };
}

/** `query`: URL-encoded JSON in the query string, or (upstream also accepts it) the GET body. */
async function queryParam(c: Context): Promise<unknown> {
  const raw = c.req.query('query');
  if (raw !== undefined && raw !== '') {
    try {
      return JSON.parse(raw);
    } catch {
      throw invalid('query: invalid JSON');
    }
  }
  if (c.req.method === 'GET') {
    const body = await readBody(c, 'ledger', { optional: true });
    if (body !== undefined) return body;
  }
  return undefined;
}

function txId(c: Context): number {
  const raw = param(c, 'id');
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw invalid(`invalid transaction id '${raw.slice(0, 40)}': expected an integer`);
  return Number(raw);
}

function writeOptions(c: Context) {
  return { idempotencyKey: c.req.header('Idempotency-Key') || undefined, dryRun: boolParam(c, 'dryRun') };
}

/** V2PostTransaction (docs/compatibility.md: sandbox ledger), every problem named by its field. */
export function parseCreateTransaction(body: unknown): CreateTransactionInput {
  if (!isPlainObject(body)) throw invalid('request body: expected a JSON object');
  const input: CreateTransactionInput = {};
  if (body.postings !== undefined && body.postings !== null) {
    if (!Array.isArray(body.postings)) throw invalid('postings: expected an array');
    input.postings = body.postings.map((p, i) => {
      if (!isPlainObject(p)) throw invalid(`postings[${i}]: expected an object`);
      for (const k of ['source', 'destination', 'asset']) {
        if (typeof p[k] !== 'string' || p[k] === '') throw invalid(`postings[${i}].${k}: required string`);
      }
      const amount = parseAmount(p.amount);
      if (typeof amount === 'string') throw invalid(`postings[${i}].amount: ${amount}`);
      return { source: p.source as string, destination: p.destination as string, asset: p.asset as string, amount };
    });
  }
  if (body.script !== undefined && body.script !== null) {
    const s = body.script;
    if (!isPlainObject(s) || typeof s.plain !== 'string') throw invalid('script.plain: required string');
    let vars: Record<string, string> | undefined;
    if (s.vars !== undefined && s.vars !== null) {
      if (!isPlainObject(s.vars)) throw invalid('script.vars: expected an object');
      vars = {};
      for (const [k, v] of Object.entries(s.vars)) {
        if (typeof v === 'string') vars[k] = v;
        else if (typeof v === 'number' || typeof v === 'bigint') vars[k] = String(v);
        else if (isPlainObject(v) && typeof v.asset === 'string' && v.amount !== undefined) vars[k] = `${v.asset} ${String(v.amount)}`;
        else throw invalid(`script.vars.${k}: expected a string`);
      }
    }
    if (s.plain.trim() !== '') input.script = { plain: s.plain, vars };
  }
  if (body.metadata !== undefined && body.metadata !== null) {
    const m = checkStringMap(body.metadata);
    if (typeof m === 'string') throw invalid(`metadata: ${m}`);
    input.metadata = m;
  }
  if (body.reference !== undefined && body.reference !== null) {
    if (typeof body.reference !== 'string') throw invalid('reference: expected a string');
    input.reference = body.reference || undefined;
  }
  if (body.timestamp !== undefined && body.timestamp !== null) {
    const d = typeof body.timestamp === 'string' ? parseRfc3339(body.timestamp) : null;
    if (!d) throw invalid('timestamp: expected an RFC 3339 date');
    input.timestamp = d;
  }
  if (body.accountMetadata !== undefined && body.accountMetadata !== null) {
    if (!isPlainObject(body.accountMetadata)) throw invalid('accountMetadata: expected an object');
    input.accountMetadata = {};
    for (const [a, m] of Object.entries(body.accountMetadata)) {
      const mm = checkStringMap(m);
      if (typeof mm === 'string') throw invalid(`accountMetadata.${a}: ${mm}`);
      input.accountMetadata[a] = mm;
    }
  }
  if (body.force === true) input.force = true;
  if (input.postings?.length && input.script) throw invalid('postings and script: only one of them may be given');
  return input;
}
