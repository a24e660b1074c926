import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { consoleInfoRoutes, remoteHealth } from '../http/console-info.js';
import { PROXIED_PREFIXES, proxyHandler } from '../http/proxy.js';
import { errorBody } from '../http/respond.js';
import { consoleTriggerRoutes } from '../http/console-triggers.js';
import { servicePaths } from '../http/service-paths.js';
import { createLinkResolver } from '../triggers/link.js';
import { installSecurity } from '../http/security.js';
import { staticRoutes } from '../http/static.js';
import { ClientCredentialsTokenSource } from './token.js';

/**
 * Remote mode (`FORMANCE_URL` set): no database, no engine. The server serves the SPA, proxies
 * the stack's APIs with its own token (see http/proxy.ts) and `/api/console/info`. The browser
 * safety checks and optional `AUTH_CLIENTS` apply exactly as in embedded mode.
 */

export interface RemoteSettings {
  /** FORMANCE_URL without trailing slash */
  stackUrl: string;
  tokens?: ClientCredentialsTokenSource;
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
  if (!id || !secret) return { stackUrl };
  const tokenUrl = config.formanceTokenUrl ? checkUrl('FORMANCE_TOKEN_URL', config.formanceTokenUrl).href : `${stackUrl}/api/auth/oauth/token`;
  return {
    stackUrl,
    tokens: new ClientCredentialsTokenSource({ tokenUrl, clientId: id, clientSecret: secret, scopes: config.formanceScopes, fetch: deps.fetch }),
  };
}

export function createRemoteApp(config: Config, settings: RemoteSettings, deps: { fetch?: typeof fetch } = {}): Hono {
  const app = new Hono();
  // Upstream's service paths (no gateway prefix) re-dispatched to the proxied ones.
  app.use('*', servicePaths((request, env) => app.fetch(request, env)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err), err.status);
    console.error('internal error:', err instanceof Error ? err.message : 'unknown error');
    return c.json({ errorCode: 'INTERNAL', errorMessage: 'internal error' }, 500);
  });
  installSecurity(app, config);

  app.get('/_healthcheck', (c) => c.json({ status: 'ok' }));
  app.route(
    '/api/console',
    consoleInfoRoutes({
      mode: 'remote',
      stackUrl: settings.stackUrl,
      health: remoteHealth({ stackUrl: settings.stackUrl, tokens: settings.tokens, fetch: deps.fetch }),
    }),
  );
  // The trigger editor's helpers need no store. `link()` in a preview gets no stack credentials:
  // the payload's URLs come from the browser, and the stack token must not go to them.
  app.route('/api/console', consoleTriggerRoutes(createLinkResolver()));
  const proxy = proxyHandler({ stackUrl: settings.stackUrl, tokens: settings.tokens, fetch: deps.fetch });
  for (const prefix of PROXIED_PREFIXES) {
    app.all(prefix, proxy);
    app.all(`${prefix}/*`, proxy);
  }
  app.all('/api/*', (c) =>
    c.json({ errorCode: 'NOT_FOUND', errorMessage: `no such endpoint in remote mode: ${c.req.method} ${c.req.path}` }, 404),
  );
  // static.ts reads only ctx.config (staticDir); remote mode has no store, engine or services.
  app.route('/', staticRoutes({ config } as Pick<AppContext, 'config'> as AppContext));
  return app;
}

export interface RemoteServer {
  url: string;
  close(): Promise<void>;
}

export async function startRemoteServer(config: Config, deps: { fetch?: typeof fetch } = {}): Promise<RemoteServer> {
  const settings = remoteSettings(config, deps);
  if (!settings.tokens && !config.quiet) {
    console.warn('remote mode without FORMANCE_CLIENT_ID/FORMANCE_CLIENT_SECRET: calling the stack without a token');
  }
  const app = createRemoteApp(config, settings, deps);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          if ('closeAllConnections' in server) server.closeAllConnections();
        }, 10_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/**
 * `RunningServer.ctx` in remote mode: there is no store, engine or service to hand out, so any
 * use of it is a bug — it throws with a message that says so instead of failing obscurely.
 */
export function noEmbeddedContext(): AppContext {
  return new Proxy({} as AppContext, {
    get(_target, prop) {
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      throw new Error(`remote mode (FORMANCE_URL): the server has no embedded context ('ctx.${prop}')`);
    },
  });
}
