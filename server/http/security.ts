import { isIP } from 'node:net';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HttpBindings } from '@hono/node-server';
import type { Config } from '../config.js';
import { authMiddleware, authRoutes, TokenIssuer } from './auth.js';
import { sessionRoutes } from './session.js';
import type { RecordSessionEvent } from './sign-in-audit.js';

/**
 * Browser safety, applied to every request (embedded and remote mode):
 *
 * * **DNS rebinding**: a request whose `Host` is not a name this server serves is refused (403).
 *   Served: `localhost`, `127.0.0.1`, `[::1]` and the configured `HOST`, each on the port the
 *   request arrived on, plus `ALLOWED_HOSTS` (`name` = any port, `name:port`, `*` = no check).
 *   When `HOST` is a wildcard (`0.0.0.0`, `::`), any IP-literal Host on our port is served too: an
 *   IP literal cannot be rebound, only a DNS name can.
 * * **CSRF**: a state-changing request (POST/PUT/PATCH/DELETE) carrying an `Origin` that is not an
 *   allowed host is refused (403), as is one marked `Sec-Fetch-Site: cross-site`. Requests
 *   without `Origin` (SDKs, curl) pass: browsers always send it on cross-origin writes. This is
 *   what keeps the console's session cookie (session.ts) from authorizing another origin's
 *   writes: `SameSite=Strict` stops other *sites*, but another port of the same host is the same
 *   site, and only its `Origin` gives it away. It runs before authentication, cookie or not.
 * * **Headers**: nosniff, no referrer, no framing — on every response. A CSP too: the page's
 *   (no inline script; Monaco needs blob workers and inline styles) on what a browser can run as
 *   a document (HTML, SVG); on JavaScript {@link SCRIPT_CSP}, which acts only when the file runs
 *   as a worker (a script in a page runs under the page's policy, whatever its own headers say)
 *   and lets it load and connect to this origin only; on everything else (JSON, CSS, CSV, the
 *   event stream) {@link DATA_CSP}, which lets nothing load or run. A policy only acts where a
 *   document or worker runs, and the page's one is ~280 bytes: sent on every small API answer it
 *   was a third of the bytes of the workflows page's first load, and on each script of a first
 *   load ~2 kB.
 * * **Body size**: `/api/*` bodies above {@link API_BODY_LIMIT} → 413.
 *
 * Requests that did not come through a socket (`app.request()` in unit tests) skip the Host and
 * Origin checks: nothing a browser can send arrives that way.
 */

export const API_BODY_LIMIT = 1024 * 1024;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** The policy of answers that are data (JSON, CSS, CSV, …): nothing loads, nothing runs, no framing. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The policy of JavaScript files. It acts only on a worker (Monaco's): scripts, imports and
 * connections from this origin, nothing else — what the page's policy grants a worker, less
 * `data:` images and fonts and `blob:` workers, which no worker of ours uses.
 */
export const SCRIPT_CSP = "default-src 'self'";

/** Content types a browser may run as a document: they get the page's policy. */
const DOCUMENT = /^\s*(?:text\/html|application\/xhtml\+xml|image\/svg\+xml)\b/i;
const SCRIPT = /^\s*(?:text|application)\/(?:x-)?javascript\b/i;

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** What every answer carries; a document also gets the page's policy and `X-Frame-Options`. */
const NOT_A_DOCUMENT: Record<string, string> = {
  'X-Content-Type-Options': SECURITY_HEADERS['X-Content-Type-Options']!,
  'Referrer-Policy': SECURITY_HEADERS['Referrer-Policy']!,
};

/**
 * The security headers of an answer of this content type (no type: the page's, to be safe).
 * `X-Frame-Options` acts only where a document is framed, and data answers already refuse framing
 * in their policy (`frame-ancestors 'none'`): left off them, it saves ~25 bytes per response.
 */
export function securityHeadersFor(contentType: string | null): Record<string, string> {
  if (!contentType || DOCUMENT.test(contentType)) return SECURITY_HEADERS;
  return { ...NOT_A_DOCUMENT, 'Content-Security-Policy': SCRIPT.test(contentType) ? SCRIPT_CSP : DATA_CSP };
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_BINDS = new Set(['', '0.0.0.0', '::', '[::]']);
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface HostPort {
  /** lower case; IPv6 in brackets */
  name: string;
  port: number;
}

/** `example.com:8080` / `[::1]:3000` / `localhost` (→ default port) → parts; undefined when malformed. */
export function parseHost(value: string, defaultPort = 80): HostPort | undefined {
  const v = value.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/.exec(v);
  if (!m) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port > 65535) return undefined;
  return { name: m[1]!, port };
}

function bareIp(name: string): string {
  return name.startsWith('[') ? name.slice(1, -1) : name;
}

function bracketed(host: string): string {
  const h = host.toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

export interface HostPolicy {
  /** whether `host` (a Host header value, or an origin's host) is served on `port` */
  allows(host: string, port: number | undefined, defaultPort?: number): boolean;
}

export function hostPolicy(config: Pick<Config, 'host' | 'port' | 'allowedHosts'>): HostPolicy {
  const extra = config.allowedHosts ?? [];
  const any = extra.includes('*');
  const extraNames = new Set<string>();
  const extraExact = new Set<string>();
  for (const entry of extra) {
    if (entry === '*') continue;
    const hp = /:\d+$/.test(entry) ? parseHost(entry) : undefined;
    if (hp) extraExact.add(`${hp.name}:${hp.port}`);
    else extraNames.add(bracketed(entry));
  }
  const bind = bracketed(config.host);
  const wildcard = WILDCARD_BINDS.has(bind);
  return {
    allows(host, port, defaultPort = 80) {
      if (any) return true;
      const hp = parseHost(host, defaultPort);
      if (!hp) return false;
      if (extraNames.has(hp.name) || extraExact.has(`${hp.name}:${hp.port}`)) return true;
      // Port unknown (no socket): only loopback names, and only through the checks above.
      const ourPort = port ?? (config.port || undefined);
      if (ourPort === undefined || hp.port !== ourPort) return false;
      if (LOOPBACK_NAMES.has(hp.name)) return true;
      if (!wildcard) return hp.name === bind;
      return isIP(bareIp(hp.name)) !== 0;
    },
  };
}

function forbidden(c: Context, message: string) {
  return c.json({ errorCode: 'VALIDATION', errorMessage: message }, 403);
}

function show(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/** Host + Origin checks (see the module comment). */
export function browserGuard(config: Pick<Config, 'host' | 'port' | 'allowedHosts'>): MiddlewareHandler {
  const policy = hostPolicy(config);
  return async (c, next) => {
    const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket;
    if (socket) {
      const port = socket.localPort;
      const host = c.req.header('host') ?? '';
      if (!policy.allows(host, port)) {
        return forbidden(c, `host not allowed: ${show(host)}. This server answers on localhost, 127.0.0.1 or its configured HOST; add other names to ALLOWED_HOSTS.`);
      }
      if (STATE_CHANGING.has(c.req.method)) {
        const origin = c.req.header('origin');
        if (origin !== undefined && !originAllowed(policy, origin, port)) {
          return forbidden(c, `origin not allowed: ${show(origin)}: cross-site requests cannot change data on this server`);
        }
        if (c.req.header('sec-fetch-site') === 'cross-site') {
          return forbidden(c, 'origin not allowed: cross-site requests cannot change data on this server');
        }
      }
    }
    await next();
  };
}

function originAllowed(policy: HostPolicy, origin: string, port: number | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin !== origin.toLowerCase().replace(/\/$/, '')) return false;
  return policy.allows(url.host, port, url.protocol === 'https:' ? 443 : 80);
}

/** Sets the security headers on every response (unless a handler set its own). */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const missing = Object.entries(securityHeadersFor(c.res.headers.get('Content-Type'))).filter(([name]) => !c.res.headers.has(name));
  if (missing.length === 0) return;
  try {
    for (const [name, value] of missing) c.res.headers.set(name, value);
  } catch {
    // immutable headers (a Response passed through from fetch): copy it
    const res = new Response(c.res.body, c.res);
    for (const [name, value] of missing) res.headers.set(name, value);
    c.res = res;
  }
};

export function apiBodyLimit(maxSize = API_BODY_LIMIT): MiddlewareHandler {
  const tooLarge = (c: Context) => {
    // The rest of the body is not read: do not let the client reuse this connection.
    c.header('Connection', 'close');
    return c.json({ errorCode: 'VALIDATION', errorMessage: `request body too large: the limit is ${maxSize} bytes` }, 413);
  };
  const streamed = bodyLimit({ maxSize, onError: tooLarge });
  // Hono's limit first asks the request for its body stream, which makes the Node adapter build a
  // full Request around the socket for every request, and the handler then reads the body through
  // that stream (measured: about a fifth of the server's CPU per run request). The cases it
  // settles from the headers are settled here without it: GET and HEAD bodies are never read, and
  // Node's parser reads exactly Content-Length bytes. A body without a length (chunked) is
  // counted as it streams, by Hono's limit.
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > maxSize ? tooLarge(c) : next();
    }
    return streamed(c, next);
  };
}

/**
 * Everything above plus authentication (when `AUTH_CLIENTS` is set: token endpoint, the console's
 * sign-in routes, and the bearer-or-session-cookie check on `/api/*`). Call first on a new app,
 * before any route, so it guards all of them.
 */
export function installSecurity(app: Hono, config: Config, opts: { recordSession?: RecordSessionEvent } = {}): void {
  app.use('*', securityHeaders, browserGuard(config));
  app.use('/api/*', apiBodyLimit());
  const issuer = TokenIssuer.fromConfig(config);
  if (issuer) {
    app.route('/api/auth', authRoutes(issuer));
    app.route('/api/auth', sessionRoutes(issuer, opts.recordSession));
    app.use('/api/*', authMiddleware(issuer));
    // The metrics tell a lot about the traffic: the same credentials as the API (any valid
    // token or session; METRICS_PORT serves them apart, for a scraper on a private network).
    app.use('/metrics', authMiddleware(issuer));
  }
}
