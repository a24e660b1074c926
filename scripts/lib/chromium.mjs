// Debian's Chromium for Playwright (Playwright cannot download its own browser on these machines).
import { existsSync } from 'node:fs';
import { run, secondsSince } from './proc.mjs';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_PACKAGES = ['chromium', 'fonts-liberation'];

/** Flags for Debian's Chromium in tests and benchmarks: no sandbox (root in CI), no GPU, no
 * background traffic. Headless mode is the launcher's choice. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** The browser Playwright launches: $CHROMIUM_PATH or Debian's /usr/bin/chromium. */
export function chromiumPath(env = process.env) {
  return env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * What to do about the browser: `ok` (present), `install` (missing, we are root and may use
 * apt-get; only for the default path), or `missing` (with the message to show). Pure; tested.
 */
export function chromiumPlan({ path, exists, root, hasAptGet }) {
  if (exists) return { action: 'ok' };
  const how = `apt-get update && apt-get install -y --no-install-recommends ${CHROMIUM_PACKAGES.join(' ')}`;
  if (path !== DEFAULT_CHROMIUM) {
    return { action: 'missing', message: `CHROMIUM_PATH=${path} does not exist. Point it at a Chromium binary, or unset it to use ${DEFAULT_CHROMIUM}.` };
  }
  if (root && hasAptGet) return { action: 'install' };
  return {
    action: 'missing',
    message:
      `Chromium is missing (${path}) and the browser tests need it. ` +
      (root ? 'apt-get is not available here. ' : 'Not running as root, so not installing it. ') +
      `Install it as root with:\n  ${how}\nor set CHROMIUM_PATH to a Chromium/Chrome binary.`,
  };
}

/** Makes sure Chromium is there, installing Debian's package when possible. */
export async function ensureChromium({ env = process.env } = {}) {
  const path = chromiumPath(env);
  const plan = chromiumPlan({ path, exists: existsSync(path), root: isRoot(), hasAptGet: existsSync('/usr/bin/apt-get') });
  if (plan.action === 'ok') return { ok: true, path };
  if (plan.action === 'missing') return { ok: false, path, message: plan.message };
  console.log(`Chromium missing: installing ${CHROMIUM_PACKAGES.join(' ')} with apt-get…`);
  const t0 = performance.now();
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], { env: aptEnv });
  const install = update.code === 0 ? await run('apt-get', ['install', '-y', '--no-install-recommends', ...CHROMIUM_PACKAGES], { env: aptEnv }) : update;
  const seconds = secondsSince(t0);
  if (install.code !== 0 || !existsSync(path)) {
    return { ok: false, path, seconds, message: `apt-get could not install Chromium (exit code ${install.code}, ${seconds} s).` };
  }
  console.log(`Chromium installed in ${seconds} s`);
  return { ok: true, path, seconds, installed: true };
}
