import type { Context, Handler } from 'hono';
import { ClientCredentialsTokenSource, TokenError, describeFetchError } from '../remote/token.js';
import { DEFAULT_GATE, DEFAULT_TIMEOUT_MS, StackBusyError, StackGate } from '../remote/stack-gate.js';
import { acceptedScopes } from './scopes.js';
import { deadline } from '../lib/deadline.js';

/**
 * Remote mode: `/api/orchestration`, `/api/ledger`, `/api/wallets`, `/api/payments` are forwarded
 * to the Formance stack at `FORMANCE_URL`, with the console server's own bearer token.
 *
 * * Request: method, path, query, body and ordinary headers go through; the browser's
 *   `Authorization`, cookies, `Origin`/`Referer`, `Sec-*`, forwarding and hop-by-hop headers do
 *   not. The body is buffered (it is capped at 1 MiB by the body limit) so that a request the
 *   stack refuses with 401 can be sent once more with a fresh token.
 * * Response: status and body go through (streamed); `Set-Cookie`, `WWW-Authenticate`, CORS,
 *   HSTS, `Clear-Site-Data`, encoding and hop-by-hop headers are dropped. An error status whose body
 *   is empty or not JSON (a gateway's HTML page, the router's text 404) becomes a JSON error
 *   body (`errorCode`/`errorMessage`) so the UI can show it.
 * * Failures of our own: stack unreachable → 502, no answer within the timeout → 504, token
 *   endpoint unreachable or refusing our credentials → 502, the stack refusing a fresh token →
 *   502, too many calls already waiting on the stack → 503; all with `errorCode: INTERNAL` and a
 *   message naming the call and the stack URL (never a credential). A write whose connection
 *   dropped or timed out says the stack may have acted on it.
 * * A failing stack (README, Guarantees: "A failing stack"): calls in flight are bounded
 *   (`StackGate`); a read is retried once after a dropped or refused connection or a gateway
 *   502/503/504, any call once when the token endpoint failed (nothing was sent yet); a write is
 *   never sent twice.
 */

export const PROXIED_PREFIXES = ['/api/orchestration', '/api/ledger', '/api/wallets', '/api/payments'] as const;

export interface ProxyOptions {
  /** base URL of the stack, no trailing slash */
  stackUrl: string;
  /** absent when no client credentials are configured (a stack without auth) */
  tokens?: ClientCredentialsTokenSource;
  /** longest wait for the stack's answer (FORMANCE_TIMEOUT_MS) */
  timeoutMs?: number;
  /** bounds the calls in flight to the stack (one per console server) */
  gate?: StackGate;
  fetch?: typeof fetch;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

const DROP_REQUEST = new Set([
  ...HOP_BY_HOP,
  'host',
  'content-length',
  'authorization',
  'proxy-authorization',
  'cookie',
  'origin',
  'referer',
  'accept-encoding',
  'expect',
  'forwarded',
]);

const DROP_RESPONSE = new Set([
  ...HOP_BY_HOP,
  'content-length',
  'content-encoding',
  'set-cookie',
  'set-cookie2',
  'www-authenticate',
  'proxy-authenticate',
  'strict-transport-security',
  'clear-site-data',
  'alt-svc',
]);

function requestHeaders(incoming: Headers): Headers {
  const named = (incoming.get('connection') ?? '').split(',').map((h) => h.trim().toLowerCase());
  const out = new Headers();
  incoming.forEach((value, name) => {
    const n = name.toLowerCase();
    if (DROP_REQUEST.has(n) || named.includes(n) || n.startsWith('sec-') || n.startsWith('x-forwarded-')) return;
    out.set(n, value);
  });
  return out;
}

function responseHeaders(upstream: Headers, stackUrl: string): Headers {
  const named = (upstream.get('connection') ?? '').split(',').map((h) => h.trim().toLowerCase());
  const out = new Headers();
  upstream.forEach((value, name) => {
    const n = name.toLowerCase();
    if (DROP_RESPONSE.has(n) || named.includes(n) || n.startsWith('access-control-')) return;
    if (n === 'location' && value.startsWith(stackUrl)) value = value.slice(stackUrl.length) || '/';
    out.set(n, value);
  });
  return out;
}

function jsonError(status: number, errorCode: 'VALIDATION' | 'NOT_FOUND' | 'INTERNAL', errorMessage: string, headers?: Headers): Response {
  const h = headers ?? new Headers();
  h.set('content-type', 'application/json');
  h.delete('content-length');
  return new Response(JSON.stringify({ errorCode, errorMessage }), { status, headers: h });
}

function codeFor(status: number): 'VALIDATION' | 'NOT_FOUND' | 'INTERNAL' {
  return status === 404 ? 'NOT_FOUND' : status < 500 ? 'VALIDATION' : 'INTERNAL';
}

function isJson(contentType: string | null): boolean {
  return !!contentType && /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
}

/** Methods whose call may be sent twice: the stack acts on none of them. */
const READS = new Set(['GET', 'HEAD']);
/** What a gateway answers when the service behind it is down or overloaded. */
const GATEWAY_FAILURES = new Set([502, 503, 504]);
/** Pause before the one retry of a read. */
const RETRY_AFTER_MS = 300;

/** No connection was made: the stack never saw the request. */
const NEVER_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

/** One handler for every proxied prefix. */
export function proxyHandler(opts: ProxyOptions): Handler {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const gate = opts.gate ?? new StackGate(DEFAULT_GATE);
  const stack = opts.stackUrl.replace(/\/+$/, '');

  return async (c: Context) => {
    const url = new URL(c.req.url);
    const target = `${stack}${url.pathname}${url.search}`;
    const method = c.req.method;
    /** The call as the operator can recognise it (no query: it may carry a cursor). */
    const call = `${method} ${url.pathname}`;
    const read = READS.has(method);
    const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
    const baseHeaders = requestHeaders(c.req.raw.headers);

    const send = async (token: string | undefined): Promise<Response> => {
      const headers = new Headers(baseHeaders);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return doFetch(target, {
        method,
        headers,
        body: body && body.byteLength > 0 ? body : undefined,
        redirect: 'manual',
        signal: deadline(timeoutMs, c.req.raw.signal),
      });
    };

    /** One attempt: a token, the call, and once more with a fresh token if the stack refuses it. */
    const attempt = async (): Promise<Response> => {
      let token = opts.tokens ? await opts.tokens.get() : undefined;
      let res = await send(token);
      if (res.status === 401 && opts.tokens) {
        // A refused token means the stack did nothing: sending again is safe for any method.
        await res.body?.cancel().catch(() => {});
        opts.tokens.invalidate(token);
        token = await opts.tokens.get();
        res = await send(token);
        if (res.status === 401) {
          await res.body?.cancel().catch(() => {});
          throw new TokenRefused();
        }
      }
      return res;
    };

    /**
     * Whether a failed attempt may be made once more: a token the stack's auth failed to issue
     * (nothing was sent), and for reads only a dropped or refused connection or a gateway 5xx.
     * A run, an event, a deletion is never sent twice: the stack may have acted on the first.
     */
    const retryable = (outcome: unknown): boolean => {
      if (outcome instanceof Response) return read && GATEWAY_FAILURES.has(outcome.status);
      if (outcome instanceof TokenError) return outcome.transient;
      if (outcome instanceof TokenRefused) return false;
      if (!read || c.req.raw.signal.aborted) return false;
      return !(outcome instanceof Error && outcome.name === 'TimeoutError');
    };

    let res: Response;
    try {
      res = await gate.run(async () => {
        let outcome: Response;
        try {
          outcome = await attempt();
        } catch (err) {
          if (!retryable(err)) throw err;
          await sleep(RETRY_AFTER_MS);
          return attempt();
        }
        if (!retryable(outcome)) return outcome;
        await outcome.body?.cancel().catch(() => {});
        await sleep(RETRY_AFTER_MS);
        return attempt();
      }, c.req.raw.signal);
    } catch (err) {
      if (err instanceof TokenRefused) {
        const needs = acceptedScopes(method, url.pathname);
        const scope = needs ? ` (${method} ${url.pathname.split('/').slice(0, 3).join('/')} needs ${needs.join(' or ')})` : '';
        return jsonError(
          502,
          'INTERNAL',
          `the stack at ${stack} refused the console's access token (HTTP 401) even after renewing it: the console's client lacks a scope${scope}`,
        );
      }
      if (err instanceof StackBusyError) {
        return jsonError(503, 'INTERNAL', `${call} not sent: ${err.message}; try again shortly`, new Headers({ 'retry-after': '5' }));
      }
      if (err instanceof TokenError) return jsonError(502, 'INTERNAL', `${call} not sent: ${err.message}`);
      if (c.req.raw.signal.aborted) return jsonError(502, 'INTERNAL', 'request aborted by the client');
      const unknownOutcome = read ? '' : ': the stack may have acted on it, look before trying again';
      if (err instanceof Error && err.name === 'TimeoutError') {
        return jsonError(504, 'INTERNAL', `the stack at ${stack} did not answer ${call} within ${Math.round(timeoutMs / 1000)} s${unknownOutcome}`);
      }
      const reason = describeFetchError(err);
      const outcome = read || NEVER_SENT.test(reason) ? '' : unknownOutcome;
      return jsonError(502, 'INTERNAL', `cannot reach the stack at ${stack} (${call}): ${reason}${outcome}`);
    }

    const headers = responseHeaders(res.headers, stack);
    if (res.status >= 400 && method !== 'HEAD') {
      const contentType = res.headers.get('content-type');
      const text = await res.text().catch(() => '');
      if (isJson(contentType) && text.trim() !== '') return new Response(text, { status: res.status, headers });
      const snippet =
        isJson(contentType) || /^text\/plain\b/i.test(contentType ?? '')
          ? text
              // eslint-disable-next-line no-control-regex -- control characters are what this strips
              .replace(/[\u0000-\u001f\u007f]+/g, ' ')
              .trim()
              .slice(0, 200)
          : '';
      return jsonError(res.status, codeFor(res.status), `the stack answered HTTP ${res.status} to ${call}${snippet ? `: ${snippet}` : ''}`, headers);
    }
    const nullBody = method === 'HEAD' || res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(nullBody ? null : res.body, { status: res.status, headers });
  };
}

/** The stack refused a freshly issued token too: a scope is missing, asking again changes nothing. */
class TokenRefused extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
