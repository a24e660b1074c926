import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../api/types';
import { abortedBySentence, actionVerb, entryVerb, lastAbort, outcomeText, whoDid } from './sentences';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 'e',
  seq: 1,
  at: '2026-01-01T00:00:00Z',
  actor: { kind: 'client', name: 'ops-bot', access: 'operator', via: 'token' },
  action: 'instance.abort',
  target: { type: 'instance', id: 'i-1' },
  requestId: 'r',
  method: 'PUT',
  path: '/api/orchestration/v2/instances/i-1/abort',
  mode: 'embedded',
  details: {},
  ...over,
});

describe('audit sentences', () => {
  it("say which way a workflow's approval policy went, from the recorded body", () => {
    const policy = (body?: string) => entry({ action: 'workflow.policy', details: body === undefined ? {} : { body } });
    expect(entryVerb(policy('{"requiresApproval":true}'))).toBe('required approval for every run of workflow');
    expect(entryVerb(policy('{"requiresApproval":false}'))).toBe('stopped requiring approval for workflow');
    expect(entryVerb(policy('not json'))).toBe('changed the approval policy of workflow');
    expect(entryVerb(policy())).toBe('changed the approval policy of workflow');
    expect(entryVerb(entry({}))).toBe('aborted instance');
  });

  it('name who did what, and how it ended', () => {
    expect(whoDid(entry({}))).toBe('client ops-bot');
    expect(whoDid(entry({ actor: { kind: 'local', name: '', access: 'full', via: 'none' } }))).toBe('local, no sign-in');
    expect(whoDid(entry({ actor: { kind: 'system', name: 'console', access: 'full', via: 'none' } }))).toBe('console server');
    expect(actionVerb('approval.expire')).toBe('recorded the expiry of held run');
    expect(actionVerb('instance.abort')).toBe('aborted instance');
    expect(actionVerb('something.new')).toBe('something.new');
    expect(outcomeText(entry({}))).toEqual({ text: 'outcome not recorded', tone: 'neutral' });
    expect(outcomeText(entry({ outcome: { at: 'x', outcome: 'refused', status: 403, errorCode: 'FORBIDDEN', answeredBy: 'console' } }))).toEqual({
      text: 'refused (403 FORBIDDEN)',
      tone: 'warning',
    });
  });

  it('say who aborted an instance and why, from its newest successful abort', () => {
    const ok = { at: 'x', outcome: 'succeeded' as const, status: 204, answeredBy: 'console' as const };
    const refused = entry({ reason: 'no', outcome: { ...ok, outcome: 'refused', status: 403 } });
    const aborted = entry({ reason: 'duplicate payout', outcome: ok });
    expect(lastAbort([refused, aborted])).toBe(aborted);
    expect(abortedBySentence(aborted)).toBe('Aborted by client ops-bot — duplicate payout');
    expect(lastAbort([refused])).toBeUndefined();
  });
});
