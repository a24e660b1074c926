import { ApiError } from '../errors.js';
import { parseJson } from '../sandbox/json.js';
import { StackBusyError, type StackGate } from './stack-gate.js';
import { TokenError, describeFetchError, type ClientCredentialsTokenSource } from './token.js';
import { deadline } from '../lib/deadline.js';

export interface StackAnswer {
  status: number;
  /** parsed JSON (integers beyond 2^53 as bigint); undefined for an empty or non-JSON body */
  body: any;
}

/**
 * The console server's own calls to the stack (exports, records, bulk jobs), with its token:
 * renewed once when the stack refuses it, as the proxy does. The stack being unreachable or
 * refusing the console's credentials is a 502 for the caller; any other status is the answer.
 */
export class StackClient {
  private readonly fetch: typeof fetch;

  constructor(
    readonly stackUrl: string,
    private readonly tokens?: ClientCredentialsTokenSource,
    opts: { fetch?: typeof fetch; timeoutMs?: number; gate?: StackGate } = {},
  ) {
    this.fetch = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.gate = opts.gate;
  }

  private readonly timeoutMs: number;
  /** shared with the proxy: the console's calls to the stack, all together, stay bounded */
  private readonly gate?: StackGate;

  /** `body`: JSON sent with a POST (an approved run); a POST is never repeated. */
  async request(method: 'GET' | 'PUT' | 'POST', path: string, signal?: AbortSignal, body?: string): Promise<StackAnswer> {
    if (!this.gate) return this.requestNow(method, path, signal, body);
    try {
      return await this.gate.run(() => this.requestNow(method, path, signal, body), signal);
    } catch (err) {
      if (err instanceof StackBusyError) throw new ApiError(503, 'INTERNAL', `${method} ${path.split('?')[0]} not sent: ${err.message}; try again shortly`);
      throw err;
    }
  }

  private async requestNow(method: 'GET' | 'PUT' | 'POST', path: string, signal?: AbortSignal, payload?: string): Promise<StackAnswer> {
    const url = `${this.stackUrl}${path}`;
    const timeout = deadline(this.timeoutMs, signal);
    const once = (token: string | undefined) =>
      this.fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(payload !== undefined ? { body: payload } : {}),
        redirect: 'error',
        signal: timeout,
      });
    // A kept-alive connection the stack closed just as it was reused fails before any answer:
    // these calls are safe to repeat (reads, and aborts whose repeat is refused), so once more.
    // A POST starts a run: never twice.
    const send = (token: string | undefined) =>
      once(token).catch((err: unknown) => {
        if (isConnectionReset(err) && method !== 'POST') return once(token);
        throw err;
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
      throw new ApiError(502, 'INTERNAL', `cannot reach the stack at ${this.stackUrl} (${method} ${path.split('?')[0]}): ${describeFetchError(err)}`);
    }
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? parseJson(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.status === 401 || res.status === 403) {
      throw new ApiError(
        502,
        'INTERNAL',
        `the stack at ${this.stackUrl} refused the console's token for ${method} ${path.split('?')[0]} (HTTP ${res.status}): check the client's scopes`,
      );
    }
    return { status: res.status, body };
  }

  /**
   * GET whose answer the caller reads by status (a 404 is an answer); a 5xx is a 502 unless
   * `tolerate5xx` (upstream Flows answers 500 for an unknown id).
   */
  async read(path: string, opts: { signal?: AbortSignal; tolerate5xx?: boolean } = {}): Promise<StackAnswer> {
    const r = await this.request('GET', path, opts.signal);
    if (r.status >= 500 && !opts.tolerate5xx) {
      const message = typeof r.body?.errorMessage === 'string' ? `: ${r.body.errorMessage.slice(0, 200)}` : '';
      throw new ApiError(502, 'INTERNAL', `the stack answered HTTP ${r.status} to GET ${path.split('?')[0]}${message}`);
    }
    return r;
  }

  /** GET that must succeed: any error status is a 502 naming it (or a 404 when the stack says so). */
  async get(path: string, signal?: AbortSignal): Promise<any> {
    const r = await this.request('GET', path, signal);
    if (r.status >= 200 && r.status < 300) return r.body;
    const message = typeof r.body?.errorMessage === 'string' ? `: ${r.body.errorMessage.slice(0, 200)}` : '';
    if (r.status === 404) throw new ApiError(404, 'NOT_FOUND', `the stack has no ${path.split('?')[0]}${message}`);
    throw new ApiError(502, 'INTERNAL', `the stack answered HTTP ${r.status} to GET ${path.split('?')[0]}${message}`);
  }
}

function isConnectionReset(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' && ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(cause.code);
}
