import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS, fileEnv } from '../../server/config.js';
import { packAndInstall, type InstalledPackage } from '../lib/package.mjs';

/**
 * The npm package as a new user gets it (`npm test`'s `package` suite, after `build`): `npm pack`
 * of the built tree, installed with `--omit=dev` into an empty folder, then `npx flows-console`
 * and the installed bin run there — with the same defaults as `npm start`, on a free port and a
 * new data dir — nothing from this repository's node_modules or sources.
 */

const ROOT = join(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The package's only runtime dependencies, and theirs (pg's). */
const RUNTIME = new Set([
  '@electric-sql/pglite',
  'pg',
  'pg-cloudflare',
  'pg-connection-string',
  'pg-int8',
  'pg-pool',
  'pg-protocol',
  'pg-types',
  'pgpass',
  'postgres-array',
  'postgres-bytea',
  'postgres-date',
  'postgres-interval',
  'split2',
  'xtend',
  'flows-console',
]);

const tmp = mkdtempSync(join(tmpdir(), 'flows-package-'));
let pkg: InstalledPackage;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The environment of a user who set nothing: none of the server's variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const s of SETTINGS) {
    delete env[s.env];
    delete env[fileEnv(s)];
  }
  return env;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: pkg.app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const bin = () => join(pkg.app, 'node_modules/.bin/flows-console');

describe('the npm package', () => {
  beforeAll(async () => {
    pkg = await packAndInstall(tmp);
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    console.log(
      `package: tarball ${mb(pkg.packedBytes)} (${pkg.files.length} files, ${mb(pkg.unpackedBytes)} unpacked); installed with --omit=dev: ${mb(pkg.installedBytes)} in node_modules, ${pkg.installedPackages.length} packages; pack ${pkg.packSeconds} s, install ${pkg.installSeconds} s`,
    );
  }, 480_000);

  it('holds the built console, the server bundle and the command, no sources', () => {
    expect(pkg.files).toContain('bin/flows-console.mjs');
    expect(pkg.files).toContain('dist/server/main.mjs');
    expect(pkg.files).toContain('dist/client/index.html');
    expect(pkg.files.filter((f) => /^(src|server|scripts|e2e|common|openapi)\//.test(f))).toEqual([]);
  });

  it('installs only its runtime dependencies (PGlite and pg)', () => {
    expect(pkg.installedPackages.filter((p) => !RUNTIME.has(p))).toEqual([]);
  });

  it('npx flows-console --version and --help', async () => {
    const version = await run('npx', ['--no', '--', 'flows-console', '--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    const help = await run(bin(), ['--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const s of SETTINGS) {
      expect(help.stdout, s.env).toContain(s.env);
      expect(help.stdout, s.flag).toContain(s.flag);
    }
  });

  it('refuses a bad flag with exit code 2, naming it', async () => {
    const bad = await run(bin(), ['--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port: must be a port number/);
    const unknown = await run(bin(), ['--prot', '80']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--prot: unknown option');
  });

  it('serves the console and the API with the defaults of npm start (seeded demo data), then stops on SIGTERM', async () => {
    const dataDir = join(tmp, 'data');
    const child = spawn(bin(), ['--port', '0', '--data-dir', dataDir, '--log-format', 'json'], { cwd: pkg.app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "Listening on" line within 180 s: ${stdout}${stderr}`)), 180_000);
        child.stdout.on('data', (d) => {
          stdout += d;
          for (const line of stdout.split('\n')) {
            if (!line.includes('Listening on')) continue;
            clearTimeout(timer);
            resolve((JSON.parse(line) as { url: string }).url);
          }
        });
        void exited.then((code) => reject(new Error(`exited (${code}) before listening: ${stdout}${stderr}`)));
      });

      const page = await fetch(`${url}/workflows`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
      expect(script, html.slice(0, 500)).toBeDefined();
      const js = await fetch(`${url}${script}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/javascript/);

      const workflows = await fetch(`${url}/api/orchestration/v2/workflows`, { headers: { 'x-request-id': 'package-test-1' } });
      expect(workflows.status).toBe(200);
      expect(workflows.headers.get('x-request-id')).toBe('package-test-1');
      expect(((await workflows.json()) as { cursor: { data: unknown[] } }).cursor.data.length, 'SEED defaults to true').toBeGreaterThan(0);
      const ready = await fetch(`${url}/_ready`);
      expect(ready.status).toBe(200);
      expect(await fetch(`${url}/metrics`).then((r) => r.text())).toMatch(/^flows_console_info\{version="[^"]+",mode="embedded"\} 1$/m);

      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      // JSON logs: every line of stdout is one object; the request above is one of them.
      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l.requestId === 'package-test-1')).toMatchObject({ level: 'info', route: '/api/orchestration/v2/workflows', status: 200 });
    } finally {
      child.kill('SIGKILL');
    }
  }, 240_000);
});
