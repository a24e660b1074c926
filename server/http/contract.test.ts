// The OpenAPI contract (openapi/*.yaml) against the real server: every documented operation is
// called over a real socket and its response validated with ajv against the contract's schema —
// strictly: an object may not carry properties the contract does not document. The browser's
// types are generated from the same files (scripts/codegen.mjs), so server, contract and client
// cannot drift apart silently.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { configFromEnv } from '../config.js';
import { startServer, type RunningServer } from '../server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
type Json = any;

interface Spec {
  file: string;
  doc: Json;
}

function loadSpec(file: string): Spec {
  return { file, doc: YAML.parse(readFileSync(path.join(root, 'openapi', file), 'utf8')) };
}

/**
 * Strict copy of a contract: every object schema with `properties` forbids undocumented ones
 * (`unevaluatedProperties: false`), except schemas that are parts of an `allOf` (their siblings'
 * properties would count as unevaluated) — there the `allOf` itself is made strict.
 */
export function strictify(doc: Json): Json {
  const copy = structuredClone(doc);
  const inAllOf = new Set<string>();
  const collect = (node: Json) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.allOf)) for (const part of node.allOf) if (part?.$ref) inAllOf.add(part.$ref);
    for (const v of Object.values(node)) collect(v);
  };
  collect(copy);
  const visit = (node: Json, isAllOfPart: boolean, ref?: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, false));
    const skip = isAllOfPart || (ref !== undefined && inAllOf.has(ref));
    if (!skip && (node.properties || node.allOf) && node.additionalProperties === undefined && node.unevaluatedProperties === undefined) {
      node.unevaluatedProperties = false;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'allOf' && Array.isArray(v)) v.forEach((part) => visit(part, true));
      else if (k === 'schemas' && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [name, schema] of Object.entries(v as Record<string, Json>)) visit(schema, false, `#/components/schemas/${name}`);
      } else visit(v, false);
    }
  };
  visit(copy, false);
  return copy;
}

const specs = { flows: loadSpec('flows.yaml'), sandbox: loadSpec('sandbox.yaml'), console: loadSpec('console.yaml') };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// Amounts: integers of any size (JSON numbers), see the contract's `format: bigint`.
ajv.addFormat('bigint', { type: 'number', validate: (n: number) => Number.isInteger(n) });
for (const s of Object.values(specs)) ajv.addSchema(strictify(s.doc), s.file);

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Operations of a contract, `METHOD /path/template`. */
function operations(spec: Spec): string[] {
  const ops: string[] = [];
  for (const [p, item] of Object.entries<Json>(spec.doc.paths)) {
    for (const m of ['get', 'post', 'put', 'delete', 'patch']) if (item[m]) ops.push(`${m.toUpperCase()} ${p}`);
  }
  return ops;
}

const covered = new Set<string>();
let server: RunningServer;

interface Call {
  status: number;
  body: Json;
  text: string;
  contentType: string;
}

/** Finds the documented operation matching a concrete path. */
function findOperation(method: string, concrete: string): { spec: Spec; template: string } {
  const pathname = concrete.split('?')[0]!;
  for (const spec of Object.values(specs)) {
    for (const template of Object.keys(spec.doc.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (re.test(pathname) && spec.doc.paths[template][method.toLowerCase()]) return { spec, template };
    }
  }
  throw new Error(`${method} ${pathname} is not in the contract`);
}

/**
 * Calls the server (or `opts.base`, another server) and validates the answer against the
 * contract; returns the parsed body (and the response headers).
 */
async function call(
  method: string,
  url: string,
  body?: unknown,
  expectStatus?: number,
  opts: { base?: string; headers?: Record<string, string> } = {},
): Promise<Call & { headers: Headers }> {
  const res = await fetch((opts.base ?? server.url) + url, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...opts.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  // JSON bodies only (application/x-ndjson is lines of JSON, not one document).
  const parsed = text && /^application\/(?:.+\+)?json$/.test(contentType.split(';')[0]!.trim()) ? JSON.parse(text) : undefined;
  if (expectStatus !== undefined) expect(res.status, `${method} ${url}: ${text}`).toBe(expectStatus);

  const { spec, template } = findOperation(method, url);
  covered.add(`${spec.file} ${method} ${template}`);
  const responses = spec.doc.paths[template][method.toLowerCase()].responses;
  const key = responses[String(res.status)] ? String(res.status) : res.status >= 400 ? 'default' : undefined;
  expect(key, `${method} ${url} answered ${res.status}, not documented (${Object.keys(responses).join(', ')})`).toBeDefined();
  let response = responses[key!];
  let responsePath = pointer('paths', template, method.toLowerCase(), 'responses', key!);
  if (response.$ref) {
    responsePath = response.$ref.slice(2);
    response = response.$ref
      .slice(2)
      .split('/')
      .reduce((n: Json, k: string) => n[k], spec.doc);
  }
  if (!response.content) {
    expect(text, `${method} ${url} (${res.status}) should have no body`).toBe('');
    return { status: res.status, body: undefined, text, contentType, headers: res.headers };
  }
  const mediaType = contentType.split(';')[0]!.trim();
  // A documented non-JSON answer (a CSV export): its media type is what is checked.
  if (mediaType !== 'application/json' && response.content[mediaType]) return { status: res.status, body: undefined, text, contentType, headers: res.headers };
  expect(contentType, `${method} ${url}`).toMatch(/application\/json/);
  const validate = ajv.getSchema(`${spec.file}#/${responsePath}/content/${pointer('application/json')}/schema`);
  expect(validate, `schema of ${method} ${template} ${key}`).toBeDefined();
  if (!validate!(parsed)) {
    throw new Error(
      `${method} ${url} (${res.status}) does not match ${spec.file} ${template}:\n${(validate!.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n')}\nbody: ${text.slice(0, 2000)}`,
    );
  }
  return { status: res.status, body: parsed, text, contentType, headers: res.headers };
}

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await startServer(configFromEnv({ DATA_DIR: 'memory', PORT: '0', SEED: 'false', QUIET: 'true' }));
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('contract: strictify', () => {
  it('forbids undocumented properties, but not across allOf parts', () => {
    const doc = {
      components: {
        schemas: {
          Base: { type: 'object', properties: { a: { type: 'string' } } },
          Both: { allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', properties: { b: { type: 'string' } } }] },
          Plain: { type: 'object', properties: { c: { type: 'string' } } },
        },
      },
    };
    const local = new Ajv2020({ strict: false });
    local.addSchema(strictify(doc), 'doc');
    const both = local.getSchema('doc#/components/schemas/Both')!;
    expect(both({ a: 'x', b: 'y' })).toBe(true);
    expect(both({ a: 'x', b: 'y', extra: 1 })).toBe(false);
    const plain = local.getSchema('doc#/components/schemas/Plain')!;
    expect(plain({ c: 'x' })).toBe(true);
    expect(plain({ c: 'x', extra: 1 })).toBe(false);
  });
});

describe('contract: Flows API v1 and v2', () => {
  for (const [version, p] of [
    ['v1', '/api/orchestration'],
    ['v2', '/api/orchestration/v2'],
  ] as const) {
    it(`${version}: info, workflows, instances, history, events, abort, errors`, async () => {
      await call('GET', `${p}/_info`, undefined, 200);
      await call('POST', `/api/ledger/v2/contract-${version}`, {}, 204);

      const created = await call(
        'POST',
        `${p}/workflows`,
        {
          name: `contract-${version}`,
          stages: [
            {
              send: {
                source: { account: { id: 'world', ledger: `contract-${version}` } },
                destination: { account: { id: 'users:${user}', ledger: `contract-${version}` } },
                amount: { asset: 'USD/2', amount: '${amount}' },
                metadata: { reason: 'contract' },
              },
            },
            { update: { account: { id: 'users:${user}', ledger: `contract-${version}`, metadata: { checked: 'yes' } } } },
            { delay: { duration: '1ms' } },
            { noop: {} },
          ],
        },
        201,
      );
      const workflowID = created.body.data.id;
      await call('GET', `${p}/workflows/${workflowID}`, undefined, 200);
      await call('GET', version === 'v1' ? `${p}/workflows` : `${p}/workflows?pageSize=2`, undefined, 200);

      const run = await call('POST', `${p}/workflows/${workflowID}/instances`, { user: '7', amount: '1250' }, 201);
      const instanceID = run.body.data.id;
      await eventually(async () => ((await call('GET', `${p}/instances/${instanceID}`)).body.data.terminated ? true : undefined));
      const got = await call('GET', `${p}/instances/${instanceID}`, undefined, 200);
      expect(got.body.data.error).toBeUndefined();
      await call('GET', `${p}/instances?workflowID=${workflowID}`, undefined, 200);
      await call('GET', `${p}/instances?running=true${version === 'v2' ? '&pageSize=1' : ''}`, undefined, 200);
      const history = await call('GET', `${p}/instances/${instanceID}/history`, undefined, 200);
      expect(history.body.data.map((h: Json) => h.name)).toEqual(['RunSend', 'RunUpdate', 'RunDelay', 'RunNoop']);
      const send = await call('GET', `${p}/instances/${instanceID}/stages/0/history`, undefined, 200);
      expect(send.body.data[0].name).toBe('CreateTransaction');
      await call('GET', `${p}/instances/${instanceID}/stages/1/history`, undefined, 200);

      // wait_event: a non-matching event is accepted (and dropped), then abort.
      const waiting = await call('POST', `${p}/workflows`, { name: `waits-${version}`, stages: [{ wait_event: { event: 'go' } }] }, 201);
      const w = await call('POST', `${p}/workflows/${waiting.body.data.id}/instances`, undefined, 201);
      await eventually(async () => ((await call('GET', `${p}/instances/${w.body.data.id}`)).body.data.status?.length ? true : undefined));
      await call('POST', `${p}/instances/${w.body.data.id}/events`, { name: 'not-go' }, 204);
      await call('PUT', `${p}/instances/${w.body.data.id}/abort`, undefined, 204);
      const aborted = await call('GET', `${p}/instances/${w.body.data.id}`, undefined, 200);
      expect(aborted.body.data).toMatchObject({ terminated: true, error: 'canceled' });

      // Errors carry the closed errorCode enum.
      await call('GET', `${p}/instances/nope`, undefined, 404);
      await call('GET', `${p}/workflows/00000000-0000-4000-8000-000000000000`, undefined, 404);
      await call('POST', `${p}/workflows`, { stages: [{ transfer: {} }] }, 400);
      await call('PUT', `${p}/instances/${instanceID}/abort`, undefined, 400);

      await call('DELETE', `${p}/workflows/${workflowID}`, undefined, 204);
      const deleted = await call('GET', `${p}/workflows/${workflowID}`, undefined, 200);
      expect(deleted.body.data.deletedAt).toEqual(expect.any(String));
    });

    it(`${version}: triggers and occurrences`, async () => {
      await call('POST', `/api/ledger/v2/trig-${version}`, {}, 204);
      const wf = await call('POST', `${p}/workflows`, { name: `trig-target-${version}`, stages: [{ noop: {} }] }, 201);
      const trigger = await call(
        'POST',
        `${p}/triggers`,
        {
          name: `contract-trigger-${version}`,
          event: 'COMMITTED_TRANSACTIONS',
          workflowID: wf.body.data.id,
          filter: `event.ledger == "trig-${version}"`,
          vars: { txid: 'string(event.transactions[0].id)' },
        },
        201,
      );
      const triggerID = trigger.body.data.id;
      await call('GET', `${p}/triggers/${triggerID}`, undefined, 200);
      await call('GET', `${p}/triggers?name=contract-trigger`, undefined, 200);
      if (version === 'v2') {
        const test = await call('POST', `${p}/triggers/${triggerID}/test`, { ledger: `trig-${version}`, transactions: [{ id: 1 }] }, 200);
        expect(test.body.data.filter).toEqual({ match: true });
        await call('POST', `${p}/triggers/${triggerID}/test`, { ledger: 'other' }, 200);
      }
      // A committed transaction fires the trigger: an occurrence with its instance.
      await call(
        'POST',
        `/api/ledger/v2/trig-${version}/transactions`,
        { postings: [{ source: 'world', destination: 'users:1', amount: 100, asset: 'USD/2' }], metadata: {} },
        200,
      );
      const occurrences = await eventually(async () => {
        const r = await call('GET', `${p}/triggers/${triggerID}/occurrences${version === 'v2' ? '?pageSize=5' : ''}`, undefined, 200);
        const list = version === 'v1' ? r.body.data : r.body.cursor.data;
        return list.length ? list : undefined;
      });
      expect(occurrences[0].workflowInstanceID).toEqual(expect.any(String));
      const started = await call('GET', `${p}/instances/${occurrences[0].workflowInstanceID}`, undefined, 200);
      expect(started.body.data.triggerID).toBe(triggerID);

      await call('GET', `${p}/triggers/00000000-0000-4000-8000-000000000000`, undefined, 404);
      await call('DELETE', `${p}/triggers/${triggerID}`, undefined, 204);
      await call('DELETE', `${p}/triggers/${triggerID}`, undefined, 404);
    });
  }
});

describe('contract: sandbox and console', () => {
  it('ledger v2', async () => {
    await call('POST', '/api/ledger/v2/sbx', {}, 204);
    await call('GET', '/api/ledger/v2', undefined, 200);
    await call('GET', '/api/ledger/v2/sbx', undefined, 200);
    const tx = await call(
      'POST',
      '/api/ledger/v2/sbx/transactions',
      {
        postings: [{ source: 'world', destination: 'users:001', amount: 12345, asset: 'USD/2' }],
        metadata: { order: '1' },
        reference: 'contract-ref',
      },
      200,
    );
    await call('GET', `/api/ledger/v2/sbx/transactions/${tx.body.data.id}`, undefined, 200);
    await call('GET', '/api/ledger/v2/sbx/transactions?pageSize=5', undefined, 200);
    await call('POST', '/api/ledger/v2/sbx/accounts/users:001/metadata', { tier: 'gold' }, 204);
    await call('GET', '/api/ledger/v2/sbx/accounts?expand=volumes', undefined, 200);
    await call('GET', `/api/ledger/v2/sbx/accounts?query=${encodeURIComponent('{"$match":{"address":"users:"}}')}`, undefined, 200);
    const account = await call('GET', '/api/ledger/v2/sbx/accounts/users:001?expand=volumes', undefined, 200);
    expect(account.body.data.volumes['USD/2'].balance).toBe(12345);
    await call('GET', `/api/ledger/v2/sbx/aggregate/balances?query=${encodeURIComponent('{"$match":{"address":"users:"}}')}`, undefined, 200);
    // Errors use the ledger's closed enum.
    await call('GET', '/api/ledger/v2/nope/accounts', undefined, 404);
    await call('POST', '/api/ledger/v2/sbx/transactions', { postings: [{ source: 'users:001', destination: 'x', amount: 10 ** 9, asset: 'USD/2' }], metadata: {} }, 400);
  });

  it('wallets', async () => {
    const wallet = await call('POST', '/api/wallets/wallets', { name: 'contract-wallet', metadata: { team: 'qa' } }, 201);
    const id = wallet.body.data.id;
    await call('POST', `/api/wallets/wallets/${id}/credit`, { amount: { asset: 'USD/2', amount: 500 }, metadata: {} }, 204);
    await call('POST', `/api/wallets/wallets/${id}/debit`, { amount: { asset: 'USD/2', amount: 100 }, metadata: {} }, 204);
    const got = await call('GET', `/api/wallets/wallets/${id}`, undefined, 200);
    expect(got.body.data.balances.main.assets['USD/2']).toBe(400);
    await call('GET', '/api/wallets/wallets?expand=balances', undefined, 200);
    await call('GET', '/api/wallets/wallets?name=contract-wallet', undefined, 200);
    await call('GET', `/api/wallets/wallets/${id}/balances`, undefined, 200);
    await call('POST', `/api/wallets/wallets/${id}/balances`, { name: 'gifts', priority: 1 }, 201);
    await call('PATCH', `/api/wallets/wallets/${id}`, { metadata: { tier: 'gold' } }, 204);
    await call('GET', `/api/wallets/transactions?walletID=${id}`, undefined, 200);
    await call('POST', `/api/wallets/wallets/${id}/debit`, { amount: { asset: 'USD/2', amount: 10 ** 9 }, metadata: {} }, 400);
    await call('GET', '/api/wallets/wallets/00000000-0000-4000-8000-000000000000', undefined, 404);
  });

  it('payments', async () => {
    // No seed here: install a connector in-process, as the seed does.
    await server.ctx.sandbox.payments.createConnector({ provider: 'stripe' });
    const connectors = await call('GET', '/api/payments/connectors', undefined, 200);
    expect(connectors.body.data.length).toBeGreaterThan(0);
    const simulated = await call(
      'POST',
      '/api/console/payments',
      { asset: 'EUR/2', amount: 1999, provider: 'stripe', type: 'PAY-IN', status: 'SUCCEEDED', metadata: { order: '7' } },
      201,
    );
    await call('GET', `/api/payments/payments/${simulated.body.data.id}`, undefined, 200);
    await call('GET', '/api/payments/payments', undefined, 200);
    await call('GET', '/api/payments/transfer-initiations', undefined, 200);
    {
      const t = await call(
        'POST',
        '/api/payments/transfer-initiations',
        {
          reference: 'contract-transfer',
          scheduledAt: new Date().toISOString(),
          description: 'contract',
          sourceAccountID: '',
          destinationAccountID: 'acct_1',
          connectorID: connectors.body.data[0].connectorID,
          type: 'PAYOUT',
          amount: 100,
          asset: 'USD/2',
          validated: false,
        },
        200,
      );
      await call('GET', `/api/payments/transfer-initiations/${t.body.data.id}`, undefined, 200);
    }
    await call('POST', '/api/console/payments', { asset: 'EUR/2' }, 400);
    // Well-formed (base64url JSON) but unknown: 404; not decodable: 400 INVALID_ID.
    await call('GET', `/api/payments/payments/${Buffer.from('{"Reference":"nope"}').toString('base64url')}`, undefined, 404);
    await call('GET', '/api/payments/payments/%21%21', undefined, 400);
  });

  it('console info and events', async () => {
    const info = await call('GET', '/api/console/info', undefined, 200);
    expect(info.body.mode).toBe('embedded');
    const published = await call(
      'POST',
      '/api/console/events',
      { type: 'SAVED_METADATA', payload: { ledger: 'sbx', targetType: 'ACCOUNT', targetId: 'users:001', metadata: { a: 'b' } } },
      201,
    );
    const events = await call('GET', '/api/console/events?type=SAVED_METADATA&limit=5', undefined, 200);
    expect(events.body.data[0].seq).toBe(published.body.data.seq);
    await call('GET', `/api/console/events?before=${published.body.data.seq}&limit=2`, undefined, 200);
    // The Events page's filter: a piece of the type in any case; LIKE wildcards are literal.
    const byPiece = await call('GET', '/api/console/events?typeContains=saved_meta&limit=50', undefined, 200);
    expect(byPiece.body.data.length).toBeGreaterThan(0);
    expect(byPiece.body.data.every((e: { type: string }) => e.type.toUpperCase().includes('SAVED_META'))).toBe(true);
    expect((await call('GET', '/api/console/events?typeContains=SAVED%25&limit=50', undefined, 200)).body.data).toEqual([]);
    expect((await call('GET', '/api/console/events?typeContains=S_VED&limit=50', undefined, 200)).body.data).toEqual([]);
    await call('POST', '/api/console/events', { payload: {} }, 400);
  });

  it('console trigger helpers', async () => {
    const types = await call('GET', '/api/console/event-types', undefined, 200);
    expect(types.body.data.ledger).toContain('COMMITTED_TRANSACTIONS');
    const ok = await call('POST', '/api/console/triggers/preview', { filter: 'event.ledger == "main"', vars: { l: 'event.ledger' }, payload: { ledger: 'main' } }, 200);
    expect(ok.body.data.filter).toEqual({ match: true });
    const bad = await call('POST', '/api/console/triggers/preview', { filter: 'event.ledger ==', payload: {} }, 200);
    expect(bad.body.data.errors?.[0]?.field).toBe('filter');
  });
});

describe("contract: the console's own endpoints (openapi/console.yaml)", () => {
  it('live stream: refusals (the stream itself is read in server/http/live)', async () => {
    await call('GET', '/api/console/live', undefined, 400);
    await call('GET', `/api/console/live?topic=${encodeURIComponent('/api/auth/session')}`, undefined, 400);
  });

  it('four eyes: a held run (v1 and v2), the requests, a decision, a policy', async () => {
    const wf = (await call('POST', '/api/orchestration/v2/workflows', { name: 'contract-approval', stages: [{ noop: {} }] }, 201)).body.data.id;
    await call('GET', `/api/console/workflows/${wf}/approval-policy`, undefined, 200);
    await call('PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: true }, 200);
    await call('PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: 'yes' }, 400);
    const held = await call('POST', `/api/orchestration/v2/workflows/${wf}/instances`, { note: 'v2' }, 202);
    await call('POST', `/api/orchestration/workflows/${wf}/instances`, { note: 'v1' }, 202);
    await call('GET', '/api/console/approvals?status=pending&pageSize=5', undefined, 200);
    await call('GET', '/api/console/approvals?status=never', undefined, 400);
    const detail = await call('GET', `/api/console/approvals/${held.body.data.id}`, undefined, 200);
    expect(detail.body.data.dryRun).toBeDefined();
    await call('GET', '/api/console/approvals/nope', undefined, 404);
    // Without sign-in there is no second person: refused, with the console's FORBIDDEN.
    await call('POST', `/api/console/approvals/${held.body.data.id}/approve`, {}, 403);
    await call('POST', `/api/console/approvals/${held.body.data.id}/reject`, {}, 400);
    await call('POST', `/api/console/approvals/${held.body.data.id}/reject`, { reason: 'contract' }, 200);
    await call('POST', `/api/console/approvals/${held.body.data.id}/reject`, { reason: 'again' }, 409);
    await call('GET', '/api/console/approval-policies', undefined, 200);
    await call('PUT', `/api/console/workflows/${wf}/approval-policy`, { requiresApproval: false }, 200);
  });

  it('accountability: who am I, the audit log and its export, settings', async () => {
    await call('GET', '/api/console/me', undefined, 200);
    await call('PUT', '/api/console/settings', { requireReason: false }, 200);
    await call('PUT', '/api/console/settings', { requireReason: 'yes' }, 400);
    await call('GET', '/api/console/settings', undefined, 200);
    const log = await call('GET', '/api/console/audit?action=settings&pageSize=1', undefined, 200);
    expect(log.body.cursor.data[0]).toMatchObject({ action: 'settings.update' });
    await call('GET', '/api/console/audit?outcome=maybe', undefined, 400);
    const csv = await call('GET', '/api/console/audit/export?format=csv&action=settings', undefined, 200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    const nd = await call('GET', '/api/console/audit/export?format=ndjson', undefined, 200);
    expect(nd.contentType).toMatch(/^application\/x-ndjson/);
  });

  it('saved views', async () => {
    const created = await call(
      'POST',
      '/api/console/views',
      { list: 'instances', name: 'contract view', filters: { status: 'running' }, columns: ['id', '$userID'], timeRange: { since: '1h' }, isDefault: true },
      201,
    );
    const id = created.body.data.id;
    await call('GET', '/api/console/views?list=instances', undefined, 200);
    await call('GET', `/api/console/views/${id}`, undefined, 200);
    await call('PATCH', `/api/console/views/${id}`, { name: 'contract view, renamed', sort: null }, 200);
    await call('POST', '/api/console/views', { list: 'instances', name: 'x', filters: { vars: 'a >' } }, 400);
    await call('DELETE', `/api/console/views/${id}`, undefined, 204);
    await call('GET', `/api/console/views/${id}`, undefined, 404);
  });

  it('exports, records and bulk jobs', async () => {
    const wf = await call('POST', '/api/orchestration/v2/workflows', { name: 'contract-bulk', stages: [{ wait_event: { event: 'never' } }] }, 201);
    const run = await call('POST', `/api/orchestration/v2/workflows/${wf.body.data.id}/instances`, { userID: '42' }, 201);
    const csv = await call('GET', `/api/console/instances/export?workflowID=${wf.body.data.id}&columns=id,$userID`, undefined, 200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.text).toContain(run.body.data.id);
    const json = await call('GET', `/api/console/instances/export?format=json&vars=${encodeURIComponent('userID = 42')}`, undefined, 200);
    expect(JSON.parse(json.text).map((i: Json) => i.id)).toContain(run.body.data.id);
    await call('GET', '/api/console/instances/export?format=xml', undefined, 400);
    await call('GET', `/api/console/instances/${run.body.data.id}/record`, undefined, 200);
    await call('GET', '/api/console/instances/nope/record', undefined, 404);
    const counts = await call('GET', `/api/console/instances/counts?workflowID=${wf.body.data.id}&workflowID=nope`, undefined, 200);
    expect(counts.body.data.map((c: { workflowID: string }) => c.workflowID)).toEqual([wf.body.data.id, 'nope']);
    await call('GET', '/api/console/instances/counts', undefined, 400);
    const progress = await call('GET', `/api/console/instances/progress?id=${run.body.data.id}&id=nope`, undefined, 200);
    expect(progress.body.data.map((p: { id: string }) => p.id)).toEqual([run.body.data.id]);
    await call('GET', '/api/console/instances/progress', undefined, 400);

    const filters = { workflowID: wf.body.data.id };
    const preview = await call('POST', '/api/console/bulk-jobs/preview', { action: 'abort', filters }, 200);
    expect(preview.body.data.count).toBe(1);
    const job = await call('POST', '/api/console/bulk-jobs', { action: 'abort', filters, upTo: preview.body.data.upTo }, 201);
    await eventually(async () => ((await call('GET', `/api/console/bulk-jobs/${job.body.data.id}`, undefined, 200)).body.data.state === 'finished' ? true : undefined));
    await call('GET', '/api/console/bulk-jobs', undefined, 200);
    const items = await call('GET', `/api/console/bulk-jobs/${job.body.data.id}/items?pageSize=10`, undefined, 200);
    expect(items.body.cursor.data[0]).toMatchObject({ instanceID: run.body.data.id, outcome: 'done' });
    await call('POST', `/api/console/bulk-jobs/${job.body.data.id}/stop`, undefined, 200);
    await call('POST', '/api/console/bulk-jobs', { action: 'nope', filters }, 400);
    await call('GET', '/api/console/bulk-jobs/nope', undefined, 404);
  });
});

describe('contract: console overview', () => {
  it('now, runs, failures, attention, money — with figures in every part, and 400s', async () => {
    const v2 = '/api/orchestration/v2';
    const wf = async (stages: unknown[]) => (await call('POST', `${v2}/workflows`, { name: 'contract-overview', stages }, 201)).body.data.id;
    const send = (source: string, amount: string) => ({
      send: { source: { account: { id: source, ledger: 'contract' } }, destination: { account: { id: 'shop', ledger: 'contract' } }, amount: { asset: 'USD/2', amount } },
    });
    const pays = await wf([send('world', '${amount}')]);
    const approve = await wf([{ wait_event: { event: 'ok' } }, send('treasury', '${amount}')]);
    const renew = await wf([{ delay: { duration: '720h' } }, send('world', '1')]);
    const retry = await wf([send('broke', '5')]);
    const ids = [
      (await call('POST', `${v2}/workflows/${pays}/instances?wait=true`, { amount: '10' }, 201)).body.data.id,
      (await call('POST', `${v2}/workflows/${pays}/instances?wait=true`, { amount: '1.5' }, 201)).body.data.id,
      (await call('POST', `${v2}/workflows/${approve}/instances`, { amount: '20' }, 201)).body.data.id,
      (await call('POST', `${v2}/workflows/${approve}/instances`, { amount: 'x' }, 201)).body.data.id,
      (await call('POST', `${v2}/workflows/${renew}/instances`, {}, 201)).body.data.id,
      (await call('POST', `${v2}/workflows/${retry}/instances`, {}, 201)).body.data.id,
    ];
    await eventually(async () => {
      const running = (await call('GET', `${v2}/instances?state=retrying`, undefined, 200)).body.cursor.data;
      return running.length ? running : undefined;
    });
    await server.ctx.db.query(`update activities set attempt = 9 where instance_id = $1`, [ids[5]]);
    await server.ctx.db.query(`update stages set started_at = now() - interval '1 day' where instance_id = $1`, [ids[2]]);
    const now = await call('GET', '/api/console/overview/now?window=1h', undefined, 200);
    expect(now.body.longestRetries).toHaveLength(1);
    const runs = await call('GET', '/api/console/overview/runs?window=30d', undefined, 200);
    expect(runs.body.durations.length).toBeGreaterThanOrEqual(1);
    const failures = await call('GET', '/api/console/overview/failures?window=7d', undefined, 200);
    expect(failures.body.reasons.length).toBeGreaterThanOrEqual(1);
    const attention = await call('GET', '/api/console/overview/attention?waitingLongerThan=1h&minRetries=3&delayedBeyond=2d', undefined, 200);
    expect([attention.body.waiting.count, attention.body.retrying.count, attention.body.delayed.count]).toEqual([1, 1, 1]);
    const money = await call('GET', '/api/console/overview/money', undefined, 200);
    expect(money.body.unresolved).toHaveLength(1);
    expect(money.body.assets[0].sources.length).toBeGreaterThanOrEqual(2);
    await call('GET', '/api/console/overview/now?window=1w', undefined, 400);
    await call('GET', '/api/console/overview/attention?minRetries=none', undefined, 400);
    await call(
      'GET',
      `${v2}/instances?state=retrying&minRetries=3&pendingAsset=USD/2&reason=x&endedAfter=2020-01-01T00:00:00Z&endedBefore=2030-01-01T00:00:00Z&stageStartedBefore=2030-01-01T00:00:00Z&resumesAfter=2020-01-01T00:00:00Z&pendingSource=account:contract:broke`,
      undefined,
      200,
    );
    for (const id of ids.slice(2)) await call('PUT', `${v2}/instances/${id}/abort`, undefined, 204);
  });
});

describe('contract: simulations', () => {
  it('dry-run and backtest answers, with every part of a stage result', async () => {
    const sandbox = server.ctx.sandbox;
    await call('POST', '/api/ledger/v2/c-sim/transactions', { postings: [{ source: 'world', destination: 'users:1', amount: 5000, asset: 'USD/2' }], metadata: {} }, 200);
    await call('POST', '/api/ledger/v2/c-sim/accounts/users:1/metadata', { formanceAccountID: 'acct_1' }, 204);
    await call('POST', '/api/wallets/wallets', { name: 'c-sim-wallet', metadata: {} }, 201);
    const connector = await sandbox.payments.createConnector({ provider: 'dummy-pay' });
    const stages = [
      {
        send: {
          source: { account: { id: 'users:1', ledger: 'c-sim' } },
          destination: { wallet: { name: 'c-sim-wallet' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
        },
      },
      { update: { account: { id: 'users:1', ledger: 'c-sim', metadata: { seen: 'yes' } } } },
      { delay: { duration: '1m' } },
      {
        send: {
          source: { account: { id: 'users:1', ledger: 'c-sim' } },
          destination: { payment: { psp: 'dummy-pay', connectorId: connector.id } },
          amount: { asset: 'USD/2', amount: 100 },
        },
      },
      { wait_event: { event: 'go' } },
      {
        send: {
          source: { account: { id: 'users:1', ledger: 'c-sim' } },
          destination: { account: { id: 'users:2', ledger: 'c-sim' } },
          amount: { asset: 'USD/2', amount: 99999 },
        },
      },
    ];
    const waits = await call('POST', '/api/console/simulations/workflow', { stages, variables: { amount: '250' } }, 200);
    expect(waits.body.data.outcome).toMatchObject({ status: 'waiting', stage: 4 });
    expect(waits.body.data.stages[3].transfers[0]).toMatchObject({ type: 'TRANSFER', amount: 100, destinationAccountID: 'acct_1' });
    const retries = await call('POST', '/api/console/simulations/workflow', { stages, variables: { amount: '250' }, assumeEvents: true }, 200);
    expect(retries.body.data.outcome).toMatchObject({ status: 'retrying', stage: 5, shortfall: { missing: 99999 - (5000 - 350) } });
    const wf = await call('POST', '/api/orchestration/v2/workflows', { name: 'c-sim', stages: stages.slice(0, 2) }, 201);
    await call('POST', '/api/console/simulations/workflow', { workflowID: wf.body.data.id, variables: { amount: 'x' } }, 200);
    await call('POST', '/api/console/simulations/workflow', { workflowID: wf.body.data.id, variables: { amount: 1 } }, 400);
    await call('POST', '/api/console/simulations/workflow', { workflowID: '00000000-0000-4000-8000-000000000000' }, 404);

    const from = new Date(Date.now() - 60_000).toISOString();
    const backtest = await call(
      'POST',
      '/api/console/simulations/trigger',
      {
        trigger: {
          event: 'COMMITTED_TRANSACTIONS',
          workflowID: wf.body.data.id,
          filter: 'event.ledger == "c-sim"',
          vars: { amount: 'string(event.transactions[0].postings[0].amount / 100)' },
        },
        from,
      },
      200,
    );
    expect(backtest.body.data.matched).toBeGreaterThan(0);
    const trigger = await call(
      'POST',
      '/api/orchestration/v2/triggers',
      { event: 'COMMITTED_TRANSACTIONS', workflowID: wf.body.data.id, filter: 'event.nope.x', vars: { amount: 'event.ledger' } },
      201,
    );
    const failing = await call('POST', '/api/console/simulations/trigger', { triggerID: trigger.body.data.id, from, limit: 10, dryRun: false }, 200);
    expect(failing.body.data.filterErrors.count).toBeGreaterThan(0);
    await call('POST', '/api/console/simulations/trigger', { triggerID: trigger.body.data.id }, 400);
  });
});

describe('contract: console sign-in (AUTH_CLIENTS)', () => {
  it('session: sign in, who is signed in (also on console info), sign out', async () => {
    const authed = await startServer(configFromEnv({ DATA_DIR: 'memory', PORT: '0', SEED: 'false', QUIET: 'true', AUTH_CLIENTS: 'contract:contract-secret' }));
    try {
      const base = authed.url;
      await call('GET', '/api/auth/methods', undefined, 200, { base });
      await call('GET', '/api/auth/session', undefined, 401, { base });
      await call('POST', '/api/auth/session', { clientId: 'contract', clientSecret: 'nope' }, 401, { base });
      await call('POST', '/api/auth/session', { clientId: 'contract' }, 400, { base });
      const signedIn = await call('POST', '/api/auth/session', { clientId: 'contract', clientSecret: 'contract-secret' }, 200, { base });
      expect(signedIn.body.clientId).toBe('contract');
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
      const current = await call('GET', '/api/auth/session', undefined, 200, { base, headers: { cookie } });
      expect(current.body).toEqual(signedIn.body);
      const info = await call('GET', '/api/console/info', undefined, 200, { base, headers: { cookie } });
      expect(info.body.session).toEqual(signedIn.body);
      await call('DELETE', '/api/auth/session', undefined, 204, { base, headers: { cookie } });
    } finally {
      await authed.close();
    }
  });
});

describe('contract: coverage', () => {
  it('exercised every operation of the contract', () => {
    const all = Object.values(specs).flatMap((s) => operations(s).map((op) => `${s.file} ${op}`));
    const missing = all.filter((op) => !covered.has(op));
    expect(missing, 'operations of openapi/*.yaml that server/http/contract.test.ts never calls: add a call').toEqual([]);
  });
});
