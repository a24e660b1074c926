import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv, ConfigError, fileEnv, SETTINGS } from '../config.js';
import { packageVersion } from '../package-info.js';
import { runCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flows-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Canary secrets: in the environment and in files; no output may ever contain them. */
const CANARY = {
  FORMANCE_CLIENT_SECRET: `cli-canary-formance-${process.pid}`,
  AUTH_CLIENTS: `console:cli-canary-auth-${process.pid}`,
  AUTH_SIGNING_KEY: `cli-canary-signing-${'s'.repeat(32)}`,
};
const needles = [CANARY.FORMANCE_CLIENT_SECRET, `cli-canary-auth-${process.pid}`, CANARY.AUTH_SIGNING_KEY];

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runCli(argv, env, { out: (t) => (out += t), err: (t) => (err += t) });
  for (const n of needles) {
    expect(out, 'stdout holds a secret').not.toContain(n);
    expect(err, 'stderr holds a secret').not.toContain(n);
  }
  return { code, out, err };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

describe('flows-console --help and --version', () => {
  it('--help lists every setting: flag (or a secret’s file flag), variable and default', async () => {
    const { code, out } = await cli(['--help'], CANARY);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: flows-console \[serve\] \[options\]/);
    for (const s of SETTINGS) {
      expect(out).toContain(s.env);
      expect(out).toContain(s.flag);
      if (s.secret) expect(out).toContain(fileEnv(s));
    }
    expect(out).toContain('--port <port>                      PORT, default 3000');
    expect(out).toContain('--seed, --no-seed');
    expect((await cli(['serve', '-h'])).out).toMatch(/^Usage: flows-console \[serve\]/);
  });

  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: `${packageVersion()}\n`, err: '' });
    expect((await cli(['-v'])).out).toBe(`${packageVersion()}\n`);
  });
});

describe('flows-console: mistakes exit with code 2 and name the flag or variable', () => {
  it.each([
    [['--port', 'eighty'], /--port: must be a port number from 0 to 65535, got "eighty"/],
    [['--port', '70000'], /--port: must be a port number/],
    [['--port'], /--port: needs a value/],
    [['--port', ''], /--port: needs a value/],
    [['--prot', '1'], /--prot: unknown option/],
    [['--seed=yes'], /--seed: takes no value \(use --seed or --no-seed\)/],
    [['--log-format', 'xml'], /--log-format: must be one of text, json, got "xml"/],
    [['--log-level', 'loud'], /--log-level: must be one of debug, info, warn, error/],
    [['--formance-url', 'ftp://stack'], /--formance-url: must be an http\(s\) URL/],
    [['--database-url', 'mysql://db/x'], /--database-url: must be a postgres:\/\/ or postgresql:\/\/ URL/],
    [['--engine-lease-ms', '500'], /--engine-lease-ms: must be a whole number of milliseconds, at least 2000/],
    [['--auth-token-ttl', '1.5'], /--auth-token-ttl: must be a whole number of seconds/],
    [['--formance-client-secret', 'x'], /--formance-client-secret: a secret is never taken from the command line.*FORMANCE_CLIENT_SECRET.*--formance-client-secret-file/],
    [['--auth-clients', 'a:b'], /--auth-clients: a secret is never taken from the command line/],
    [['--auth-signing-key', 'k'], /--auth-signing-key: a secret is never taken/],
    [['--database-url', 'postgres://user:hunter2@db/flows'], /--database-url: the URL holds a password.*PGPASSWORD/],
    [['--formance-client-secret-file', '/nonexistent/secret'], /--formance-client-secret-file: cannot read "\/nonexistent\/secret" \(ENOENT\)/],
    [['frobnicate'], /unknown command "frobnicate": choose from serve/],
    [['serve', 'extra'], /unexpected argument "extra": serve takes no arguments/],
    [['--metrics-port', '3000'], /--metrics-port \(METRICS_PORT\) must differ from --port/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv, CANARY);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/Run flows-console --help for the options\.\n$/);
    expect(r.err).not.toContain('hunter2');
    expect(r.out).toBe('');
  });

  it('names the variable when the value came from the environment', async () => {
    expect((await cli([], { PORT: 'x' })).err).toMatch(/^flows-console: PORT: must be a port number/);
    expect((await cli([], { SEED: 'maybe' })).err).toMatch(/^flows-console: SEED: must be true or false/);
    expect((await cli([], { AUTH_CLIENTS: 'justanid' })).err).toMatch(/AUTH_CLIENTS/);
    expect((await cli([], { ...CANARY, AUTH_SIGNING_KEY: 'short', AUTH_CLIENTS: CANARY.AUTH_CLIENTS })).err).toMatch(/AUTH_SIGNING_KEY must be at least 32 characters/);
    expect((await cli([], { FORMANCE_URL: 'http://stack', FORMANCE_CLIENT_ID: 'id' })).err).toMatch(/set both FORMANCE_CLIENT_ID and FORMANCE_CLIENT_SECRET/);
    expect((await cli([], { FORMANCE_CLIENT_SECRET: 'a', FORMANCE_CLIENT_SECRET_FILE: file('both', 'b') })).err).toMatch(
      /set FORMANCE_CLIENT_SECRET or FORMANCE_CLIENT_SECRET_FILE, not both/,
    );
  });
});

describe('settings: flags, environment, secret files', () => {
  it('defaults are those of npm start', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      seed: true,
      quiet: false,
      logFormat: 'text',
      logLevel: 'info',
      runWaitMs: 60_000,
      authTokenTtl: 3600,
      engineLeaseMs: 30_000,
      allowedHosts: [],
    });
    expect(c.staticDir.replace(/\\/g, '/')).toMatch(/\/dist\/client$/);
    expect(c.databaseUrl ?? c.formanceUrl ?? c.metricsPort ?? c.formanceScopes).toBeUndefined();
  });

  it('a flag wins over its variable; booleans take --x / --no-x', () => {
    expect(configFromEnv({ PORT: '4000', SEED: 'true', ALLOWED_HOSTS: 'a' }, { port: '5000', seed: false, allowedHosts: 'B, c' })).toMatchObject({
      port: 5000,
      seed: false,
      allowedHosts: ['b', 'c'],
    });
    expect(configFromEnv({ FORMANCE_SCOPES: '' }).formanceScopes).toBe('');
    expect(configFromEnv({ FORMANCE_URL: 'https://stack.example/' }).formanceUrl).toBe('https://stack.example');
  });

  it('reads a secret from a file (flag or <VAR>_FILE), without its final line break; the flag’s file wins', () => {
    const a = file('secret-a', 'from-file-a\n');
    const b = file('secret-b', 'from-file-b\r\n');
    expect(configFromEnv({ FORMANCE_CLIENT_SECRET_FILE: a }).formanceClientSecret).toBe('from-file-a');
    expect(configFromEnv({ FORMANCE_CLIENT_SECRET: 'from-env' }, { formanceClientSecret: b }).formanceClientSecret).toBe('from-file-b');
    expect(configFromEnv({ AUTH_CLIENTS_FILE: file('clients', 'x:y,z:w\n') }).authClients).toBe('x:y,z:w');
    expect(() => configFromEnv({ AUTH_SIGNING_KEY_FILE: file('empty', '\n') })).toThrow(ConfigError);
  });

  it('a message about a secret file names the file, never its content', () => {
    const f = file('not-a-dir', CANARY.AUTH_SIGNING_KEY);
    try {
      configFromEnv({ AUTH_SIGNING_KEY_FILE: join(f, 'x') });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).source).toBe('AUTH_SIGNING_KEY_FILE');
      expect((err as Error).message).not.toContain(CANARY.AUTH_SIGNING_KEY);
    }
  });
});

describe('flows-console backup / restore: mistakes', () => {
  it('backup and restore take the database settings only, and a file', async () => {
    const help = await cli(['backup', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: flows-console backup <file> \[options\]/);
    expect(help.out).toContain('--data-dir');
    expect(help.out).not.toContain('--port');
    expect((await cli(['backup'])).err).toMatch(/backup needs <file>/);
    expect((await cli(['restore', 'a', 'b'])).code).toBe(2);
  });

  it('PostgreSQL and DATA_DIR=memory are refused with a pointer to what to do (exit 2)', async () => {
    const pg = await cli(['backup', join(dir, 'x.tar.gz')], { DATABASE_URL: 'postgres://flows@127.0.0.1:1/flows' });
    expect(pg.code).toBe(2);
    expect(pg.err).toMatch(/DATABASE_URL is a PostgreSQL database: use PostgreSQL's tools \(pg_dump --format=custom/);
    const pgRestore = await cli(['restore', join(dir, 'x.tar.gz')], { DATABASE_URL: 'postgres://flows@127.0.0.1:1/flows' });
    expect(pgRestore.err).toMatch(/pg_restore --no-owner/);
    const memory = await cli(['backup', join(dir, 'x.tar.gz'), '--data-dir', 'memory']);
    expect(memory.code).toBe(2);
    expect(memory.err).toMatch(/DATA_DIR=memory keeps nothing/);
  });

  it('backup of a directory without data, restore of a missing file or over data: exit 2, nothing written', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const none = await cli(['backup', join(dir, 'none.tar.gz'), '--data-dir', empty]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/holds no data directory/);
    expect(existsSync(join(dir, 'none.tar.gz'))).toBe(false);
    const missing = await cli(['restore', join(dir, 'missing.tar.gz'), '--data-dir', join(dir, 'new')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing\.tar\.gz: no such file/);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    const full = file('full/keep.txt', 'data');
    const over = await cli(['restore', full, '--data-dir', join(dir, 'full')]);
    expect(over.code).toBe(2);
    expect(over.err).toMatch(/is not empty; restore into a new data directory/);
    expect(readFileSync(full, 'utf8')).toBe('data');
  });

  it('restore of a file that is not a backup fails (exit 1) and leaves no directory behind', async () => {
    for (const [name, content] of [
      ['junk.tar.gz', 'not a backup'],
      ['empty-tar.tar.gz', gzipSync(Buffer.alloc(1024))],
    ] as const) {
      const into = join(dir, `from-${name}`);
      const r = await cli(['restore', file(name, content), '--data-dir', into]);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(/not a Flows Console backup/);
      expect(existsSync(into)).toBe(false);
    }
  });
});

describe('README', () => {
  it('its configuration table lists every setting with its flag', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    for (const s of SETTINGS) {
      expect(table, s.env).toContain(`\`${s.env}\``);
      expect(table, s.flag).toContain(`\`${s.flag}`);
    }
  });
});
