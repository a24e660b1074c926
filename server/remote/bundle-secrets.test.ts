import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * No secret in what the browser downloads: the SPA is built (into a temp dir) with canary values
 * in FORMANCE_CLIENT_SECRET, AUTH_CLIENTS and AUTH_SIGNING_KEY set, and every emitted file is
 * searched for them. Also: index.html has no inline script, which the CSP would block.
 * Runs only where the SPA can be built (dist/client exists); skipped with a note otherwise.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILT = join(ROOT, 'dist/client/index.html');
const canaries = {
  FORMANCE_CLIENT_SECRET: `canary-formance-secret-${process.pid}-${Date.now()}`,
  AUTH_CLIENTS: `canary-id:canary-auth-secret-${process.pid}`,
  AUTH_SIGNING_KEY: `canary-signing-key-${'x'.repeat(32)}`,
};
const needles = [canaries.FORMANCE_CLIENT_SECRET, `canary-auth-secret-${process.pid}`, canaries.AUTH_SIGNING_KEY];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

const built = existsSync(BUILT);
const tmp = built ? mkdtempSync(join(tmpdir(), 'flows-bundle-')) : '';
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('built SPA', () => {
  if (!built) {
    it.skip('secret scan of the built bundle — skipped: dist/client does not exist here (run `npm run build` first)', () => {});
    return;
  }

  it('contains no secret when built with FORMANCE_CLIENT_SECRET / AUTH_CLIENTS / AUTH_SIGNING_KEY set', { timeout: 300_000 }, async () => {
    const out = join(tmp, 'client');
    const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
    const { code, output } = await run(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      ...process.env,
      ...canaries,
    });
    expect(code, output).toBe(0);
    const emitted = files(out);
    expect(emitted.some((f) => f.endsWith('index.html'))).toBe(true);
    expect(emitted.some((f) => f.endsWith('.js'))).toBe(true);
    for (const file of emitted) {
      const content = readFileSync(file).toString('latin1');
      for (const needle of needles) expect(content.includes(needle), `${relative(out, file)} contains a secret`).toBe(false);
    }
  });

  it('index.html has no inline script or inline event handler (the CSP allows script-src self only)', () => {
    const html = readFileSync(BUILT, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      const json = /type\s*=\s*["']?application\/(ld\+)?json/i.test(attrs!);
      if (!json) {
        expect(attrs, 'external script').toMatch(/\bsrc\s*=/i);
        expect(body!.trim(), 'inline script body').toBe('');
      }
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=\s*["']/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('the current dist/client carries no secret from this environment', () => {
    const present = ['FORMANCE_CLIENT_SECRET', 'AUTH_SIGNING_KEY'].map((k) => process.env[k]).filter((v): v is string => !!v && v.length >= 8);
    for (const pair of (process.env.AUTH_CLIENTS ?? '').split(',')) {
      const secret = pair.slice(pair.indexOf(':') + 1).trim();
      if (pair.includes(':') && secret.length >= 8) present.push(secret);
    }
    for (const file of files(dirname(BUILT))) {
      const content = readFileSync(file).toString('latin1');
      for (const secret of present) expect(content.includes(secret), `${relative(ROOT, file)} contains a secret from the environment`).toBe(false);
    }
  });
});
