import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { isRole, type Access, type Role } from '../../common/roles.js';
import type { Config } from '../config.js';
import { DEFAULT_COST, parsePasswordHash, verifyPassword } from '../lib/password.js';
import { principalOf } from './principal.js';
import { sessionCookie, sessionInfo } from './session.js';

/**
 * Optional authentication of our own API, like the Formance stack's: with
 * `AUTH_CLIENTS=id:secret[:role][,…]` (programs) and/or `AUTH_USERS=name:hash[:role][,…]`
 * (people, who sign in to the console) the server
 *
 * * serves the OAuth2 client-credentials token endpoint `POST /api/auth/oauth/token`
 *   (form or JSON body, or HTTP Basic client authentication) and issues HS256 JWTs
 *   (key: `AUTH_SIGNING_KEY`, or random per server; lifetime `AUTH_TOKEN_TTL` seconds, 3600);
 *   a client's role (common/roles.ts) is in its token (`role` claim), and a token whose role no
 *   longer matches the configuration is refused;
 * * requires `Authorization: Bearer <token>` on every other `/api/*` route, except the `_info`
 *   routes (open upstream too) and the console's sign-in routes `/api/auth/session`;
 * * for the console in the browser (session.ts): a request **without** an `Authorization` header
 *   may instead carry the HttpOnly session cookie set by `POST /api/auth/session` — a token of
 *   this same issuer, for a client or a person. A present-but-bad `Authorization` header is
 *   refused whatever the cookie;
 * * leaves who is calling in the context (`principal`, principal.ts); scopes (scopes.ts) and
 *   roles are checked by access.ts, which also records every write in the audit log.
 *
 * A refused request gets **401 with no body and no content type** (plus `WWW-Authenticate:
 * Bearer …`). Upstream answers an empty body *with* `Content-Type: application/json`, which makes
 * the SDKs crash with a raw `SyntaxError` from `JSON.parse`; without a content type they raise
 * their ordinary SDK error carrying status 401, and still drop their cached token (their hook
 * looks at the status only). Token-endpoint errors use the OAuth2 body (`{"error": "invalid_client"}`).
 *
 * Secrets are compared in constant time, passwords with scrypt (lib/password.ts); neither
 * secrets, passwords, hashes nor tokens are ever logged.
 */

const ISSUER = 'flows-console';
const MAX_TTL = 30 * 24 * 3600;

/**
 * Paths under /api that stay open with auth on (`_info` is unauthenticated upstream; the token
 * endpoint and the console's sign-in authenticate the client themselves). Exact paths only.
 */
const OPEN_PATHS = /^\/api\/(?:auth\/(?:oauth\/token|session|methods)|orchestration\/(?:v2\/)?_info)\/?$/;

export interface Client {
  id: string;
  secret: string;
  /** absent: full access, as every client had before roles existed */
  role?: Role;
}

/** A person of `AUTH_USERS`: a name, a password hash (see lib/password.ts), maybe a role. */
export interface User {
  name: string;
  hash: string;
  role?: Role;
}

/** Who a token or a session speaks for. */
export interface Subject {
  kind: 'client' | 'user';
  name: string;
}

/** Names may not hold the list's separators; a trailing `:role` is a role when it names one. */
function splitRole(entry: string): [string, Role | undefined] {
  const colon = entry.lastIndexOf(':');
  const last = colon >= 0 ? entry.slice(colon + 1).trim() : '';
  return isRole(last) ? [entry.slice(0, colon), last] : [entry, undefined];
}

/**
 * The entries of `AUTH_CLIENTS` or `AUTH_USERS` (`key:secret[:role],…`), numbered from 1: the
 * key is what comes before the first colon (empty when none does), the secret the rest.
 */
function credentialEntries(value: string): { n: number; key: string; secret: string; role?: Role }[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const [rest, role] = splitRole(entry);
      const colon = rest.indexOf(':');
      return { n: i + 1, key: colon > 0 ? rest.slice(0, colon) : '', secret: colon > 0 ? rest.slice(colon + 1) : '', role };
    });
}

/**
 * `id:secret[:role],…` → clients. The secret may contain colons; a last `:viewer`, `:operator`
 * or `:admin` is the role. Error messages never repeat a secret.
 */
export function parseAuthClients(value: string): Client[] {
  const clients: Client[] = [];
  for (const { n, key: id, secret, role } of credentialEntries(value)) {
    if (!id || !secret) throw new Error(`AUTH_CLIENTS: entry ${n} must be 'id:secret' or 'id:secret:role' with a non-empty id and secret`);
    if (clients.some((c) => c.id === id)) throw new Error(`AUTH_CLIENTS: client id '${id}' appears twice`);
    clients.push(role ? { id, secret, role } : { id, secret });
  }
  if (clients.length === 0) throw new Error("AUTH_CLIENTS: expected at least one 'id:secret'");
  return clients;
}

/** `name:hash[:role],…` → people. The hash comes from `npm run hash-password`; never repeated in errors. */
export function parseAuthUsers(value: string): User[] {
  const users: User[] = [];
  for (const entry of credentialEntries(value)) {
    const name = entry.key.trim();
    const hash = entry.secret.trim();
    const role = entry.role;
    if (!name || !hash) throw new Error(`AUTH_USERS: entry ${entry.n} must be 'name:hash' or 'name:hash:role' (the hash from npm run hash-password)`);
    const problem = parsePasswordHash(hash);
    if (typeof problem === 'string') throw new Error(`AUTH_USERS: the password hash of '${name}' is not usable: ${problem}`);
    if (users.some((u) => u.name === name)) throw new Error(`AUTH_USERS: user '${name}' appears twice`);
    users.push(role ? { name, hash, role } : { name, hash });
  }
  if (users.length === 0) throw new Error("AUTH_USERS: expected at least one 'name:hash:role'");
  return users;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export interface VerifiedToken extends Subject {
  /** the entry's role, or `full` for an entry without one */
  access: Access;
  scope?: string;
  expiresAt: number;
}

export type VerifyResult = { ok: true; token: VerifiedToken } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'unknown client' | 'role changed' };

export class TokenIssuer {
  private readonly secrets = new Map<string, { digest: Buffer; access: Access }>();
  private readonly users = new Map<string, { hash: Exclude<ReturnType<typeof parsePasswordHash>, string>; access: Access }>();
  private readonly dummy = digest(randomBytes(16).toString('hex'));
  private readonly dummyHash: Exclude<ReturnType<typeof parsePasswordHash>, string>;

  constructor(
    clients: Client[],
    private readonly key: Buffer,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    users: User[] = [],
  ) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL) {
      throw new Error(`AUTH_TOKEN_TTL must be a whole number of seconds between 1 and ${MAX_TTL}`);
    }
    for (const c of clients) this.secrets.set(c.id, { digest: digest(c.secret), access: c.role ?? 'full' });
    for (const u of users) {
      // One name, one party: the audit log and the four-eyes rule tell people apart by name.
      if (this.secrets.has(u.name)) throw new Error(`AUTH_USERS: '${u.name}' is also a client id in AUTH_CLIENTS: names must be distinct`);
      this.users.set(u.name, { hash: parsePasswordHash(u.hash) as Exclude<ReturnType<typeof parsePasswordHash>, string>, access: u.role ?? 'full' });
    }
    // An unknown name costs the same work as a known one (the cost of the first configured hash).
    const cost = this.users.values().next().value?.hash ?? { ...DEFAULT_COST };
    this.dummyHash = { N: cost.N, r: cost.r, p: cost.p, salt: randomBytes(16), key: randomBytes(32) };
  }

  /** undefined when neither AUTH_CLIENTS nor AUTH_USERS is set (auth off). Throws on a bad configuration. */
  static fromConfig(config: Pick<Config, 'authClients' | 'authUsers' | 'authSigningKey' | 'authTokenTtl'>): TokenIssuer | undefined {
    if (!config.authClients && !config.authUsers) return undefined;
    const clients = config.authClients ? parseAuthClients(config.authClients) : [];
    const users = config.authUsers ? parseAuthUsers(config.authUsers) : [];
    let key: Buffer;
    if (config.authSigningKey !== undefined) {
      if (config.authSigningKey.length < 32) throw new Error('AUTH_SIGNING_KEY must be at least 32 characters');
      key = Buffer.from(config.authSigningKey, 'utf8');
    } else {
      key = randomBytes(32);
    }
    return new TokenIssuer(clients, key, config.authTokenTtl ?? 3600, Date.now, users);
  }

  /** Which sign-ins the console offers: client credentials (AUTH_CLIENTS), people (AUTH_USERS). */
  signInMethods(): { clients: boolean; users: boolean } {
    return { clients: this.secrets.size > 0, users: this.users.size > 0 };
  }

  /** Constant time in the secret, and the same work whether or not the id exists. */
  checkClient(id: string, secret: string): boolean {
    const expected = this.secrets.get(id);
    const same = timingSafeEqual(digest(secret), expected?.digest ?? this.dummy);
    return expected !== undefined && same;
  }

  /** A person's password (scrypt): the same work whether or not the name exists. */
  async checkUser(name: string, password: string): Promise<boolean> {
    const user = this.users.get(name);
    const same = await verifyPassword(password, user?.hash ?? this.dummyHash);
    return user !== undefined && same;
  }

  /** The access of a configured client or person (undefined: not configured). */
  accessOf(subject: Subject): Access | undefined {
    return subject.kind === 'user' ? this.users.get(subject.name)?.access : this.secrets.get(subject.name)?.access;
  }

  /** A signed token for a client (by id) or a person; `expiresAt` (epoch ms) is its `exp`. */
  issue(subject: string | Subject, scope?: string): { token: string; expiresIn: number; expiresAt: number } {
    const who: Subject = typeof subject === 'string' ? { kind: 'client', name: subject } : subject;
    const access = this.accessOf(who);
    const nowSec = this.now() / 1000;
    const payload: Record<string, unknown> = {
      iss: ISSUER,
      aud: ISSUER,
      sub: who.name,
      iat: Math.floor(nowSec),
      // Never expires before the advertised expires_in.
      exp: Math.ceil(nowSec + this.ttlSeconds),
      jti: randomUUID(),
    };
    // Tokens without these claims (clients, full access) read as before roles existed.
    if (who.kind === 'user') payload.kind = 'user';
    if (access && access !== 'full') payload.role = access;
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
    const { exp, sub, iss, aud, scope, kind, role } = payload;
    if (typeof exp !== 'number' || typeof sub !== 'string' || iss !== ISSUER || aud !== ISSUER) return { ok: false, reason: 'malformed' };
    if (kind !== undefined && kind !== 'user') return { ok: false, reason: 'malformed' };
    if (role !== undefined && !isRole(role)) return { ok: false, reason: 'malformed' };
    if (this.now() >= exp * 1000) return { ok: false, reason: 'expired' };
    const subject: Subject = { kind: kind === 'user' ? 'user' : 'client', name: sub };
    const access = this.accessOf(subject);
    if (!access) return { ok: false, reason: 'unknown client' };
    // A role changed since the token was issued (same signing key, new configuration): the token
    // no longer says what its holder may do.
    if ((role ?? 'full') !== access) return { ok: false, reason: 'role changed' };
    return { ok: true, token: { ...subject, access, scope: typeof scope === 'string' ? scope : undefined, expiresAt: exp * 1000 } };
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

/** The bodiless 401 of every refusal for want of credentials (see the module comment). */
export function unauthorized(c: Context, error?: { code: string; description: string }) {
  c.header('WWW-Authenticate', error ? `Bearer realm="${ISSUER}", error="${error.code}", error_description="${error.description}"` : `Bearer realm="${ISSUER}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(null, 401);
}

const REASONS: Record<Exclude<VerifyResult, { ok: true }>['reason'], string> = {
  malformed: 'the access token is malformed',
  signature: 'the access token is not valid',
  expired: 'the access token expired',
  'unknown client': 'the access token was issued to an unknown client',
  'role changed': "the client's role changed since the access token was issued: get a new token",
};

const SESSION_REASONS: Record<Exclude<VerifyResult, { ok: true }>['reason'], string> = {
  malformed: 'the session cookie is malformed',
  signature: 'the session cookie is not valid',
  expired: 'the session expired',
  'unknown client': 'the session belongs to an unknown client or person',
  'role changed': 'your role changed since you signed in: sign in again',
};

/**
 * Requires a valid bearer token on every /api/* route but the open ones — or, on a request
 * without `Authorization`, a valid session cookie (the console in the browser; see session.ts).
 * Refusals are the same bodiless 401 either way. Who the request speaks for is left in the
 * context (`principal`): what they may do (scopes, roles) is checked next, by access.ts.
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
      c.set('principal', principalOf(session.token, 'session'));
      return next();
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return unauthorized(c, { code: 'invalid_request', description: 'expected Authorization: Bearer <token>' });
    const result = issuer.verify(m[1]!);
    if (!result.ok) return unauthorized(c, { code: 'invalid_token', description: REASONS[result.reason] });
    c.set('principal', principalOf(result.token, 'token'));
    await next();
  };
}
