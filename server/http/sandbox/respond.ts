import type { Context, Hono } from 'hono';
import { defaultLogger, errorFields } from '../../lib/log.js';
import { SandboxError } from '../../sandbox/errors.js';
import { parseJson, stringifyJson } from '../../sandbox/json.js';

/** The stack service an adapter speaks for: each has its own closed error enum (docs/compatibility.md: sandbox errors). */
export type Service = 'ledger' | 'ledgerV1' | 'wallets' | 'payments';

const ENUMS: Record<Service, string[]> = {
  ledger: [
    'INTERNAL',
    'INSUFFICIENT_FUND',
    'VALIDATION',
    'CONFLICT',
    'COMPILATION_FAILED',
    'METADATA_OVERRIDE',
    'NOT_FOUND',
    'REVERT_OCCURRING',
    'ALREADY_REVERT',
    'NO_POSTINGS',
    'LEDGER_NOT_FOUND',
    'IMPORT',
    'TIMEOUT',
    'BULK_SIZE_EXCEEDED',
    'INTERPRETER_PARSE',
    'INTERPRETER_RUNTIME',
    'LEDGER_ALREADY_EXISTS',
    'SCHEMA_ALREADY_EXISTS',
    'SCHEMA_NOT_SPECIFIED',
    'OUTDATED_SCHEMA',
  ],
  ledgerV1: ['INTERNAL', 'INSUFFICIENT_FUND', 'VALIDATION', 'CONFLICT', 'NO_SCRIPT', 'COMPILATION_FAILED', 'METADATA_OVERRIDE', 'NOT_FOUND', 'TIMEOUT'],
  wallets: ['VALIDATION', 'INTERNAL_ERROR', 'INSUFFICIENT_FUND', 'HOLD_CLOSED'],
  payments: ['INTERNAL', 'VALIDATION', 'INVALID_ID', 'MISSING_OR_INVALID_BODY', 'CONFLICT', 'CONNECTOR_CAPABILITY_NOT_SUPPORTED', 'NOT_FOUND'],
};

/** JSON response whose bigints are written as bare numbers. */
export function json(c: Context, body: unknown, status: 200 | 201 | 400 | 404 | 409 | 500 = 200) {
  return c.body(stringifyJson(body), status, { 'Content-Type': 'application/json' });
}

/** 204; wallets and payments set a JSON content type on every response (ledger does not). */
export function noContent(c: Context, service: Service) {
  if (service === 'wallets' || service === 'payments') c.header('Content-Type', 'application/json');
  return c.body(null, 204);
}

/** Wallets' 404s have an empty body (upstream; the SDK copes for getWallet). */
export function emptyNotFound(c: Context) {
  return c.body(null, 404, { 'Content-Type': 'application/json' });
}

/** Request JSON with lossless big integers; malformed → 400 naming the body. */
export async function readBody(c: Context, service: Service, opts: { optional?: boolean } = {}): Promise<unknown> {
  const text = await c.req.text();
  const badBody = (message: string) => new SandboxError(service === 'payments' ? 'MISSING_OR_INVALID_BODY' : 'VALIDATION', message);
  if (text.trim() === '') {
    if (opts.optional) return undefined;
    throw badBody('request body: expected a JSON object, got an empty body');
  }
  try {
    return parseJson(text);
  } catch (err) {
    throw badBody(`request body: invalid JSON: ${(err as Error).message}`);
  }
}

/** Maps a thrown error onto the service's error body and status. */
export function errorResponse(c: Context, service: Service, err: unknown) {
  if (err instanceof SandboxError) {
    if (service === 'wallets' && err.code === 'NOT_FOUND') return emptyNotFound(c);
    let code: string = err.code;
    if (!ENUMS[service].includes(code)) {
      if (code === 'LEDGER_NOT_FOUND' || code === 'INVALID_ID') code = 'NOT_FOUND';
      else if (code === 'NO_POSTINGS') code = 'NO_SCRIPT';
      else if (code === 'INTERNAL') code = 'INTERNAL_ERROR';
      else code = 'VALIDATION';
      if (!ENUMS[service].includes(code)) code = 'VALIDATION';
    }
    let status = err.status;
    // Wallets knows no CONFLICT: idempotency clashes are answered like the ledger's (400 VALIDATION).
    if (service === 'wallets' && err.code === 'CONFLICT') status = 400;
    if (code === 'VALIDATION' && status === 404) status = 400;
    return json(c, { errorCode: code, errorMessage: err.message }, status);
  }
  defaultLogger().error('sandbox: internal error', { method: c.req.method, path: c.req.path, ...errorFields(err, true) });
  return json(c, { errorCode: service === 'wallets' ? 'INTERNAL_ERROR' : 'INTERNAL', errorMessage: 'internal error' }, 500);
}

/** Installs the service's error mapping on a router. */
export function withErrors(app: Hono, service: Service): Hono {
  app.onError((err, c) => errorResponse(c, service, err));
  return app;
}

/** `pageSize` rules (docs/compatibility.md: sandbox pages): absent/0 → 15, > 100 → 100, not an unsigned integer → 400. */
export function pageSizeParam(c: Context, service: Service): number | undefined {
  const raw = c.req.query('pageSize');
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new SandboxError('VALIDATION', `pageSize: expected an unsigned integer, got '${raw}'`);
  const n = Number(raw);
  if (service === 'wallets' && n < 1) throw new SandboxError('VALIDATION', `pageSize: must be at least 1, got '${raw}'`);
  if (n === 0) return undefined;
  return Math.min(n, 100);
}

/** `metadata[k]=v` deep-object query parameters. */
export function metadataParams(c: Context): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.req.queries())) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) out[m[1]] = v[v.length - 1];
  }
  return Object.keys(out).length ? out : undefined;
}

export function boolParam(c: Context, name: string): boolean {
  const v = c.req.query(name);
  return v !== undefined && (v === '' || v === '1' || v.toLowerCase() === 'true');
}

/** The cursor envelope; `next`/`previous` absent when there is no such page. */
export function cursorBody<T>(page: { data: T[]; pageSize: number; hasMore: boolean; next?: string; previous?: string }) {
  const cursor: Record<string, unknown> = { pageSize: page.pageSize, hasMore: page.hasMore, data: page.data };
  if (page.previous) cursor.previous = page.previous;
  if (page.next) cursor.next = page.next;
  return { cursor };
}

/** Path segment decoding (the SDK sends `users:1`; other clients may encode it). */
export function param(c: Context, name: string): string {
  const v = c.req.param(name) ?? '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
