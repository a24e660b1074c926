import { describe, expect, it } from 'vitest';
import { currentStage, instanceState } from './status';

describe('instance state', () => {
  it('derives the state', () => {
    expect(instanceState({ terminated: false })).toBe('running');
    expect(instanceState({ terminated: true })).toBe('succeeded');
    expect(instanceState({ terminated: true, error: 'insufficient funds' })).toBe('failed');
    expect(instanceState({ terminated: true, error: 'canceled' })).toBe('aborted');
    expect(instanceState({ terminated: true, error: 'cancelled' })).toBe('aborted');
  });

  it('finds the running stage', () => {
    const status = [{ stage: 0, terminatedAt: '2024-01-01T00:00:00Z' }, { stage: 1 }];
    expect(currentStage({ terminated: false, status })).toBe(1);
    expect(currentStage({ terminated: true, status })).toBeUndefined();
    expect(currentStage({ terminated: false })).toBeUndefined();
  });
});
