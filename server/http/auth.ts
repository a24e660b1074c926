import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { Config } from '../config.js';
import { acceptedScopes, scopeAllows } from './scopes.js';
import { sessionCookie, sessionInfo } from './session.js';

/**
 * Optional authentication of our own API, like the Formance stack's: with
 * `AUTH_CLIENTS=id:secret[,id:secret]` the server
 *
 * * serves the OAuth2 client-credentials token endpoint `POST /api/auth/oauth/token`
 *   (form or JSON body, or HTTP Basic client authentication) and issues HS256 JWTs
 *   (key: `AUTH_SIGNING_KEY`, or random per server; lifetime `AUTH_TOKEN_TTL` seconds, 3600);
 * * requires `Authorization: Bearer <token>` on every other `/api/*` route, except the `_info`
 *   routes (open upstream too) and the console's sign-in routes `/api/auth/session`;
 * * for the console in the browser (session.ts): a request **without** an `Authorization` header
 *   may instead carry the HttpOnly session cookie set by `POST /api/auth/session` — a token of
 *   this same issuer. A present-but-bad `Authorization` header is refused whatever the cookie;
 * * checks scopes (scopes.ts): a token issued for some scopes (`scope` in the token request, as
 *   the SDKs send per operation) is refused outside them; a token without scopes, and the
 *   console's session, is the client's full access.
 *
 * A refused request gets **401 with no body and no content type** (plus `WWW-Authenticate:
 * Bearer …`). Upstream answers an empty body *with* `Content-Type: application/json`, which makes
 * the SDKs crash with a raw `SyntaxError` from `JSON.parse`; without a content type they raise
 * their ordinary SDK error carrying status 401, and still drop their cached token (their hook
 * looks at the status only). Token-endpoint errors use the OAuth2 body (`{"error": "invalid_client"}`).
 *
 * Secrets are compared in constant time; neither secrets nor tokens are ever logged.
 */

const ISSUER = 'flows-console';
const MAX_TTL = 30 * 24 * 3600;

/**
 * Paths under /api that stay open with auth on (`_info` is unauthenticated upstream; the token
 * endpoint and the console's sign-in authenticate the client themselves). Exact paths only.
 */
const OPEN_PATHS = /^\/api\/(?:auth\/(?:oauth\/token|session)|orchestration\/(?:v2\/)?_info)\/?$/;

export interface Client {
  id: string;
  secret: string;
}

/** `id:secret,id:secret` → clients. Error messages never repeat a secret. */
export function parseAuthClients(value: string): Client[] {
  const clients: Client[] = [];
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const secret = colon > 0 ? entry.slice(colon + 1) : '';
    if (!id || !secret) throw new Error(`AUTH_CLIENTS: entry ${i + 1} must be 'id:secret' with a non-empty id and secret`);
    if (clients.some((c) => c.id === id)) throw new Error(`AUTH_CLIENTS: client id '${id}' appears twice`);
    clients.push({ id, secret });
  });
  if (clients.length === 0) throw new Error("AUTH_CLIENTS: expected at least one 'id:secret'");
  return clients;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export interface VerifiedToken {
  clientId: string;
  scope?: string;
  expiresAt: number;
}

export type VerifyResult = { ok: true; token: VerifiedToken } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'unknown client' };

export class TokenIssuer {
  private readonly secrets = new Map<string, Buffer>();
  private readonly dummy = digest(randomBytes(16).toString('hex'));

  constructor(
    clients: Client[],
    private readonly key: Buffer,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL) {
      throw new Error(`AUTH_TOKEN_TTL must be a whole number of seconds between 1 and ${MAX_TTL}`);
    }
    for (const c of clients) this.secrets.set(c.id, digest(c.secret));
  }

  /** undefined when AUTH_CLIENTS is not set (auth off). Throws on a bad configuration. */
  static fromConfig(config: Pick<Config, 'authClients' | 'authSigningKey' | 'authTokenTtl'>): TokenIssuer | undefined {
    if (!config.authClients) return undefined;
    const clients = parseAuthClients(config.authClients);
    let key: Buffer;
    if (config.authSigningKey !== undefined) {
      if (config.authSigningKey.length < 32) throw new Error('AUTH_SIGNING_KEY must be at least 32 characters');
      key = Buffer.from(config.authSigningKey, 'utf8');
    } else {
      key = randomBytes(32);
    }
    return new TokenIssuer(clients, key, config.authTokenTtl ?? 3600);
  }

  /** Constant time in the secret, and the same work whether or not the id exists. */
  checkClient(id: string, secret: string): boolean {
    const expected = this.secrets.get(id);
    const same = timingSafeEqual(digest(secret), expected ?? this.dummy);
    return expected !== undefined && same;
  }

  /** A signed token for `clientId`; `expiresAt` (epoch ms) is its `exp`. */
  issue(clientId: string, scope?: string): { token: string; expiresIn: number; expiresAt: number } {
    const nowSec = this.now() / 1000;
    const payload: Record<string, unknown> = {
      iss: ISSUER,
      aud: ISSUER,
      sub: clientId,
      iat: Math.floor(nowSec),
      // Never expires before the advertised expires_in.
      exp: Math.ceil(nowSec + this.ttlSeconds),
      jti: randomUUID(),
    };
    if (scope) payload.scope = scope;
    const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
    return { token: `${signingInput}.${this.sign(signingInput).toString('base64url')}`, expiresIn: this.ttlSeconds, expiresAt: (payload.exp as number) * 1000 };
  }

  verify(token: string): VerifyResult {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, reason: 'malformed' };
    const [h, p, s] = parts as [string, string, string];
    let header: unknown;
    let payload: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!header || typeof header !== 'object' || (header as { alg?: unknown }).alg !== 'HS256') return { ok: false, reason: 'malformed' };
    if (!payload || typeof payload !== 'object') return { ok: false, reason: 'malformed' };
    const given = Buffer.from(s, 'base64url');
    const expected = this.sign(`${h}.${p}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
    const { exp, sub, iss, aud, scope } = payload;
    if (typeof exp !== 'number' || typeof sub !== 'string' || iss !== ISSUER || aud !== ISSUER) return { ok: false, reason: 'malformed' };
    if (this.now() >= exp * 1000) return { ok: false, reason: 'expired' };
    if (!this.secrets.has(sub)) return { ok: false, reason: 'unknown client' };
    return { ok: true, token: { clientId: sub, scope: typeof scope === 'string' ? scope : undefined, expiresAt: exp * 1000 } };
  }

  private sign(input: string): Buffer {
    return createHmac('sha256', this.key).update(input, 'utf8').digest();
  }
}

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

function oauthError(c: Context, status: 400 | 401, error: OAuthError, description: string) {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
  return c.json({ error, error_description: description }, status);
}

async function readParams(c: Context): Promise<Record<string, string> | string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = await c.req.text();
  if (type === 'application/x-www-form-urlencoded' || (type === '' && text === '')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 'request body: invalid JSON';
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'request body: expected a JSON object';
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v) && k === 'scope' && v.every((x) => typeof x === 'string')) out[k] = v.join(' ');
      else return `request body: '${k}' must be a string`;
    }
    return out;
  }
  return `unsupported content type '${type}': send application/x-www-form-urlencoded (or JSON)`;
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded before base64. */
function basicCredentials(header: string | undefined): Client | 'malformed' | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return 'malformed';
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  const form = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
}

/** `POST /oauth/token`, to mount at `/api/auth`. */
export function authRoutes(issuer: TokenIssuer): Hono {
  const app = new Hono();
  app.post('/oauth/token', async (c) => {
    const params = await readParams(c);
    if (typeof params === 'string') return oauthError(c, 400, 'invalid_request', params);
    const basic = basicCredentials(c.req.header('authorization'));
    if (basic === 'malformed') return oauthError(c, 400, 'invalid_request', 'Authorization: expected Basic client credentials');
    if (basic && (params.client_secret !== undefined || (params.client_id !== undefined && params.client_id !== basic.id))) {
      return oauthError(c, 400, 'invalid_request', 'authenticate the client with one method only (Basic or body)');
    }
    if (!params.grant_type) return oauthError(c, 400, 'invalid_request', "missing 'grant_type'");
    if (params.grant_type !== 'client_credentials') {
      return oauthError(c, 400, 'unsupported_grant_type', "only 'client_credentials' is supported");
    }
    const client = basic ?? { id: params.client_id ?? '', secret: params.client_secret ?? '' };
    if (!issuer.checkClient(client.id, client.secret)) {
      if (basic) c.header('WWW-Authenticate', 'Basic realm="flows-console"');
      return oauthError(c, 401, 'invalid_client', 'client authentication failed');
    }
    const scope = params.scope?.trim() || undefined;
    const { token, expiresIn } = issuer.issue(client.id, scope);
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    return c.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, ...(scope ? { scope } : {}) });
  });
  app.all('/oauth/token', (c) => {
    c.header('Allow', 'POST');
    return oauthError(c, 400, 'invalid_request', 'use POST');
  });
  return app;
}

function unauthorized(c: Context, error?: { code: string; description: string }) {
  c.header(
    'WWW-Authenticate',
    error ? `Bearer realm="${ISSUER}", error="${error.code}", error_description="${error.description}"` : `Bearer realm="${ISSUER}"`,
  );
  c.header('Cache-Control', 'no-store');
  return c.body(null, 401);
}

const REASONS: Record<Exclude<VerifyResult, { ok: true }>['reason'], string> = {
  malformed: 'the access token is malformed',
  signature: 'the access token is not valid',
  expired: 'the access token expired',
  'unknown client': 'the access token was issued to an unknown client',
};

const SESSION_REASONS: Record<Exclude<VerifyResult, { ok: true }>['reason'], string> = {
  malformed: 'the session cookie is malformed',
  signature: 'the session cookie is not valid',
  expired: 'the session expired',
  'unknown client': 'the session belongs to an unknown client',
};

/**
 * Requires a valid bearer token on every /api/* route but the open ones — or, on a request
 * without `Authorization`, a valid session cookie (the console in the browser; see session.ts).
 * Refusals are the same bodiless 401 either way.
 */
export function authMiddleware(issuer: TokenIssuer): MiddlewareHandler {
  return async (c, next) => {
    if (OPEN_PATHS.test(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (!header) {
      const cookie = sessionCookie(c);
      if (cookie === undefined) return unauthorized(c);
      const session = issuer.verify(cookie);
      if (!session.ok) return unauthorized(c, { code: 'invalid_token', description: SESSION_REASONS[session.reason] });
      c.set('consoleSession', sessionInfo(session.token));
      return next();
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return unauthorized(c, { code: 'invalid_request', description: 'expected Authorization: Bearer <token>' });
    const result = issuer.verify(m[1]!);
    if (!result.ok) return unauthorized(c, { code: 'invalid_token', description: REASONS[result.reason] });
    // Upstream refuses a missing scope with the same 401 (RFC 6750 would say 403).
    if (!scopeAllows(result.token.scope, c.req.method, c.req.path)) {
      const needed = acceptedScopes(c.req.method, c.req.path)!.join(' or ');
      return unauthorized(c, { code: 'insufficient_scope', description: `this request needs the scope ${needed}` });
    }
    await next();
  };
}
