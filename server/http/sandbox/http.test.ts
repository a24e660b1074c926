import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/harness.js';
import type { Sandbox } from '../../sandbox/sandbox.js';

/** Wire details of the sandbox HTTP subset the SDK cannot show: raw JSON, errors, events. */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let sb: Sandbox;

beforeAll(async () => {
  server = await startTestServer();
  sb = server.ctx.sandbox;
});
afterAll(async () => {
  await server?.close();
});

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { method, body, headers: body ? { 'content-type': 'application/json', ...headers } : headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('sandbox HTTP', () => {
  it('amounts beyond 2^53 travel as exact JSON number literals both ways', async () => {
    const big = '123456789012345678901234567890';
    const r = await raw(
      'POST',
      '/api/ledger/v2/big/transactions',
      `{"postings":[{"source":"world","destination":"users:1","amount":${big},"asset":"COIN"}],"metadata":{}}`,
    );
    expect(r.status).toBe(200);
    expect(r.text).toContain(`"amount":${big}`);
    expect(r.text).toContain(`"balance":-${big}`);
    const acc = await raw('GET', '/api/ledger/v2/big/accounts/users%3A1?expand=volumes');
    expect(acc.text).toContain(`"input":${big},"output":0,"balance":${big}`);
    expect(await sb.ledger.balance('big', 'users:1', 'COIN')).toBe(BigInt(big));
  });

  it('reads back whatever was stored before amounts were bounded: a 5,000-digit posting, exact', async () => {
    const huge = '8'.repeat(5000);
    const made = JSON.parse(
      (await raw('POST', '/api/ledger/v2/old/transactions', '{"postings":[{"source":"world","destination":"users:old","amount":1,"asset":"COIN"}],"metadata":{}}')).text,
    );
    const { db } = server.ctx;
    await db.query(`update sb_transactions set postings = $2::jsonb where ledger = 'old' and id = $1`, [
      made.data.id,
      JSON.stringify([{ source: 'world', destination: 'users:old', amount: huge, asset: 'COIN' }]),
    ]);
    await db.query(`update sb_volumes set input = $1::numeric where ledger = 'old' and address = 'users:old'`, [huge]);
    for (const path of [
      '/api/ledger/v2/old/transactions',
      `/api/ledger/v2/old/transactions/${made.data.id}`,
      '/api/ledger/v2/old/accounts?expand=volumes',
      '/api/ledger/v2/old/accounts/users%3Aold?expand=volumes',
    ]) {
      const r = await raw('GET', path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).toContain(huge);
    }
  });

  it('400 VALIDATION names the field; nothing is stored on error', async () => {
    const cases: [string, RegExp][] = [
      ['{"postings":[{"source":"world","destination":"a","amount":-1,"asset":"COIN"}]}', /postings\[0\]\.amount: negative amount/],
      ['{"postings":[{"source":"world","destination":"a","amount":1.5,"asset":"COIN"}]}', /postings\[0\]\.amount: amount must be an integer/],
      ['{"postings":[{"source":"world","destination":"a b","amount":1,"asset":"COIN"}]}', /postings\[0\]\.destination: invalid address/],
      ['{"postings":[{"source":"world","destination":"a","amount":1,"asset":"coin"}]}', /postings\[0\]\.asset: invalid asset/],
      ['{"postings":[{"source":"world","amount":1,"asset":"COIN"}]}', /postings\[0\]\.destination: required/],
      ['{"metadata":{"a":1},"postings":[{"source":"world","destination":"a","amount":1,"asset":"COIN"}]}', /metadata: value of 'a' must be a string/],
      ['{"timestamp":"yesterday","postings":[{"source":"world","destination":"a","amount":1,"asset":"COIN"}]}', /timestamp: expected an RFC 3339 date/],
      ['{"postings": [', /invalid JSON/],
      [
        `{"postings":[{"source":"world","destination":"a","amount":${2n ** 256n},"asset":"COIN"}]}`,
        /postings\[0\]\.amount: amount too large: 78 digits, at most 2\^256 − 1/,
      ],
      [`{"postings":[{"source":"world","destination":"a","amount":${'9'.repeat(5000)},"asset":"COIN"}]}`, /postings\[0\]\.amount: amount too large: 5,000 digits/],
      [
        '{"script":{"plain":"send [COIN 999999999999999999999999999999999999999999999999999999999999999999999999999999999] (source = @world destination = @a)"}}',
        /amount too large/,
      ],
    ];
    for (const [body, message] of cases) {
      const r = await raw('POST', '/api/ledger/v2/val/transactions', body);
      expect(r.status, body).toBe(400);
      const err = JSON.parse(r.text);
      expect(err.errorCode).toBe('VALIDATION');
      expect(err.errorMessage).toMatch(message);
    }
    const none = await raw('POST', '/api/ledger/v2/val/transactions', '{"metadata":{}}');
    expect(JSON.parse(none.text).errorCode).toBe('NO_POSTINGS');
    expect((await sb.ledger.listTransactions('val').catch(() => ({ data: [] }))).data).toEqual([]);
  });

  it('unknown ledger on reads → 404 LEDGER_NOT_FOUND; writes create the ledger on first use', async () => {
    const r = await raw('GET', '/api/ledger/v2/ghost/transactions');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toEqual({ errorCode: 'LEDGER_NOT_FOUND', errorMessage: 'ledger ghost not found' });
    const get = await raw('GET', '/api/ledger/v2/ghost');
    expect(JSON.parse(get.text).errorCode).toBe('NOT_FOUND');
    const md = await raw('POST', '/api/ledger/v2/fresh/accounts/users:1/metadata', '{"k":"v"}');
    expect(md.status).toBe(204);
    expect(md.text).toBe('');
    expect((await raw('GET', '/api/ledger/v2/fresh')).status).toBe(200);
    const list = await raw('GET', '/api/ledger/v2/');
    expect(JSON.parse(list.text).cursor.data.map((l: any) => l.name)).toContain('fresh');
    expect((await raw('GET', '/api/ledger/v2')).status).toBe(200);
  });

  it('pagination rules: pageSize clamped to 100, non-integer → 400, cursors opaque and absent when not needed', async () => {
    const ok = JSON.parse((await raw('GET', '/api/ledger/v2?pageSize=1000')).text);
    expect(ok.cursor.pageSize).toBe(100);
    expect(ok.cursor).not.toHaveProperty('next');
    expect(ok.cursor).not.toHaveProperty('previous');
    expect((await raw('GET', '/api/ledger/v2?pageSize=abc')).status).toBe(400);
    expect((await raw('GET', '/api/wallets/wallets?pageSize=0')).status).toBe(400);
  });

  it('wallets: 404 with an empty JSON body; VALIDATION for unknown balance; content type on 204', async () => {
    const r = await raw('GET', '/api/wallets/wallets/00000000-0000-4000-8000-000000000000');
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const w = await sb.wallets.createWallet({ name: 'http' });
    const credit = await raw('POST', `/api/wallets/wallets/${w.id}/credit`, '{"amount":{"asset":"USD/2","amount":10},"balance":"nope"}');
    expect(credit.status).toBe(400);
    expect(JSON.parse(credit.text)).toEqual({ errorCode: 'VALIDATION', errorMessage: "balance 'nope' not exists" });
    const ok = await raw('POST', `/api/wallets/wallets/${w.id}/credit`, '{"amount":{"asset":"USD/2","amount":10}}');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('content-type')).toMatch(/application\/json/);
    const bad = await raw('POST', `/api/wallets/wallets/${w.id}/debit`, '{"amount":{"asset":"USD/2","amount":1},"destination":{"type":"account","identifier":"x"}}');
    expect(JSON.parse(bad.text)).toEqual({ errorCode: 'VALIDATION', errorMessage: 'destination.type: must be ACCOUNT or WALLET' });
  });

  it('payments: malformed body → MISSING_OR_INVALID_BODY; unknown well-formed id → 404', async () => {
    const r = await raw('POST', '/api/payments/transfer-initiations', '{');
    expect(JSON.parse(r.text).errorCode).toBe('MISSING_OR_INVALID_BODY');
    const missing = await raw('POST', '/api/payments/transfer-initiations', '{"reference":"x","type":"PAYOUT","amount":1,"asset":"USD/2"}');
    expect(JSON.parse(missing.text)).toEqual({ errorCode: 'VALIDATION', errorMessage: 'destinationAccountID: required' });
    const id = Buffer.from('{"Reference":"x"}').toString('base64url');
    const nf = await raw('GET', `/api/payments/payments/${id}`);
    expect(nf.status).toBe(404);
    expect(JSON.parse(nf.text).errorCode).toBe('NOT_FOUND');
  });

  it('console events: publish by hand (validated) and read newest first with filters', async () => {
    const bad = await server.api.post('/api/console/events', { payload: {} });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errorCode: 'VALIDATION', errorMessage: 'type: required non-empty string' });
    const noPayload = await server.api.post('/api/console/events', { type: 'X' });
    expect(noPayload.body.errorMessage).toBe('payload: required JSON object');

    const a = await server.api.post('/api/console/events', { type: 'SAVED_PAYMENT', payload: { id: 'p1', amount: '100' } });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({
      seq: expect.any(Number),
      app: 'payments',
      version: 'v3',
      type: 'SAVED_PAYMENT',
      payload: { id: 'p1', amount: '100' },
      idempotency_key: '',
    });
    const b = await server.api.post('/api/console/events', { type: 'CUSTOM', payload: { x: 1 }, app: 'mine', version: 'v9' });
    expect(b.body.data).toMatchObject({ app: 'mine', version: 'v9', type: 'CUSTOM' });

    const recent = await server.api.get(`/api/console/events?after=${a.body.data.seq - 1}`);
    expect(recent.body.data.map((e: any) => e.type)).toEqual(['CUSTOM', 'SAVED_PAYMENT']);
    const typed = await server.api.get('/api/console/events?type=SAVED_PAYMENT&limit=1');
    expect(typed.body.data).toHaveLength(1);
    expect(typed.body.data[0].payload.id).toBe('p1');
    expect((await server.api.get('/api/console/events?limit=x')).status).toBe(400);
    // Beyond a safe integer (fuzz, on PostgreSQL: bigint overflow → 500): a clear 400 instead.
    for (const q of ['after=100000000000000000000', 'before=99999999999999999999']) {
      const huge = await server.api.get(`/api/console/events?${q}`);
      expect(huge.status, q).toBe(400);
      expect(huge.body.errorMessage).toMatch(/^(after|before): expected at most/);
    }
    expect((await server.api.get('/api/console/events?limit=100000000000000000000')).status).toBe(200); // clamped
  });

  it('console payment simulation emits SAVED_PAYMENT', async () => {
    await sb.payments.createConnector({ provider: 'stripe' });
    const r = await server.api.post('/api/console/payments', { provider: 'stripe', asset: 'EUR/2', amount: 1999, metadata: { walletID: 'w' } });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ type: 'PAY-IN', status: 'SUCCEEDED', amount: 1999, provider: 'STRIPE' });
    const ev = await server.api.get('/api/console/events?type=SAVED_PAYMENT&limit=1');
    expect(ev.body.data[0].payload).toMatchObject({ id: r.body.data.id, amount: '1999', provider: 'stripe', metadata: { walletID: 'w' } });
    const bad = await server.api.post('/api/console/payments', { provider: 'stripe', asset: 'EUR/2', amount: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessage).toBe('amount: negative amount');
  });
});
