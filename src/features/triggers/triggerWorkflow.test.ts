import { describe, expect, it } from 'vitest';
import { orphanReason } from './triggerWorkflow';

describe('orphanReason', () => {
  it('says why a trigger whose workflow is gone does not do its job, per mode', () => {
    const deleted = { state: 'deleted', name: 'payout', deletedAt: '2026-01-01T00:00:00Z' } as const;
    expect(orphanReason(deleted, false)).toBe('Its workflow “payout” was deleted: this trigger no longer fires.');
    // Upstream Flows keeps firing triggers of deleted workflows.
    expect(orphanReason(deleted, true)).toBe(
      'Its workflow “payout” was deleted: the stack still fires this trigger, but the instances it starts are left out of instance lists.',
    );
    expect(orphanReason({ state: 'missing' }, false)).toBe('Its workflow cannot be found: this trigger no longer fires.');
    expect(orphanReason({ state: 'active', name: 'payout' }, false)).toBeUndefined();
    expect(orphanReason(undefined, false)).toBeUndefined();
  });
});
