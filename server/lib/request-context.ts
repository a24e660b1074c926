import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request being served, reachable from any code it runs (the service, the engine's lifecycle
 * writes, the logger) without passing it along: its id (`X-Request-Id`) and, once routed, the
 * route pattern that answered it. Code outside a request (the engine's loop, the trigger
 * dispatcher) sees none.
 */
export interface RequestContext {
  /** the caller's `X-Request-Id` when acceptable, else a new UUID; returned in `X-Request-Id` */
  readonly id: string;
  /** the route pattern that answered (`/api/orchestration/v2/instances/:instanceID`) */
  route?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` as part of the request `ctx` (everything it awaits or schedules included). */
export function runInRequest<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The request being served, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** The id of the request being served, if any (for audit records and log lines). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.id;
}

/** Longest `X-Request-Id` taken from a caller. */
export const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,${MAX_REQUEST_ID_LENGTH - 1}}$`);

/**
 * The caller's request id when it is safe to log and echo (1–128 letters, digits, `.`, `_`, `:`,
 * `-`, starting with a letter or digit: what proxies and tracing systems send), else a new one.
 * Anything else (spaces, quotes, control characters, a long value) could forge log lines or
 * bloat every line it is copied into.
 */
export function acceptRequestId(header: string | undefined | null): string {
  return header && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
