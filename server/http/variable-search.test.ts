import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesVariables, parseVariableFilter } from '../../common/variable-filter.js';
import { CANDIDATE_LIMIT, prefixUpperBound } from '../flows/variable-search.js';
import { json } from '../store/db.js';
import { startTestServer } from '../test/harness.js';

// Search by run variables on v2 `GET /instances?vars=…` (docs/instance-search.md): exact answers
// whether the index narrows the rows (a selective condition) or the rows are checked one by one
// (a frequent one), the same answers as the console's matcher, and a 400 naming the part.

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
const v2 = '/api/orchestration/v2';
let workflowID = '';
/** instance id → variables, for every instance this file created */
const made = new Map<string, Record<string, string>>();

async function ids(query: string, pageSize = 7): Promise<string[]> {
  const out: string[] = [];
  let r = await server.api.get(`${v2}/instances?pageSize=${pageSize}&workflowID=${workflowID}&${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  for (;;) {
    out.push(...r.body.cursor.data.map((i: { id: string }) => i.id));
    if (!r.body.cursor.next) return out;
    r = await server.api.get(`${v2}/instances?cursor=${r.body.cursor.next}`);
    expect(r.status).toBe(200);
  }
}
const expected = (query: string) => [...made].filter(([, v]) => matchesVariables(v, parseVariableFilter(query))).map(([id]) => id);
const q = (vars: string) => `vars=${encodeURIComponent(vars)}`;

beforeAll(async () => {
  server = await startTestServer();
  workflowID = (await server.api.post(`${v2}/workflows`, { name: 'vars-search', stages: [{ noop: {} }] })).body.data.id;
  // Through the API (the engine's start path)...
  const samples: Record<string, string>[] = [
    { userID: '42', amount: '1500', currency: 'EUR' },
    { userID: '420', amount: '999', currency: 'USD' },
    { userID: '7', amount: '1000.50', note: 'say "hi"' },
    { userID: '4', amount: 'lots' },
    { amount: '90071992547409930', 'user id': 'a b' },
    {},
  ];
  for (const vars of samples) {
    const r = await server.api.post(`${v2}/workflows/${workflowID}/instances`, vars);
    expect(r.status).toBe(201);
    made.set(r.body.data.id, vars);
  }
  // ...and in bulk (the trigger indexes rows however they are written): more instances sharing
  // `batch=big` than the index hands out as candidates, so that condition is checked row by row.
  const bulk = Array.from({ length: CANDIDATE_LIMIT + 50 }, (_, k) => ({
    id: `bulk-${k}`,
    variables: { batch: 'big', userID: String(1000 + k), amount: String(k * 3), tier: k % 2 ? 'gold' : 'silver', long: `${'x'.repeat(250)}${k % 3}` },
  }));
  await server.ctx.db.query(
    `insert into instances (id, workflow_id, variables, created_at, updated_at, terminated, terminated_at)
     select r.id, $1, r.variables, now(), now(), true, now() from jsonb_to_recordset($2::jsonb) as r(id text, variables jsonb)`,
    [workflowID, json(bulk)],
  );
  for (const b of bulk) made.set(b.id, b.variables);
});

afterAll(async () => {
  await server?.close();
});

describe('search by variables', () => {
  it('equality, numbers and prefixes, selective (from the index) and frequent (row by row), paged', async () => {
    for (const query of [
      'userID = 42',
      'userID = 4*',
      'userID ^= 4',
      'userID != 4*',
      'amount > 1000',
      'amount >= 1000.5',
      'amount < 10',
      'amount > 90071992547409929',
      'currency = EUR and amount > 1000',
      'note = "say \\"hi\\""',
      '${user id} = "a b"',
      'batch = big',
      'batch = big and tier = gold and amount < 300',
      'batch = big and userID = 1007',
      'tier != gold and amount <= 30',
      'missing = 1',
      'userID = 42 and userID = 7',
      `long = ${'x'.repeat(250)}1`,
      `long ^= ${'x'.repeat(220)}`,
      `long ^= ${'x'.repeat(250)}2`,
    ]) {
      const got = await ids(q(query), 100);
      expect(got.sort(), query).toEqual(expected(query).sort());
    }
  });

  it('keeps the order and the other filters; list rows carry their variables', async () => {
    const newest = await ids(`${q('userID ^= 4')}&order=desc`, 2);
    expect(newest).toEqual(expected('userID ^= 4').reverse());
    const r = await server.api.get(`${v2}/instances?workflowID=${workflowID}&${q('userID = 42')}`);
    expect(r.body.cursor.data).toHaveLength(1);
    expect(r.body.cursor.data[0].variables).toEqual({ userID: '42', amount: '1500', currency: 'EUR' });
    expect(r.body.cursor.data[0].currentStage).toBe(0);
    const running = await server.api.get(`${v2}/instances?workflowID=${workflowID}&${q('userID = 42')}&status=running`);
    expect(running.body.cursor.data).toEqual([]);
  });

  it('a malformed filter is a 400 naming the part', async () => {
    for (const [query, part] of [
      ['amount > abc', "'amount > abc': > compares numbers"],
      ['userID 42', "'userID 42': expected an operator"],
      ['a = 1 or b = 2', "'or' at column 7"],
      ['a = 4*2', "'4*2': * only goes at the end"],
    ]) {
      const r = await server.api.get(`${v2}/instances?${q(query!)}`);
      expect(r.status, query).toBe(400);
      expect(r.body.errorCode).toBe('VALIDATION');
      expect(r.body.errorMessage).toContain(`invalid 'vars' query param: ${part}`);
    }
    expect((await server.api.get(`${v2}/instances?${q('   ')}`)).status).toBe(200);
  });

  it('prefix bounds: the smallest text after every text with the prefix', () => {
    expect(prefixUpperBound('abc')).toBe('abd');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('')).toBeUndefined();
  });
});
