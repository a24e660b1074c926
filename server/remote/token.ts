/**
 * The console server's own OAuth2 client-credentials token for the remote stack
 * (backend-for-frontend: the browser never sees the secret or the token).
 *
 * Cached; refreshed shortly before it expires (the last 10% of its life, at least 5 s, at most
 * 60 s) and whenever the caller reports that the stack refused it. Concurrent callers share one
 * request. Errors carry a message fit for an API response: they name the token URL and the
 * OAuth2 error code, never the secret or a token.
 */

export const DEFAULT_SCOPES = 'openid orchestration:read orchestration:write ledger:read ledger:write wallets:read wallets:write payments:read payments:write';

/** When the stack does not say how long a token lives. */
const DEFAULT_LIFETIME_S = 300;

export interface TokenSourceOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** space-separated; empty → no `scope` parameter */
  scopes?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class TokenError extends Error {
  constructor(
    message: string,
    /** the token endpoint could not be reached (vs. it answered with an error) */
    readonly unreachable: boolean,
    /** asking again may work: unreachable, or a 5xx (unlike refused credentials) */
    readonly transient = unreachable,
  ) {
    super(message);
  }
}

interface Cached {
  token: string;
  /** refresh from this time on */
  refreshAt: number;
}

export class ClientCredentialsTokenSource {
  private cached?: Cached;
  private inflight?: Promise<string>;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly opts: TokenSourceOptions) {
    this.fetch = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
  }

  get tokenUrl(): string {
    return this.opts.tokenUrl;
  }

  /** The scopes the console asks for (FORMANCE_SCOPES, or the defaults). */
  get requestedScopes(): string[] {
    return (this.opts.scopes ?? DEFAULT_SCOPES).split(/\s+/).filter(Boolean);
  }

  /** A valid token, from the cache when it is not about to expire. */
  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.request().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** The stack refused `token` (401): forget it, so the next get() asks for a new one. */
  invalidate(token?: string): void {
    if (!token || this.cached?.token === token) this.cached = undefined;
  }

  private async request(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
    });
    const scopes = (this.opts.scopes ?? DEFAULT_SCOPES).trim();
    if (scopes) form.set('scope', scopes);
    const where = `the stack's token endpoint (${this.opts.tokenUrl})`;
    let res: Response;
    try {
      res = await this.fetch(this.opts.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form,
        redirect: 'error',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new TokenError(`cannot reach ${where}: ${describeFetchError(err)}`, true);
    }
    const text = await res.text().catch(() => '');
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    if (res.status >= 500) throw new TokenError(`${where} failed: HTTP ${res.status}`, false, true);
    if (!res.ok) {
      // Only the OAuth2 error code: a description could echo what we sent.
      const code = typeof body?.error === 'string' && /^[\w.-]{1,64}$/.test(body.error) ? ` (${body.error})` : '';
      const hint = res.status === 401 || body?.error === 'invalid_client' ? ': check FORMANCE_CLIENT_ID / FORMANCE_CLIENT_SECRET' : '';
      throw new TokenError(`${where} refused the console's client credentials: HTTP ${res.status}${code}${hint}`, false);
    }
    const token = body?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new TokenError(`${where} answered HTTP ${res.status} without an access_token`, false);
    }
    const expiresIn = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
    const margin = Math.min(60, Math.max(5, expiresIn * 0.1));
    this.cached = { token, refreshAt: this.now() + Math.max(0, expiresIn - margin) * 1000 };
    return token;
  }
}

/**
 * The scopes a JWT access token grants (its `scope` claim, space-delimited or a list); undefined
 * for an opaque token or one without the claim. Read, not verified: it only explains refusals.
 */
export function grantedScopes(token: string): string[] | undefined {
  const payload = token.split('.')[1];
  if (!payload || token.split('.').length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scope?: unknown; scp?: unknown };
    const scope = claims.scope ?? claims.scp;
    if (typeof scope === 'string') return scope.split(/\s+/).filter(Boolean);
    if (Array.isArray(scope) && scope.every((s) => typeof s === 'string')) return scope as string[];
  } catch {
    // not a JWT
  }
  return undefined;
}

/** undici wraps the interesting part ("ECONNREFUSED", "ENOTFOUND") in `cause`. */
export function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'timed out';
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return err.message;
}
