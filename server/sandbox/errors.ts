/**
 * A business error of a sandbox service. `code` is the upstream error code; the HTTP adapters
 * map it onto each service's closed enum (docs/compatibility.md: sandbox errors) and the activities classify it for
 * retries (docs/compatibility.md: remote calls that fail).
 */
export type SandboxErrorCode =
  | 'VALIDATION'
  | 'INSUFFICIENT_FUND'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'LEDGER_NOT_FOUND'
  | 'COMPILATION_FAILED'
  | 'METADATA_OVERRIDE'
  | 'NO_POSTINGS'
  | 'ALREADY_REVERT'
  | 'LEDGER_ALREADY_EXISTS'
  | 'HOLD_CLOSED'
  | 'INVALID_ID'
  | 'MISSING_OR_INVALID_BODY'
  | 'INTERNAL';

const STATUS: Record<SandboxErrorCode, 400 | 404 | 409 | 500> = {
  VALIDATION: 400,
  INSUFFICIENT_FUND: 400,
  CONFLICT: 409,
  NOT_FOUND: 404,
  LEDGER_NOT_FOUND: 404,
  COMPILATION_FAILED: 400,
  METADATA_OVERRIDE: 400,
  NO_POSTINGS: 400,
  ALREADY_REVERT: 400,
  LEDGER_ALREADY_EXISTS: 400,
  HOLD_CLOSED: 400,
  INVALID_ID: 400,
  MISSING_OR_INVALID_BODY: 400,
  INTERNAL: 500,
};

export class SandboxError extends Error {
  readonly status: 400 | 404 | 409 | 500;
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    status?: 400 | 404 | 409 | 500,
  ) {
    super(message);
    this.status = status ?? STATUS[code];
  }
}

export const invalid = (message: string) => new SandboxError('VALIDATION', message);

/** Postgres unique violation (both drivers expose `code`). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}
