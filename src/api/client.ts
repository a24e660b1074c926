/**
 * The one HTTP client of the console (openapi-fetch over the generated contract types).
 * Cross-cutting concerns live here once: error responses become thrown `ApiError`s (the server's
 * own 401 challenge marked `signInRequired`), network failures become `ApiError('NETWORK')`, and
 * integers beyond 2^53 survive JSON parsing as strings. Same-origin requests carry the console's
 * HttpOnly session cookie by themselves (AUTH_CLIENTS); no token ever passes through here.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths as FlowsPaths } from './generated/flows';
import type { paths as SandboxPaths } from './generated/sandbox';
import type { paths as ConsolePaths } from './generated/console';
import { apiErrorOf, networkError } from './errors';
import { noteServerDate } from '../lib/clock';
import { parseJsonLossless } from '../lib/json';

const isJson = (response: Response) => /\bjson\b/i.test(response.headers.get('Content-Type') ?? '');

export const apiMiddleware: Middleware = {
  async onResponse({ response }) {
    noteServerDate(response.headers.get('Date'));
    if (!response.ok) throw await apiErrorOf(response);
    if (response.status === 204 || !isJson(response)) return undefined;
    const text = await response.clone().text();
    if (!/\d{16}/.test(text)) return undefined;
    // Re-encode so that unsafe integers reach openapi-fetch's JSON.parse as strings.
    const safe = JSON.stringify(parseJsonLossless(text));
    return new Response(safe, { status: response.status, statusText: response.statusText, headers: response.headers });
  },
  onError({ error }) {
    if (error instanceof Error && error.name === 'AbortError') return error;
    return networkError(error);
  },
};

export interface ApiClients {
  flows: Client<FlowsPaths>;
  sandbox: Client<SandboxPaths>;
  /** the console's own endpoints (saved views, exports, bulk jobs) */
  console: Client<ConsolePaths>;
}

export function createApiClients(options: { baseUrl?: string; fetch?: (input: Request) => Promise<Response> } = {}): ApiClients {
  const baseUrl = options.baseUrl ?? (typeof location !== 'undefined' ? location.origin : '');
  const common = { baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}), headers: { Accept: 'application/json' } };
  const flows = createClient<FlowsPaths>(common);
  const sandbox = createClient<SandboxPaths>(common);
  const consoleApi = createClient<ConsolePaths>(common);
  flows.use(apiMiddleware);
  sandbox.use(apiMiddleware);
  consoleApi.use(apiMiddleware);
  return { flows, sandbox, console: consoleApi };
}

let clients: ApiClients | undefined;

/** The clients used by the query layer; tests may swap them with `setApiClients`. */
export function api(): ApiClients {
  clients ??= createApiClients();
  return clients;
}

export function setApiClients(next: ApiClients | undefined): void {
  clients = next;
}

/** The `data` of a successful call (errors were already thrown by the middleware). */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  const result = await call;
  return result.data as T;
}
