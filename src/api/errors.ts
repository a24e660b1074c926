/** The one error type of the API layer, and the one error → message function of the console. */

export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly details?: string;
  /**
   * The console server itself refused the request for want of credentials (401 with its own
   * `WWW-Authenticate: Bearer realm="flows-console"`, AUTH_CLIENTS): the console should sign in.
   * A 401 relayed from a remote stack never carries that challenge (the proxy drops it).
   */
  readonly signInRequired: boolean;

  constructor(init: { status: number; errorCode: string; errorMessage: string; details?: string; signInRequired?: boolean }) {
    super(`${init.errorCode}: ${init.errorMessage}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.errorMessage = init.errorMessage;
    this.details = init.details;
    this.signInRequired = init.signInRequired ?? false;
  }
}

/** Whether `error` means "sign in to use this console" (see {@link ApiError.signInRequired}). */
export function isSignInRequired(error: unknown): boolean {
  return error instanceof ApiError && error.signInRequired;
}

/** The challenge of the console server's own 401s (server/http/auth.ts). */
export function isConsoleChallenge(status: number, wwwAuthenticate: string | null): boolean {
  return status === 401 && /^Bearer realm="flows-console"/i.test(wwwAuthenticate ?? '');
}

/**
 * Upstream Flows (remote mode) answers some unknown ids with HTTP 500 and these messages: an
 * unknown workflow (`sql: no rows in result set`), instance (`Instance not found`), or workflow of
 * a new trigger; events and aborts wrap the first (`retrieving workflow: sql: no rows…`).
 */
const UPSTREAM_NOT_FOUND = /(?:^|: )(?:sql: no rows in result set|Instance not found|Workflow not found|workflow does not exists)$/;

/** A 500 that only means "not found" (see {@link UPSTREAM_NOT_FOUND}). */
export function isUpstreamNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 500 && UPSTREAM_NOT_FOUND.test(error.errorMessage);
}

/**
 * Whether the server said "not found". A function, not an `isNotFound` property: TanStack Router
 * treats any thrown object with `isNotFound: true` as its own not-found signal.
 */
export function isNotFoundError(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.errorCode === 'NOT_FOUND' || error.errorCode === 'LEDGER_NOT_FOUND' || isUpstreamNotFound(error));
}

/**
 * Whether asking again may give another answer: the network, a server error, a timeout or a rate
 * limit. A 4xx (not found, refused) stays what it is: a Retry button there only repeats it.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  // Upstream Flows answers an unknown id with 500: asking again changes nothing.
  if (isUpstreamNotFound(error)) return false;
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

const STATUS_CODES: Record<number, string> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  500: 'INTERNAL',
  502: 'BAD_GATEWAY',
  503: 'UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** Builds an ApiError from any error response: a `{errorCode, errorMessage}` body, text, or nothing. */
export function apiErrorFromResponse(status: number, statusText: string, body: unknown, options: { signInRequired?: boolean } = {}): ApiError {
  const { signInRequired } = options;
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.errorCode === 'string' || typeof b.errorMessage === 'string') {
      return new ApiError({
        status,
        errorCode: typeof b.errorCode === 'string' ? b.errorCode : (STATUS_CODES[status] ?? `HTTP_${status}`),
        errorMessage: typeof b.errorMessage === 'string' ? b.errorMessage : statusText || `HTTP ${status}`,
        details: typeof b.details === 'string' ? b.details : undefined,
        signInRequired,
      });
    }
  }
  const text = typeof body === 'string' ? body.trim() : '';
  return new ApiError({
    status,
    errorCode: STATUS_CODES[status] ?? `HTTP_${status}`,
    errorMessage: signInRequired ? 'Sign in to use this console.' : text && text.length < 300 ? text : statusText || `The server answered HTTP ${status}`,
    signInRequired,
  });
}

/** The ApiError of a response that is not ok (its body read as JSON when it is JSON). */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return apiErrorFromResponse(response.status, response.statusText, body, {
    signInRequired: isConsoleChallenge(response.status, response.headers.get('WWW-Authenticate')),
  });
}

export function networkError(cause: unknown): ApiError {
  const err = new ApiError({
    status: 0,
    errorCode: 'NETWORK',
    errorMessage: 'Cannot reach the Flows Console server. Check that it is running.',
  });
  (err as { cause?: unknown }).cause = cause;
  return err;
}

/** One line for any error, for toasts and inline messages. */
export function errorText(error: unknown): string {
  if (isUpstreamNotFound(error)) return `NOT_FOUND: ${(error as ApiError).errorMessage} (the stack answers an unknown id with HTTP 500)`;
  if (error instanceof ApiError) return `${error.errorCode}: ${error.errorMessage}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
