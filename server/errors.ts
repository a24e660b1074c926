/** The API's error vocabulary (upstream's closed enum, which the SDKs check). */
export type ErrorCode = 'VALIDATION' | 'NOT_FOUND' | 'INTERNAL';

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
