import { Hono } from 'hono';
import { envelope, toStoredEvent, type EventBus } from '../../store/bus.js';
import { ApiError, validation } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { checkStringMap, isPlainObject, parseAmount } from '../../sandbox/validate.js';
import { paymentJson } from '../../sandbox/wire/payments.js';
import { toJsonSafe } from '../../sandbox/json.js';
import { errorResponse, json, readBody } from './respond.js';

/** Where a known platform event type comes from (app, envelope version), for hand-published events. */
const KNOWN_TYPES: Record<string, [string, string]> = {
  COMMITTED_TRANSACTIONS: ['ledger', 'v2'],
  SAVED_METADATA: ['ledger', 'v2'],
  DELETED_METADATA: ['ledger', 'v2'],
  REVERTED_TRANSACTION: ['ledger', 'v2'],
  SAVED_PAYMENT: ['payments', 'v3'],
  SAVED_ACCOUNT: ['payments', 'v3'],
  SAVED_PAYMENT_INITIATION: ['payments', 'v3'],
  SAVED_PAYMENT_INITIATION_ADJUSTMENT: ['payments', 'v3'],
  SAVED_PAYMENT_INITIATION_RELATED_PAYMENT: ['payments', 'v3'],
  DELETED_PAYMENT: ['payments', 'v3'],
};

/**
 * Console-only sandbox endpoints (mount at `/api/console`):
 *
 * * `POST /events` `{type, payload, app?, version?, idempotencyKey?}` → 201 `{data: Event}`:
 *   publishes a platform event by hand (trigger testing). `app`/`version` default to the service
 *   that publishes that type (ledger v2, payments v3), else `console`/`v1`.
 * * `GET /events?type=A,B&after=<seq>&before=<seq>&limit=<1..500, default 50>` →
 *   `{data: Event[]}`, newest first. Event = the bus envelope plus its `seq`.
 * * `POST /payments` `{asset, amount, connectorID? | provider?, reference?, type?, status?,
 *   scheme?, sourceAccountID?, destinationAccountID?, metadata?}` → 201 `{data: Payment}`:
 *   simulates a connector reporting a payment (emits SAVED_PAYMENT).
 */
export function consoleSandboxRoutes(db: Db, bus: EventBus, sandbox: Sandbox): Hono {
  const app = new Hono();

  app.post('/events', async (c) => {
    const body = await readBody(c, 'ledger').catch((err) => {
      throw validation(err.message);
    });
    if (!isPlainObject(body)) throw validation('request body: expected a JSON object');
    if (typeof body.type !== 'string' || body.type.trim() === '') throw validation('type: required non-empty string');
    if (!isPlainObject(body.payload)) throw validation('payload: required JSON object');
    for (const k of ['app', 'version', 'idempotencyKey'] as const) {
      if (body[k] !== undefined && typeof body[k] !== 'string') throw validation(`${k}: expected a string`);
    }
    const [defApp, defVersion] = KNOWN_TYPES[body.type] ?? ['console', 'v1'];
    // Stored exact (amounts beyond 2^53 included); expressions read numbers as floats (triggers/expressions.ts).
    const payload = toJsonSafe<Record<string, unknown>>(body.payload);
    const event = {
      app: (body.app as string) || defApp,
      version: (body.version as string) || defVersion,
      type: body.type,
      payload,
      idempotencyKey: (body.idempotencyKey as string) ?? '',
    };
    const seq = await db.transaction((tx) => bus.publish(tx, event));
    bus.notify();
    const [row] = await db.query(`select * from events where seq = $1`, [seq]);
    return json(c, { data: { seq, ...envelope(toStoredEvent(row)) } }, 201);
  });

  app.get('/events', async (c) => {
    const num = (name: string, def: number | undefined, max?: number) => {
      const raw = c.req.query(name);
      if (raw === undefined || raw === '') return def;
      if (!/^\d+$/.test(raw)) throw validation(`${name}: expected a non-negative integer, got '${raw}'`);
      const value = Number(raw);
      if (max) return Math.min(value, max);
      // Event sequence numbers are bigints: a larger value would overflow the query.
      if (value > Number.MAX_SAFE_INTEGER) throw validation(`${name}: expected at most ${Number.MAX_SAFE_INTEGER}, got '${raw}'`);
      return value;
    };
    const after = num('after', 0)!;
    const before = num('before', undefined);
    const limit = Math.max(1, num('limit', 50, 500)!);
    const types = (c.req.query('type') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const params: unknown[] = [after, limit];
    let where = 'seq > $1';
    if (before !== undefined) {
      params.push(before);
      where += ` and seq < $${params.length}`;
    }
    if (types.length) {
      params.push(types);
      where += ` and type = any($${params.length}::text[])`;
    }
    // The Events page's filter: a piece of the type, in any case (LIKE wildcards taken literally).
    const contains = (c.req.query('typeContains') ?? '').trim();
    if (contains.length > 200) throw validation(`typeContains: at most 200 characters, got ${contains.length}`);
    if (contains) {
      params.push(`%${contains.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where += ` and type ilike $${params.length}`;
    }
    const rows = await db.query(`select * from events where ${where} order by seq desc limit $2`, params);
    return json(c, { data: rows.map((r) => ({ seq: Number(r.seq), ...envelope(toStoredEvent(r)) })) });
  });

  app.post('/payments', async (c) => {
    try {
      const body = await readBody(c, 'payments');
      if (!isPlainObject(body)) throw validation('request body: expected a JSON object');
      const amount = parseAmount(body.amount);
      if (typeof amount === 'string') throw validation(`amount: ${amount}`);
      if (typeof body.asset !== 'string') throw validation('asset: required string');
      let connectorID = typeof body.connectorID === 'string' ? body.connectorID : undefined;
      if (!connectorID) {
        const provider = typeof body.provider === 'string' ? body.provider.toUpperCase() : undefined;
        const connectors = (await sandbox.payments.listConnectors()).filter((k) => !provider || k.provider === provider);
        if (connectors.length === 0) throw validation(`connectorID: no connector installed${provider ? ` for provider '${provider}'` : ''}`);
        connectorID = connectors[0].id;
      }
      let metadata: Record<string, string> | undefined;
      if (body.metadata !== undefined && body.metadata !== null) {
        const m = checkStringMap(body.metadata);
        if (typeof m === 'string') throw validation(`metadata: ${m}`);
        metadata = m;
      }
      const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
      const p = await sandbox.payments.createPayment({
        connectorID,
        reference: str('reference'),
        type: str('type') as never,
        status: str('status') as never,
        scheme: str('scheme'),
        asset: body.asset,
        amount,
        sourceAccountID: str('sourceAccountID'),
        destinationAccountID: str('destinationAccountID'),
        metadata,
      });
      return json(c, { data: paymentJson(p) }, 201);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      return errorResponse(c, 'payments', err);
    }
  });

  return app;
}
