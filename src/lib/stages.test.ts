import { describe, expect, it } from 'vitest';
import { stageKind, stageKindCounts, workflowVariables } from './stages';

describe('stages', () => {
  it('finds the kind', () => {
    expect(stageKind({ send: {} })).toBe('send');
    expect(stageKind({ wait_event: { event: 'x' } })).toBe('wait_event');
    expect(stageKind({})).toBe('unknown');
    expect(stageKind({ noop: {}, delay: {} })).toBe('unknown');
    expect(stageKind(null)).toBe('unknown');
  });

  it('counts kinds in order', () => {
    expect(stageKindCounts([{ send: {} }, { delay: {} }, { send: {} }])).toEqual([
      ['send', 2],
      ['delay', 1],
    ]);
  });

  it('lists ${variables}', () => {
    const stages = [
      { update: { account: { id: 'users:${userID}', metadata: { kyc: '${kycLevel}' } } } },
      { send: { amount: { asset: 'EUR/2', amount: '${amount}' }, destination: { account: { id: 'users:${userID}' } } } },
      { noop: { note: '${}' } },
    ];
    expect(workflowVariables(stages)).toEqual(['amount', 'kycLevel', 'userID']);
  });
});
