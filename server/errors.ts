/**
 * The API's error vocabulary: upstream's closed enum (VALIDATION, NOT_FOUND, INTERNAL), plus two
 * console extensions on statuses upstream never answers — `FORBIDDEN` (403, a role) and
 * `CONFLICT` (409, an approval already decided) — which SDKs read as a plain HTTP error
 * (docs/compatibility.md: error codes).
 */
export type ErrorCode = 'VALIDATION' | 'NOT_FOUND' | 'INTERNAL' | 'FORBIDDEN' | 'CONFLICT';

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500 | 502 | 503,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const validation = (message: string) => new ApiError(400, 'VALIDATION', message);
export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);
