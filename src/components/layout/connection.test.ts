import { describe, expect, it } from 'vitest';
import { healthView } from './connection';

describe('healthView', () => {
  it('reads the health of /api/console/info', () => {
    expect(healthView({ ok: true })).toEqual({ tone: 'ok', label: 'Healthy', detail: undefined });
    expect(healthView({ ok: false, message: 'stack unreachable' })).toEqual({ tone: 'down', label: 'Unhealthy', detail: 'stack unreachable' });
    expect(healthView(undefined).tone).toBe('warn');
  });
});
