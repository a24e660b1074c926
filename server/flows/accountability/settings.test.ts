import { describe, expect, it } from 'vitest';
import { parseSettingsPatch } from './settings.js';

// The settings' checks (common/approval-settings.ts, shared with the console's Settings page):
// a message naming the field, and values kept in one form.

describe('settings patch', () => {
  const refused = (body: unknown) => {
    try {
      parseSettingsPatch(body);
    } catch (err) {
      return (err as Error & { errorMessage?: string }).message;
    }
    throw new Error('accepted');
  };

  it('names the field of a bad limit or expiry', () => {
    expect(refused({ approvalLimits: { usd: '1' } })).toContain('approvalLimits.usd: expected an asset such as USD/2 or EUR');
    expect(refused({ approvalLimits: { 'USD/2': '12.50' } })).toContain('approvalLimits.USD/2: expected a whole amount in minor units');
    expect(refused({ approvalLimits: { 'USD/2': -1 } })).toContain('approvalLimits.USD/2: expected a whole amount');
    expect(refused({ approvalLimits: [] })).toContain('approvalLimits: expected an object');
    expect(refused({ approvalExpiresAfter: 'soon' })).toContain(`approvalExpiresAfter: expected a duration such as '24h' or '90m'`);
    expect(refused({ approvalExpiresAfter: 5 })).toContain('approvalExpiresAfter: expected a duration');
    expect(refused({ approvalExpiresAfter: '59s' })).toContain('approvalExpiresAfter: must be between 1m and 720h (30 days)');
    expect(refused({ approvalExpiresAfter: '721h' })).toContain('approvalExpiresAfter: must be between 1m and 720h');
  });

  it('keeps good values in one form', () => {
    expect(parseSettingsPatch({ approvalLimits: { 'USD/2': '000100000', EUR: 5 }, approvalExpiresAfter: '90m' })).toEqual({
      approvalLimits: { 'USD/2': '100000', EUR: '5' },
      approvalExpiresAfter: '1h30m0s',
    });
    expect(parseSettingsPatch({ approvalExpiresAfter: '1m' })).toEqual({ approvalExpiresAfter: '1m0s' });
  });
});
