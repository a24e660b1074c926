import { Hono, type Context } from 'hono';
import { parseRfc3339 } from '../../../common/rfc3339.js';
import { SandboxError, invalid } from '../../sandbox/errors.js';
import { decodeCursor, makeCursor } from '../../sandbox/paging.js';
import type { Payments } from '../../sandbox/payments.js';
import { paymentJson, pspAccountJson, transferJson } from '../../sandbox/wire/payments.js';
import { checkStringMap, isPlainObject, parseAmount } from '../../sandbox/validate.js';
import { cursorBody, json, noContent, pageSizeParam, param, readBody, withErrors } from './respond.js';

/** Payments, unprefixed "v1" API (`/api/payments/...`), docs/compatibility.md: sandbox wallets and payments. */
export function paymentsRoutes(payments: Payments): Hono {
  const app = withErrors(new Hono(), 'payments');

  app.get('/_info', (c) => json(c, { version: 'sandbox' }));

  app.get('/connectors', async (c) => {
    const connectors = await payments.listConnectors();
    return json(c, { data: connectors.map((k) => ({ provider: k.provider, connectorID: k.id, name: k.name, enabled: k.enabled })) });
  });

  app.get('/payments', async (c) => {
    const { pageSize, offset } = page(c);
    const res = await payments.listPayments({ pageSize, offset });
    return json(c, cursorBody(pageOf(res.hasMore, pageSize, offset, res.data.map(paymentJson))));
  });
  app.get('/payments/:id', async (c) => json(c, { data: paymentJson(await payments.getPayment(param(c, 'id'))) }));

  app.get('/accounts', async (c) => {
    const { pageSize, offset } = page(c);
    const res = await payments.listAccounts({ pageSize, offset });
    return json(c, cursorBody(pageOf(res.hasMore, pageSize, offset, res.data.map(pspAccountJson))));
  });

  app.post('/transfer-initiations', async (c) => {
    const body = await readBody(c, 'payments');
    if (!isPlainObject(body)) throw new SandboxError('MISSING_OR_INVALID_BODY', 'request body: expected a JSON object');
    const str = (k: string, required = false): string | undefined => {
      const v = body[k];
      if (v === undefined || v === null) {
        if (required) throw invalid(`${k}: required`);
        return undefined;
      }
      if (typeof v !== 'string') throw invalid(`${k}: expected a string`);
      return v;
    };
    const amount = parseAmount(body.amount);
    if (typeof amount === 'string') throw invalid(`amount: ${amount}`);
    const type = str('type', true)!.toUpperCase();
    if (type !== 'TRANSFER' && type !== 'PAYOUT') throw invalid(`type: must be TRANSFER or PAYOUT, got '${body.type}'`);
    let scheduledAt: Date | undefined;
    const rawDate = str('scheduledAt');
    if (rawDate) {
      scheduledAt = parseRfc3339(rawDate) ?? undefined;
      if (!scheduledAt) throw invalid('scheduledAt: expected an RFC 3339 date');
    }
    let metadata: Record<string, string> | null = null;
    if (body.metadata !== undefined && body.metadata !== null) {
      const m = checkStringMap(body.metadata);
      if (typeof m === 'string') throw invalid(`metadata: ${m}`);
      metadata = m;
    }
    if (body.validated !== undefined && typeof body.validated !== 'boolean') throw invalid('validated: expected a boolean');
    const ti = await payments.createTransferInitiation({
      reference: str('reference', true)!,
      scheduledAt,
      description: str('description'),
      sourceAccountID: str('sourceAccountID'),
      destinationAccountID: str('destinationAccountID', true)!,
      connectorID: str('connectorID') || undefined,
      provider: str('provider') || undefined,
      type,
      amount,
      asset: str('asset', true)!,
      validated: body.validated === true,
      metadata,
    });
    return json(c, { data: transferJson(ti, false) });
  });

  app.get('/transfer-initiations', async (c) => {
    // Sandbox extra: the transfer with this reference (unique), e.g. the one a workflow's payout made.
    const reference = c.req.query('reference');
    if (reference) {
      const found = await payments.findTransferByReference(reference);
      const size = page(c).pageSize;
      return json(c, cursorBody(pageOf(false, size, 0, found ? [transferJson(found, false)] : [])));
    }
    const { pageSize, offset } = page(c);
    const res = await payments.listTransferInitiations({ pageSize, offset });
    return json(
      c,
      cursorBody(
        pageOf(
          res.hasMore,
          pageSize,
          offset,
          res.data.map((t) => transferJson(t, false)),
        ),
      ),
    );
  });
  app.get('/transfer-initiations/:id', async (c) => json(c, { data: transferJson(await payments.getTransferInitiation(param(c, 'id')), true) }));
  app.post('/transfer-initiations/:id/status', async (c) => {
    const body = await readBody(c, 'payments');
    if (!isPlainObject(body) || typeof body.status !== 'string') throw invalid('status: required (VALIDATED or REJECTED)');
    await payments.updateTransferInitiationStatus(param(c, 'id'), body.status);
    return noContent(c, 'payments');
  });

  return app;
}

function page(c: Context) {
  const explicit = pageSizeParam(c, 'payments');
  const cursor = c.req.query('cursor');
  if (cursor) {
    const d = decodeCursor(cursor);
    return { pageSize: explicit ?? d.pageSize, offset: d.offset };
  }
  return { pageSize: explicit ?? 15, offset: 0 };
}

function pageOf<T>(hasMore: boolean, pageSize: number, offset: number, data: T[]) {
  return {
    data,
    pageSize,
    hasMore,
    next: hasMore ? makeCursor(offset + pageSize, pageSize) : undefined,
    previous: offset > 0 ? makeCursor(Math.max(0, offset - pageSize), pageSize) : undefined,
  };
}
