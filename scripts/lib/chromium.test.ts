import { describe, expect, it } from 'vitest';
import { DEFAULT_CHROMIUM, chromiumPath, chromiumPlan } from './chromium.mjs';

describe('chromiumPath', () => {
  it('is CHROMIUM_PATH when set, else Debian’s', () => {
    expect(chromiumPath({})).toBe(DEFAULT_CHROMIUM);
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/chrome/chrome' })).toBe('/opt/chrome/chrome');
  });
});

describe('chromiumPlan', () => {
  const base = { path: DEFAULT_CHROMIUM, exists: false, root: true, hasAptGet: true };

  it('uses the browser when it is there', () => {
    expect(chromiumPlan({ ...base, exists: true })).toEqual({ action: 'ok' });
  });

  it('installs Debian’s package as root', () => {
    expect(chromiumPlan(base)).toEqual({ action: 'install' });
  });

  it('explains how to install it when not root', () => {
    const plan = chromiumPlan({ ...base, root: false });
    expect(plan.action).toBe('missing');
    expect(plan.action === 'missing' && plan.message).toMatch(/Not running as root.*apt-get install -y --no-install-recommends chromium fonts-liberation/s);
  });

  it('never installs over a CHROMIUM_PATH that does not exist', () => {
    const plan = chromiumPlan({ ...base, path: '/opt/chrome/chrome' });
    expect(plan.action).toBe('missing');
    expect(plan.action === 'missing' && plan.message).toContain('CHROMIUM_PATH=/opt/chrome/chrome');
  });
});
