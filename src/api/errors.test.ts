import { describe, expect, it } from 'vitest';
import { ApiError, errorText, isNotFoundError } from './errors';

const err = (status: number, errorMessage: string, errorCode = 'INTERNAL') => new ApiError({ status, errorCode, errorMessage });

describe('not found, as the embedded service and upstream Flows say it', () => {
  it('reads 404s and upstream 500s that only mean "not found" as not found', () => {
    expect(isNotFoundError(err(404, 'Instance not found', 'NOT_FOUND'))).toBe(true);
    expect(isNotFoundError(err(500, 'Instance not found'))).toBe(true);
    expect(isNotFoundError(err(500, 'sql: no rows in result set'))).toBe(true);
    expect(isNotFoundError(err(500, 'retrieving workflow: sql: no rows in result set'))).toBe(true);
    expect(isNotFoundError(err(500, 'workflow execution already completed'))).toBe(false);
    expect(isNotFoundError(err(500, 'creating workflow: empty specification'))).toBe(false);
    expect(errorText(err(500, 'Instance not found'))).toBe('NOT_FOUND: Instance not found (the stack answers an unknown id with HTTP 500)');
  });
});
