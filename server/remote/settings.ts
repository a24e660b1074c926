import type { Config } from '../config.js';
import { DEFAULT_GATE, DEFAULT_TIMEOUT_MS, StackGate } from './stack-gate.js';
import { ClientCredentialsTokenSource } from './token.js';

/**
 * Remote mode (`FORMANCE_URL` set): no engine and no sandbox. The server serves the SPA, proxies
 * the stack's APIs with its own token (http/proxy.ts) and answers `/api/console/*`. The browser
 * safety checks and optional `AUTH_CLIENTS` apply exactly as in embedded mode.
 */
export interface RemoteSettings {
  /** FORMANCE_URL without trailing slash */
  stackUrl: string;
  tokens?: ClientCredentialsTokenSource;
  /** longest wait for one answer of the stack */
  timeoutMs: number;
  /** bounds the calls in flight to the stack */
  gate: StackGate;
  /** how the server calls the stack (tests inject one) */
  fetch?: typeof fetch;
}

function checkUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL`);
  // Credentials in a URL end up in logs and in /api/console/info: refuse them.
  if (url.username || url.password) throw new Error(`${name} must not contain credentials: use FORMANCE_CLIENT_ID and FORMANCE_CLIENT_SECRET`);
  return url;
}

/** Validates the remote-mode configuration. Error messages never include the secret. */
export function remoteSettings(config: Config, deps: { fetch?: typeof fetch } = {}): RemoteSettings {
  if (!config.formanceUrl) throw new Error('remote mode needs FORMANCE_URL');
  const url = checkUrl('FORMANCE_URL', config.formanceUrl);
  if (url.search || url.hash) throw new Error('FORMANCE_URL must not have a query or fragment');
  const stackUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  const { formanceClientId: id, formanceClientSecret: secret } = config;
  if (!!id !== !!secret) throw new Error('remote mode: set both FORMANCE_CLIENT_ID and FORMANCE_CLIENT_SECRET, or neither (a stack without auth)');
  const timeoutMs = config.formanceTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxInFlight = config.formanceMaxCalls ?? DEFAULT_GATE.maxInFlight;
  const calls = { timeoutMs, gate: new StackGate({ maxInFlight, maxQueued: maxInFlight * 4, maxWaitMs: timeoutMs }), fetch: deps.fetch };
  if (!id || !secret) return { stackUrl, ...calls };
  const tokenUrl = config.formanceTokenUrl ? checkUrl('FORMANCE_TOKEN_URL', config.formanceTokenUrl).href : `${stackUrl}/api/auth/oauth/token`;
  return {
    stackUrl,
    ...calls,
    tokens: new ClientCredentialsTokenSource({ tokenUrl, clientId: id, clientSecret: secret, scopes: config.formanceScopes, fetch: deps.fetch }),
  };
}
