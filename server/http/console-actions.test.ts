import { describe, expect, it } from 'vitest';
import { ACTION_ROLES, refusalText, type ConsoleAction } from '../../common/roles.js';
import { ruleFor } from './access-rules.js';

// The console disables what a role may not do (common/roles.ts ACTION_ROLES); the server refuses
// it (access-rules.ts). This keeps the two saying the same: each console action is checked
// against the server's rule of every write it sends.

const WRITES: Record<ConsoleAction, [method: string, path: string][]> = {
  run: [['POST', '/api/orchestration/v2/workflows/w/instances']],
  abort: [['PUT', '/api/orchestration/v2/instances/i/abort']],
  bulkAbort: [
    ['POST', '/api/console/bulk-jobs'],
    ['POST', '/api/console/bulk-jobs/b/stop'],
  ],
  sendEvent: [['POST', '/api/orchestration/v2/instances/i/events']],
  publishEvent: [['POST', '/api/console/events']],
  saveView: [
    ['POST', '/api/console/views'],
    ['PATCH', '/api/console/views/v'],
    ['DELETE', '/api/console/views/v'],
  ],
  authorWorkflow: [['POST', '/api/orchestration/v2/workflows']],
  deleteWorkflow: [['DELETE', '/api/orchestration/v2/workflows/w']],
  manageTriggers: [
    ['POST', '/api/orchestration/v2/triggers'],
    ['DELETE', '/api/orchestration/v2/triggers/t'],
  ],
  changeSettings: [['PUT', '/api/console/settings']],
  setApprovalPolicy: [['PUT', '/api/console/workflows/w/approval-policy']],
  decideApproval: [
    ['POST', '/api/console/approvals/a/approve'],
    ['POST', '/api/console/approvals/a/reject'],
  ],
};

describe('the console’s action roles match the server’s rules', () => {
  for (const [action, writes] of Object.entries(WRITES) as [ConsoleAction, [string, string][]][]) {
    it(action, () => {
      for (const [method, path] of writes) {
        const rule = ruleFor(method, path);
        expect(rule.known, `${method} ${path} has a rule`).toBe(true);
        expect(rule.role, `${method} ${path}`).toBe(ACTION_ROLES[action]);
      }
    });
  }

  it('says which role is needed and which one the caller has; nothing for who may', () => {
    expect(refusalText('operator', 'viewer')).toBe('Needs the operator role — you are signed in as viewer');
    expect(refusalText('admin', 'operator')).toBe('Needs the admin role — you are signed in as operator');
    expect(refusalText('operator', 'operator')).toBeUndefined();
    expect(refusalText('admin', 'full')).toBeUndefined();
  });
});
