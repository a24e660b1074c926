import { ApiError } from '../errors.js';
import { parseJson } from '../sandbox/json.js';
import { TokenError, describeFetchError, type ClientCredentialsTokenSource } from './token.js';

export interface StackAnswer {
  status: number;
  /** parsed JSON (integers beyond 2^53 as bigint); undefined for an empty or non-JSON body */
  body: any;
}

/**
 * Read-only calls to the stack for the console's own computations (dry-runs, backtests): GET
 * only, with the server's token (renewed once on a 401, as the proxy does). Failures of the
 * stack itself (unreachable, refusing the token, 5xx) are 502 for the caller.
 */
export class StackReader {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    readonly stackUrl: string,
    private readonly tokens?: ClientCredentialsTokenSource,
    opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
  ) {
    this.fetch = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** `tolerate5xx`: answer a 5xx like any status (upstream Flows answers 500 for unknown ids). */
  async get(path: string, opts: { signal?: AbortSignal; tolerate5xx?: boolean } = {}): Promise<StackAnswer> {
    const { signal } = opts;
    const url = `${this.stackUrl}${path}`;
    const send = async (token: string | undefined) =>
      this.fetch(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        redirect: 'error',
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs),
      });
    let res: Response;
    try {
      let token = this.tokens ? await this.tokens.get() : undefined;
      res = await send(token);
      if (res.status === 401 && this.tokens) {
        await res.body?.cancel().catch(() => {});
        this.tokens.invalidate(token);
        token = await this.tokens.get();
        res = await send(token);
      }
    } catch (err) {
      if (err instanceof TokenError) throw new ApiError(502, 'INTERNAL', `remote stack: ${err.message}`);
      throw new ApiError(502, 'INTERNAL', `cannot read ${path.split('?')[0]} from the stack at ${this.stackUrl}: ${describeFetchError(err)}`);
    }
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? parseJson(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.status === 401 || res.status === 403) throw new ApiError(502, 'INTERNAL', `the stack at ${this.stackUrl} refused to let the console read ${path.split('?')[0]} (HTTP ${res.status}): check the client's scopes`);
    if (res.status >= 500 && !opts.tolerate5xx) {
      const message = typeof (body as any)?.errorMessage === 'string' ? `: ${(body as any).errorMessage.slice(0, 200)}` : '';
      throw new ApiError(502, 'INTERNAL', `the stack answered HTTP ${res.status} to ${path.split('?')[0]}${message}`);
    }
    return { status: res.status, body };
  }
}
