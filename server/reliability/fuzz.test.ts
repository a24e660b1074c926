import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { API_BODY_LIMIT } from '../http/security.js';
import { startTestServer } from '../test/harness.js';
import { countDiff, envNumber, KeepAliveClient, replyJson, rowCounts, seedFromEnv, waitQuiet, type RawReply } from './support.js';

/**
 * Bad input: every API route of createApp (enumerated from the app, so new endpoints are fuzzed
 * without touching this file) receives generated malformed requests — wrong types, missing and
 * extra fields, huge strings and numbers, deep nesting, invalid UTF-8, wrong content types,
 * invalid cursors and page sizes, path traversal and NUL bytes in ids. For each answer:
 *
 * * never a 5xx, and the server keeps answering;
 * * every 4xx is a JSON `{errorCode, errorMessage}` (wallets' body-less 404 excepted: upstream
 *   answers that);
 * * a rejected request stores nothing: the row counts of all tables are unchanged;
 * * the connection survives: requests go through a keep-alive pool (as Node's fetch, the SDKs
 *   and browsers send them), so the next request reuses the connection of a rejected one, and a
 *   connection closed under a request ("other side closed") is a failure. Some bodies are padded
 *   to most of the 1 MiB limit, so they are still arriving when an early refusal is sent.
 *
 * Sizes: FUZZ_RUNS (per route, default 40) and FUZZ_SEED; `npm run soak` raises the runs.
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let client: KeepAliveClient;
const RUNS = envNumber('FUZZ_RUNS', 40);
const SEED = Number(process.env.FUZZ_SEED ?? seedFromEnv());

interface Route {
  method: string;
  path: string;
}

/** Valid values of the routes' path parameters, created in beforeAll. */
const fixtures: Record<string, string> = {};
const stats = { requests: 0, byStatus: new Map<number, number>(), rejected: 0, accepted: 0 };

beforeAll(async () => {
  // A valid `wait=true` run of the fixture workflow (it waits for an event never sent) would hold
  // the request for the 60 s default; the fuzz is about malformed input, so 1 s is enough.
  server = await startTestServer({ RUN_WAIT_MS: '1000' });
  client = new KeepAliveClient(server.url);
  const api = server.api;
  const sandbox = server.ctx.sandbox;
  const wf = await api.post('/api/orchestration/v2/workflows', { name: 'fuzz', stages: [{ wait_event: { event: 'never-sent' } }] });
  fixtures.workflow = wf.body.data.id;
  const inst = await api.post(`/api/orchestration/v2/workflows/${fixtures.workflow}/instances`, {});
  fixtures.instance = inst.body.data.id;
  const trigger = await api.post('/api/orchestration/v2/triggers', { event: 'FUZZ_FIXTURE_EVENT', workflowID: fixtures.workflow, filter: 'event.never == true' });
  fixtures.trigger = trigger.body.data.id;
  await sandbox.ledger.createTransaction('fz', { postings: [{ source: 'world', destination: 'users:1', amount: 1_000_000n, asset: 'USD/2' }], metadata: { k: 'v' } });
  const wallet = await sandbox.wallets.createWallet({ name: 'fuzz', metadata: {} });
  fixtures.wallet = wallet.id;
  await sandbox.wallets.credit(wallet.id, { amount: { asset: 'USD/2', amount: 1_000n }, balance: 'main' });
  const hold = await sandbox.wallets.debit(wallet.id, { amount: { asset: 'USD/2', amount: 10n }, pending: true });
  fixtures.hold = hold!.id;
  const connector = await sandbox.payments.createConnector({ provider: 'stripe' });
  const payment = await sandbox.payments.createPayment({ connectorID: connector.id, asset: 'USD/2', amount: 500n });
  fixtures.payment = payment.id;
  const ti = await sandbox.payments.createTransferInitiation({
    reference: 'fuzz-ti',
    destinationAccountID: 'acct',
    connectorID: connector.id,
    type: 'TRANSFER',
    amount: 10n,
    asset: 'USD/2',
    validated: false,
    metadata: null,
  } as never);
  fixtures.transfer = ti.id;
  await waitQuiet(server.ctx.db);
  console.log(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${RUNS} runs per route`);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

/** The API routes of the app, destructive ones (delete, abort) last so fixtures live long. */
function apiRoutes(): Route[] {
  const seen = new Set<string>();
  const routes: Route[] = [];
  for (const r of createApp(server.ctx).routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/') || r.path.includes('*')) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: r.method, path: r.path });
  }
  const destructive = (r: Route) => (r.method === 'DELETE' || r.path.endsWith('/abort') || r.path.endsWith('/void') ? 1 : 0);
  return routes.sort((a, b) => destructive(a) - destructive(b));
}

/** A valid value for a path parameter, by its name and the route around it. */
function validParam(route: Route, name: string): string {
  const p = route.path;
  switch (name) {
    case 'flowId':
    case 'workflowID':
      return fixtures.workflow;
    case 'instanceID':
      return fixtures.instance;
    case 'triggerID':
      return fixtures.trigger;
    case 'number':
      return '0';
    case 'ledger':
      return 'fz';
    case 'address':
      return 'users:1';
    case 'key':
      return 'k';
    case 'balance':
      return 'main';
    case 'id':
      if (p.includes('/transactions/')) return '1';
      if (p.startsWith('/api/wallets/wallets/')) return fixtures.wallet;
      if (p.startsWith('/api/wallets/holds/')) return fixtures.hold;
      if (p.includes('/transfer-initiations/')) return fixtures.transfer;
      if (p.startsWith('/api/payments/payments/')) return fixtures.payment;
      return 'x';
    default:
      return 'x';
  }
}

/** Bodies that are valid (or nearly) per route: the fuzzer mutates them. */
function template(route: Route): unknown {
  const p = route.path.replace('/api/orchestration/v2/', '/api/orchestration/');
  const key = `${route.method} ${p}`;
  const T: Record<string, unknown> = {
    'POST /api/orchestration/workflows': {
      name: 'w',
      stages: [
        {
          send: {
            source: { account: { id: 'world', ledger: 'fz' } },
            destination: { account: { id: 'users:2', ledger: 'fz' } },
            amount: { asset: 'USD/2', amount: 100 },
          },
        },
        { delay: { duration: '1s' } },
        { wait_event: { event: 'go' } },
        { update: { account: { id: 'users:2', ledger: 'fz', metadata: { k: 'v' } } } },
        { noop: {} },
      ],
    },
    'POST /api/orchestration/workflows/:workflowID/instances': { a: 'b' },
    'POST /api/orchestration/instances/:instanceID/events': { name: 'not-the-awaited-one' },
    'POST /api/orchestration/triggers': { name: 't', event: 'FUZZ_OTHER_EVENT', workflowID: fixtures.workflow, filter: 'event.a == 1', vars: { a: 'event.a' } },
    'POST /api/orchestration/triggers/:triggerID/test': { a: 1, b: 'x' },
    'POST /api/console/triggers/preview': { filter: 'event.a == 1', vars: { a: 'event.a' }, payload: { a: 1 } },
    'POST /api/console/events': { type: 'FUZZ_UNHEARD_EVENT', payload: { a: 1 } },
    'POST /api/console/payments': { asset: 'USD/2', amount: 100, provider: 'stripe' },
    'POST /api/ledger/v2/:ledger': { metadata: { a: 'b' } },
    'POST /api/ledger/v2/:ledger/accounts/:address/metadata': { k: 'v' },
    'POST /api/ledger/v2/:ledger/transactions': { postings: [{ source: 'world', destination: 'users:2', amount: 1, asset: 'USD/2' }], metadata: {} },
    'POST /api/ledger/v2/:ledger/transactions/:id/metadata': { k: 'v' },
    'POST /api/ledger/v2/:ledger/transactions/:id/revert': { metadata: {} },
    'POST /api/wallets/wallets': { name: 'w', metadata: {} },
    'PATCH /api/wallets/wallets/:id': { metadata: { a: 'b' } },
    'POST /api/wallets/wallets/:id/balances': { name: 'b1', priority: 1 },
    'POST /api/wallets/wallets/:id/credit': { amount: { asset: 'USD/2', amount: 10 }, balance: 'main', metadata: {} },
    'POST /api/wallets/wallets/:id/debit': { amount: { asset: 'USD/2', amount: 1 }, metadata: {}, pending: true },
    'POST /api/wallets/holds/:id/confirm': { amount: 1, final: false },
    'POST /api/payments/transfer-initiations': { reference: 'r', destinationAccountID: 'acct', type: 'TRANSFER', amount: 10, asset: 'USD/2', validated: false },
    'POST /api/payments/transfer-initiations/:id/status': { status: 'VALIDATED' },
  };
  return T[key] ?? { a: 1 };
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Raw JSON literals that JSON.stringify cannot produce: replaced into the text after stringify. */
const RAW = '\u0001raw:';
const rawJson = (text: string) => `${RAW}${text}`;
const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../../../../etc/passwd',
    '..\\..\\..\\windows\\win.ini',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\uffff',
    '<script>alert(1)</script>',
    "' or 1=1 --",
    '"; drop table workflows; --',
    '${x}',
    '$(id)',
    'null',
    'true',
    '-1',
    '1.5',
    '1e400',
    '99999999999999999999999999',
    'NaN',
    'users:',
    ':::',
    '😀',
    'é'.normalize('NFD'),
  ),
);
/** Mostly short hostile strings; now and then a huge one (URLs over 16 KiB meet Node's header limit). */
const hostileOrHuge = fc.oneof({ weight: 12, arbitrary: hostileString }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 70_000 }).map((n) => 'x'.repeat(n)) });

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 3, arbitrary: hostileOrHuge },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      -0,
      1.5,
      1e308,
      -1e308,
      Number.MAX_SAFE_INTEGER,
      [],
      {},
      [null],
      { '': '' },
      { __proto__: 'x' },
      { constructor: { prototype: {} } },
      rawJson('123456789012345678901234567890'),
      rawJson('-123456789012345678901234567890'),
      rawJson('1e99999'),
      rawJson('0.0000000000000000000000000001'),
      rawJson(deepArray(200)),
      rawJson(deepArray(5_000)),
      rawJson(deepObject(2_000)),
      rawJson('"\\u0000"'),
      rawJson('"\\ud800"'),
      rawJson('"\\udc00\\ud800"'),
    ),
  },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 5 }) },
);

function stringifyWithRaw(value: unknown): string {
  return JSON.stringify(value, (_k, v) => v).replace(/"\\u0001raw:((?:[^"\\]|\\.)*)"/g, (_m, inner: string) => JSON.parse(`"${inner}"`));
}

/** Every path into a JSON value (objects and arrays), for mutations. */
function pathsOf(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}

function mutate(base: unknown, pick: number, op: 'delete' | 'replace' | 'extra' | 'wrap', value: unknown, extraKey: string): unknown {
  const copy = JSON.parse(JSON.stringify(base));
  const paths = pathsOf(copy);
  const path = paths[pick % paths.length];
  if (path.length === 0) {
    if (op === 'replace') return value;
    if (op === 'wrap') return [copy];
    if (op === 'extra' && copy && typeof copy === 'object' && !Array.isArray(copy)) copy[extraKey] = value;
    return copy;
  }
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const last = path[path.length - 1];
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (op === 'replace') parent[last] = value;
  else if (op === 'wrap') parent[last] = [parent[last]];
  else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) parent[last][extraKey] = value;
  else parent[last] = { [extraKey]: value };
  return copy;
}

interface Body {
  bytes?: Buffer;
  contentType?: string;
  chunked?: boolean;
}

const contentTypes = fc.constantFrom<string | undefined>(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  undefined,
  'text/plain',
  'text/vnd.yaml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=latin1',
  'application/xml',
  '*/*',
  'garbage',
);

/** A body padded with trailing spaces (the same JSON, if it was JSON) to 200–900 KiB: under the limit. */
function padded(body: fc.Arbitrary<Body>): fc.Arbitrary<Body> {
  return fc.tuple(body, fc.integer({ min: 200 * 1024, max: 900 * 1024 })).map(([b, size]) => ({
    ...b,
    bytes: Buffer.concat([b.bytes ?? Buffer.alloc(0), Buffer.alloc(Math.max(0, size - (b.bytes?.length ?? 0)), 0x20)]),
  }));
}

function bodyArb(route: Route): fc.Arbitrary<Body> {
  const body = anyBody(route);
  return fc.oneof({ weight: 19, arbitrary: body }, { weight: 1, arbitrary: padded(body) });
}

function anyBody(route: Route): fc.Arbitrary<Body> {
  const t = template(route);
  const json = (text: fc.Arbitrary<string>) => fc.tuple(text, contentTypes).map(([s, ct]): Body => ({ bytes: Buffer.from(s, 'utf8'), contentType: ct }));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Body>({}) },
    { weight: 1, arbitrary: json(fc.constant(JSON.stringify(t))) },
    {
      weight: 8,
      arbitrary: json(
        fc
          .tuple(fc.nat(), fc.constantFrom('delete', 'replace', 'extra', 'wrap' as const), hostileValue, hostileString)
          .map(([pick, op, value, key]) => stringifyWithRaw(mutate(t, pick, op, value, key || 'extra'))),
      ),
    },
    { weight: 2, arbitrary: json(hostileValue.map((v) => stringifyWithRaw(v))) },
    {
      weight: 1,
      arbitrary: json(
        fc.constantFrom(
          '',
          ' ',
          'null',
          '[]',
          '"x"',
          '1',
          '{',
          '{"a":',
          '}{',
          '{"a":1}{"b":2}',
          'a: b\nc: [',
          '--- !!js/function "x"',
          '\ufeff{}',
          '{"a":1,}',
          "{'a':1}",
        ),
      ),
    },
    {
      // invalid UTF-8 inside and around JSON
      weight: 2,
      arbitrary: fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.constantFrom(0, 1, 2), contentTypes).map(([junk, where, ct]): Body => {
        const text = JSON.stringify(t);
        const bad = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(junk)]);
        const cut = text.indexOf('"', 2) > 0 ? text.indexOf('"', 2) : 1;
        const bytes =
          where === 0 ? bad : where === 1 ? Buffer.concat([Buffer.from(text.slice(0, cut)), bad, Buffer.from(text.slice(cut))]) : Buffer.concat([Buffer.from(text), bad]);
        return { bytes, contentType: ct };
      }),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ bytes: Buffer.from(JSON.stringify(t)), contentType: 'application/json', chunked: true }) },
  );
}

const hostileId = fc.oneof(
  { weight: 2, arbitrary: hostileOrHuge },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%2F..%2F..%2Fpackage.json',
      '%00',
      'a%00b',
      '%zz',
      '%E0%A4%A',
      '%ff%fe',
      '%ED%A0%80',
      '%',
      '%25',
      '%2F',
      '0x10',
      '1e3',
      '-0',
      '00000000-0000-0000-0000-000000000000',
      '9'.repeat(30),
    ),
  },
);

/** A path segment: encoded text, or (strings starting with %) sent as written. */
function segment(value: string): string {
  if (/^%|%[0-9a-fA-F]{2}|%[^0-9a-fA-F]|%$/.test(value) && /^[\x21-\x7e]*$/.test(value)) return value;
  let s: string;
  try {
    s = encodeURIComponent(value);
  } catch {
    s = Buffer.from(value, 'utf8').toString('hex');
  }
  // `.` and `..` would be resolved away by URL parsing: keep them as a segment
  return /^\.+$/.test(s) ? s.replace(/\./g, '%2E') : s || '%20';
}

const QUERY_NAMES = [
  'pageSize',
  'cursor',
  'workflowID',
  'running',
  'name',
  'wait',
  'expand',
  'query',
  'reverse',
  'force',
  'dryRun',
  'atEffectiveDate',
  'pit',
  'sort',
  'walletID',
  'metadata[k]',
  'after',
  'before',
  'limit',
  'type',
  'useInsertionDate',
  'order',
];

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const cursorValue = fc.oneof(
  hostileString,
  fc.jsonValue({ maxDepth: 2 }).map(b64),
  fc.constantFrom(
    b64({ a: -1, s: 15, f: {} }),
    b64({ a: 1.5, s: 15, f: {} }),
    b64({ b: 1e300, s: 15, f: {} }),
    b64({ a: 1, s: 0, f: {} }),
    b64({ a: 1, s: 1e9, f: {} }),
    b64({ a: 1, s: 15, f: null }),
    b64({ a: 1, s: 15, f: { workflowID: 123, running: 'x' } }),
    b64({ a: 1, s: 15, f: { triggerID: {}, name: [] } }),
    b64({ offset: -1, pageSize: 15 }),
    b64({ offset: 1.5, pageSize: 15 }),
    b64({ offset: 0, pageSize: 0 }),
    b64({ offset: 0, pageSize: -5 }),
    b64({ offset: 0, pageSize: 1e12 }),
    b64({ offset: 1e300, pageSize: 15 }),
    b64({ offset: 0, pageSize: 15, query: { $match: { address: 5 } } }),
    b64({ offset: 0, pageSize: 15, query: 'x', reverse: 'yes' }),
    b64('not json'),
    '=====',
    'A'.repeat(5000),
  ),
);
const queryValue = fc.oneof(
  hostileString,
  fc.constantFrom(
    '-1',
    '0',
    '1',
    '1.5',
    '1e3',
    '100000000000000000000',
    ' 5',
    '0x10',
    'true',
    'TRUE',
    'volumes,effectiveVolumes',
    'balances',
    '{"$match":{"address":"users:"}}',
    '{"$and":[{"$bogus":1}]}',
    '{"$match":{"metadata[k]":{"a":1}}}',
    '[1,2]',
    '{',
    'id:sideways',
    'COMMITTED_TRANSACTIONS,,',
  ),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

function encodeQueryPart(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
  }
}

const queryArb = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue),
      fc.tuple(fc.constant('cursor'), cursorValue),
      fc.tuple(fc.constant('pageSize'), fc.constantFrom('-1', '1.5', 'abc', '999999999999999999999', '0', '101', '', '1e2')),
      fc.tuple(hostileString, queryValue),
    ),
    { maxLength: 4 },
  )
  .chain((pairs) =>
    fc
      .constantFrom(true, true, true, false)
      .map((encode) =>
        pairs
          .map(([k, v]) => (encode ? `${encodeQueryPart(k)}=${encodeQueryPart(v)}` : `${encodeQueryPart(k)}=${v.replace(/[^\x21-\x7e]/g, '').replace(/[#&]/g, '')}`))
          .join('&'),
      ),
  );

interface Generated {
  params: Record<string, string>;
  query: string;
  body: Body;
  idempotencyKey?: string;
}

function requestArb(route: Route): fc.Arbitrary<Generated> {
  const names = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const param = (name: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(segment(validParam(route, name))) }, { weight: 2, arbitrary: hostileId.map(segment) });
  const params = fc.record(Object.fromEntries(names.map((n) => [n, param(n)])) as Record<string, fc.Arbitrary<string>>);
  const withBody = route.method !== 'GET' && route.method !== 'HEAD';
  return fc.record({
    params,
    query: fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 2, arbitrary: queryArb }),
    body: withBody ? bodyArb(route) : fc.oneof({ weight: 4, arbitrary: fc.constant<Body>({}) }, { weight: 1, arbitrary: bodyArb(route) }),
    idempotencyKey: fc.option(
      fc.oneof(
        fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
        fc.constant('k'.repeat(8000)),
      ),
      { nil: undefined },
    ),
  });
}

// ---------------------------------------------------------------------------------------------
// Checks

let counts: Record<string, number> | undefined;
/** the request sent before this one (a connection closed under a request is the previous one's doing) */
let previous = '(none)';

function problem(route: Route, path: string, reply: RawReply): string | undefined {
  const { status } = reply;
  if (status >= 500) return `${status} ${reply.body.toString('utf8').slice(0, 300)}`;
  if (status >= 400 && route.method !== 'HEAD') {
    const isWallets404 = status === 404 && path.startsWith('/api/wallets/') && reply.body.length === 0;
    if (isWallets404) return String(reply.headers['content-type'] ?? '').startsWith('application/json') ? undefined : 'wallets 404 without a JSON content type';
    const b = replyJson(reply);
    if (!b || typeof b.errorCode !== 'string' || typeof b.errorMessage !== 'string' || !b.errorCode || !b.errorMessage) {
      return `${status} without a JSON {errorCode, errorMessage} body: ${reply.body.toString('utf8').slice(0, 200)}`;
    }
  }
  return undefined;
}

/** Sends one generated request; returns what is wrong with the answer, if anything. */
async function fire(route: Route, g: Generated): Promise<string | undefined> {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_m, n: string) => g.params[n]) + (g.query ? `?${g.query}` : '');
  const headers: Record<string, string> = {};
  if (g.body.contentType) headers['content-type'] = g.body.contentType;
  if (g.idempotencyKey) headers['idempotency-key'] = g.idempotencyKey;
  counts ??= await waitQuiet(server.ctx.db);
  const where = () =>
    `${route.method} ${path.slice(0, 300)} [${g.body.contentType ?? 'no content type'}${g.body.chunked ? ', chunked' : ''}] body ${g.body.bytes?.subarray(0, 300).toString('utf8') ?? '(none)'}`;
  let reply: RawReply;
  try {
    reply = await client.send({ method: route.method, path, headers, body: g.body.bytes, chunked: g.body.chunked });
  } catch (err) {
    counts = undefined;
    const e = err as Error & { code?: string };
    return `no answer (${e.code ?? e.name}: ${e.message}; the previous request on this pool: ${previous}): ${where()}`;
  } finally {
    previous = where().slice(0, 200);
  }
  stats.requests++;
  stats.byStatus.set(reply.status, (stats.byStatus.get(reply.status) ?? 0) + 1);
  const bad = problem(route, path, reply);
  if (bad) {
    counts = undefined;
    return `${bad} ← ${where()}`;
  }
  if (reply.status >= 400) {
    stats.rejected++;
    const after = await rowCounts(server.ctx.db);
    const diff = countDiff(counts, after);
    if (diff.length) {
      counts = undefined;
      return `${reply.status} but stored (${diff.join(', ')}) ← ${where()}`;
    }
  } else {
    stats.accepted++;
    // A write may set the engine or the trigger dispatcher going: wait until they settle.
    counts = route.method === 'GET' || route.method === 'HEAD' ? await rowCounts(server.ctx.db) : await waitQuiet(server.ctx.db);
  }
  return undefined;
}

describe('fuzzing every API route', () => {
  it(
    'answers malformed requests with a clear 4xx, never a 5xx, and stores nothing for them',
    async () => {
      const routes = apiRoutes();
      expect(routes.length).toBeGreaterThan(60);
      const t0 = performance.now();
      // Every route is fuzzed even when an earlier one fails; the problems are listed at the end.
      const problems: string[] = [];
      for (const [i, route] of routes.entries()) {
        let found = 0;
        await fc.assert(
          fc.asyncProperty(requestArb(route), async (g) => {
            const p = await fire(route, g);
            if (p && found++ < 3) problems.push(p);
          }),
          { numRuns: RUNS, seed: SEED + i },
        );
        // still up after each route
        const health = await client.send({ method: 'GET', path: '/_healthcheck' }).catch((err) => ({ status: String(err) }));
        if (health.status !== 200) problems.push(`server down after ${route.method} ${route.path}: ${health.status}`);
      }
      for (const p of problems) console.log(`fuzz problem: ${p}`);
      expect(problems, `seed ${SEED}`).toEqual([]);
      const secs = (performance.now() - t0) / 1000;
      const statuses = [...stats.byStatus.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
      console.log(
        `fuzz: ${stats.requests} requests over ${routes.length} routes in ${secs.toFixed(1)} s — ${stats.rejected} rejected (row counts unchanged), ${stats.accepted} accepted; statuses ${statuses}; 0 5xx; ${client.connections} kept-alive connections (${(stats.requests / client.connections).toFixed(1)} requests each), none closed under a request`,
      );
    },
    envNumber('RELIABILITY_TIMEOUT_MS', 600_000),
  );

  it('enforces the body size limit on every route that takes a body, also without Content-Length', async () => {
    const routes = apiRoutes().filter((r) => r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH');
    const before = await waitQuiet(server.ctx.db);
    const big = Buffer.alloc(API_BODY_LIMIT + 1, 0x20);
    big[0] = 0x7b; // '{'
    let n = 0;
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => segment(validParam(route, name)));
      for (const chunked of [false, true]) {
        const reply = await client.send({ method: route.method, path, headers: { 'content-type': 'application/json' }, body: big, chunked });
        expect(reply.status, `${route.method} ${path} chunked=${chunked}`).toBe(413);
        expect(replyJson(reply)?.errorCode).toBe('VALIDATION');
        n++;
      }
    }
    expect(countDiff(before, await rowCounts(server.ctx.db))).toEqual([]);
    console.log(`fuzz: ${n} oversized bodies (${API_BODY_LIMIT + 1} bytes, with and without Content-Length) → 413, nothing stored`);
  }, 120_000);

  it(
    'with AUTH_CLIENTS: malformed credentials and tokens get a 4xx, never a 5xx, and open nothing',
    async () => {
      const authed = await startTestServer({ AUTH_CLIENTS: 'fuzz:fuzz-secret-123', AUTH_SIGNING_KEY: 'k'.repeat(32) });
      const authedClient = new KeepAliveClient(authed.url);
      try {
        const token = await authedClient.send({
          method: 'POST',
          path: '/api/auth/oauth/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&client_id=fuzz&client_secret=fuzz-secret-123',
        });
        const valid = replyJson(token).access_token as string;
        const [h, p, sig] = valid.split('.');
        const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        const forged = [
          `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
          `${b64({ alg: 'none' })}.${p}.${sig}`,
          `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' })}.${sig}`,
          `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), exp: 1 })}.${sig}`,
          `${h}.${p}.${sig.slice(0, -2)}AA`,
          `${h}.${p}`,
          `${h}..${sig}`,
          `${valid}.${sig}`,
        ];
        const authorization = fc.oneof(
          fc.constantFrom(...forged.map((t) => `Bearer ${t}`)),
          fc.constantFrom(
            '',
            'Bearer',
            'Bearer ',
            'bearer x.y.z',
            `Basic ${Buffer.from('fuzz:fuzz-secret-123').toString('base64')}`,
            `Bearer ${'a'.repeat(8000)}`,
            'Bearer a b',
            `Token ${valid}`,
          ),
          hostileString.map((x) => `Bearer ${x.replace(/[^\x21-\x7e]/g, '')}`),
        );
        const routes = apiRoutes();
        let n = 0;
        const problems: string[] = [];
        await fc.assert(
          fc.asyncProperty(fc.nat(routes.length - 1), authorization, async (i, auth) => {
            const route = routes[i];
            const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => segment(validParam(route, name)));
            const reply = await authedClient.send({ method: route.method, path, headers: auth ? { authorization: auth } : {} });
            n++;
            const open = /\/_info$/.test(path);
            if (reply.status >= 500 || (!open && reply.status !== 401)) problems.push(`${reply.status} ← ${route.method} ${path} [${auth.slice(0, 80)}]`);
          }),
          { numRuns: RUNS * 5, seed: SEED },
        );
        // the token endpoint with generated bodies: OAuth errors (RFC 6749 §5.2), never a 5xx
        const tokenBody = fc.oneof(
          fc
            .dictionary(fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'x'), hostileString, { maxKeys: 5 })
            .map((d) => new URLSearchParams(d).toString()),
          hostileValue.map((v) => stringifyWithRaw(v)),
        );
        await fc.assert(
          fc.asyncProperty(tokenBody, contentTypes, fc.option(authorization, { nil: undefined }), async (body, type, auth) => {
            const headers: Record<string, string> = {};
            if (type) headers['content-type'] = type;
            if (auth) headers.authorization = auth.replace(/^Bearer/, 'Basic');
            const reply = await authedClient.send({ method: 'POST', path: '/api/auth/oauth/token', headers, body });
            n++;
            const b = replyJson(reply);
            if (reply.status >= 500 || (reply.status >= 400 && (typeof b?.error !== 'string' || typeof b?.error_description !== 'string'))) {
              problems.push(`${reply.status} ${reply.body.toString('utf8').slice(0, 100)} ← token endpoint [${type}] ${body.slice(0, 100)}`);
            }
            if (reply.status === 200) problems.push(`token issued for ${body.slice(0, 100)}`);
          }),
          { numRuns: RUNS * 5, seed: SEED + 1 },
        );
        // the console's session cookie (no Authorization header): forged, expired or garbage values open nothing
        const cookieValue = fc.oneof(
          fc.constantFrom(...forged, '', `${valid}x`, `${valid.slice(0, -1)}; x=${valid}`),
          hostileString.map((x) => x.replace(/[^\x21-\x7e]/g, '')),
        );
        await fc.assert(
          fc.asyncProperty(fc.nat(routes.length - 1), cookieValue, async (i, value) => {
            const route = routes[i];
            const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => segment(validParam(route, name)));
            const reply = await authedClient.send({ method: route.method, path, headers: { cookie: `flows_console_session=${value}` } });
            n++;
            const open = /\/_info$/.test(path);
            if (reply.status >= 500 || (!open && reply.status !== 401)) problems.push(`${reply.status} ← ${route.method} ${path} [cookie ${value.slice(0, 80)}]`);
          }),
          { numRuns: RUNS * 5, seed: SEED + 2 },
        );
        // console sign-in with generated bodies: 400 VALIDATION or 401 UNAUTHORIZED, JSON, never a cookie, never a 5xx
        const signInBody = fc.oneof(
          fc.dictionary(fc.constantFrom('clientId', 'clientSecret', 'x'), fc.oneof(hostileString, hostileValue), { maxKeys: 3 }).map((d) => stringifyWithRaw(d)),
          hostileValue.map((v) => stringifyWithRaw(v)),
          hostileString,
        );
        await fc.assert(
          fc.asyncProperty(signInBody, contentTypes, async (body, type) => {
            const headers: Record<string, string> = {};
            if (type) headers['content-type'] = type;
            const reply = await authedClient.send({ method: 'POST', path: '/api/auth/session', headers, body });
            n++;
            const b = replyJson(reply);
            const expected = (reply.status === 400 && b?.errorCode === 'VALIDATION') || (reply.status === 401 && b?.errorCode === 'UNAUTHORIZED') || reply.status === 413;
            if (!expected || (reply.status !== 413 && typeof b?.errorMessage !== 'string')) {
              problems.push(`${reply.status} ${reply.body.toString('utf8').slice(0, 100)} ← sign-in [${type}] ${body.slice(0, 100)}`);
            }
            if (reply.headers['set-cookie']) problems.push(`cookie set for ${body.slice(0, 100)}`);
          }),
          { numRuns: RUNS * 5, seed: SEED + 3 },
        );
        for (const p of problems.slice(0, 20)) console.log(`fuzz problem (auth): ${p}`);
        expect(problems).toEqual([]);
        console.log(
          `fuzz (AUTH_CLIENTS): ${n} requests with forged, expired, malformed or missing credentials and session cookies → 401 on every protected route, OAuth 4xx on the token endpoint, 400/401 on sign-in without a cookie, 0 5xx`,
        );
      } finally {
        await authedClient.close();
        await authed.close();
      }
    },
    envNumber('RELIABILITY_TIMEOUT_MS', 300_000),
  );

  it('serves no file outside the console through path traversal', async () => {
    const probes = [
      '/assets/../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%5c..%5cpackage.json',
      '/assets/%252e%252e/package.json',
      '/api/../package.json',
      '/api/orchestration/v2/workflows/..%2f..%2f..%2fpackage.json',
      '/api/ledger/v2/..%2f..%2f/accounts',
      '/.env',
      '/server/main.ts',
      '//etc/passwd',
    ];
    for (const path of probes) {
      const reply = await client.send({ method: 'GET', path });
      const text = reply.body.toString('utf8');
      expect(reply.status, path).toBeLessThan(500 + (reply.status === 503 && /not built/.test(text) ? 100 : 0));
      expect(text, path).not.toMatch(/"name": "flows-console"|root:x:0:0|startServer/);
    }
  });
});
