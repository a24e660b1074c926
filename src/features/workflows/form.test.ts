import { describe, expect, it } from 'vitest';
import { checkStages } from '../../../server/stages/index';
import { definitionToForm, emptyStage, formFieldForPath, formToDefinition, type WorkflowForm } from './form';
import { parseServerProblems } from './serverErrors';
import { TEMPLATES } from './templates';

const formOf = (definition: unknown): WorkflowForm => {
  const r = definitionToForm(definition);
  if (!r.ok) throw new Error(r.reason);
  return r.form;
};

const everySend = [
  {
    send: {
      source: { account: { id: 'users:1', ledger: 'eu', throughAccount: 'bridge:out', allowOverdraft: true } },
      destination: { account: { id: 'treasury', ledger: 'us', throughAccount: 'bridge:in', allowOverdraft: false } },
      amount: { asset: 'USD/2', amount: 500 },
    },
  },
  {
    send: {
      source: { wallet: { name: 'savings-${userID}' } },
      destination: { wallet: { id: '${toWallet}', balance: 'gifts' } },
      amount: { asset: 'USD/2', amount: '${amount}' },
      metadata: { orderID: '${orderID}', 'a.b': 'c' },
      timestamp: '2024-07-01T00:00:00Z',
    },
  },
  {
    send: {
      source: { wallet: { id: '${walletID}', balance: 'main' } },
      destination: { payment: { psp: 'wise', type: 'TRANSFER', sourceAccount: 'acc', metadata: 'pspAccount', waitingValidation: true, connectorId: 'c1' } },
      amount: { asset: 'EUR/2', amount: 2000 },
    },
  },
  {
    send: {
      source: {
        payment: { id: '${paymentID}', ledger: 'wallets-ledger', holdingAccount: 'held:${paymentID}', throughAccount: 'psp:stripe:in', allowOverdraft: '${flag}' },
      },
      destination: { wallet: { id: '${walletID}' } },
    },
  },
  { send: { source: { payment: { id: 'p1' } }, destination: { account: { id: 'users:1' } }, amount: { asset: 'EUR/2', amount: 100 } } },
];
const otherStages = [
  { delay: { duration: '30s' } },
  { delay: { until: '2030-01-01T00:00:00Z' } },
  { wait_event: { event: 'approved' } },
  { update: { account: { id: 'users:${userID}', ledger: 'main', metadata: { kyc: '${kycLevel}', empty: '' } } } },
  { update: { account: { id: 'users:1', metadata: {} } } },
  { noop: {} },
];

describe('definition ↔ form', () => {
  it('round-trips every send combination and every other kind exactly', () => {
    const definition = { name: 'all', stages: [...everySend, ...otherStages] };
    const form = formOf(definition);
    expect(form.stages.map((s) => s.kind)).toEqual(['send', 'send', 'send', 'send', 'send', 'delay', 'delay', 'wait_event', 'update', 'update', 'noop']);
    expect(formToDefinition(form)).toEqual(definition);
  });

  it('round-trips every template, and every template passes the server check', () => {
    for (const t of TEMPLATES) {
      expect(formToDefinition(formOf(t.definition)), t.id).toEqual(t.definition);
      expect(checkStages(t.definition.stages), t.id).toEqual([]);
    }
  });

  it('fills the form per kind: endpoint pickers, wallet by id or name, flags as text', () => {
    const form = formOf({ stages: everySend });
    expect(form.name).toBe('');
    expect(form.stages[0]!.send.source).toMatchObject({ kind: 'account', account: { id: 'users:1', ledger: 'eu', allowOverdraft: 'true' } });
    expect(form.stages[1]!.send.source).toMatchObject({ kind: 'wallet', wallet: { by: 'name', ref: 'savings-${userID}', balance: '' } });
    expect(form.stages[1]!.send.metadata).toEqual([
      { key: 'orderID', value: '${orderID}' },
      { key: 'a.b', value: 'c' },
    ]);
    expect(form.stages[3]!.send).toMatchObject({ usePaymentAmount: true, source: { kind: 'payment', payment: { allowOverdraft: '${flag}' } } });
    expect(form.stages[4]!.send.usePaymentAmount).toBe(false);
  });

  it('writes amounts as numbers when exact, keeps variables and huge integers as text', () => {
    const form = formOf({ stages: [everySend[0]] });
    form.stages[0]!.send.amount.amount = '9007199254740993';
    expect(formToDefinition(form).stages[0]).toMatchObject({ send: { amount: { amount: '9007199254740993' } } });
    form.stages[0]!.send.amount.amount = '1250';
    expect(formToDefinition(form).stages[0]).toMatchObject({ send: { amount: { amount: 1250 } } });
  });

  it('leaves empty optional fields out, keeps empty required ones so their errors show', () => {
    const stage = emptyStage('send');
    const def = formToDefinition({ name: '', stages: [stage, { ...emptyStage('delay') }, emptyStage('wait_event'), emptyStage('update')] });
    expect(def).toEqual({
      stages: [
        { send: { source: { account: { id: '' } }, destination: { account: { id: '' } }, amount: { asset: '' } } },
        { delay: { duration: '' } },
        { wait_event: { event: '' } },
        { update: { account: { id: '', metadata: {} } } },
      ],
    });
    expect(checkStages(def.stages)).toEqual([
      'stages[0].send.source.account.id: required',
      'stages[0].send.destination.account.id: required',
      'stages[0].send.amount.asset: required',
      "stages[1].delay: one of 'duration', 'until' is required",
      'stages[2].wait_event.event: required',
      'stages[3].update.account.id: required',
    ]);
  });

  it("keeps the other kinds' input when the kind changes", () => {
    const form = formOf({ stages: [{ wait_event: { event: 'approved' } }] });
    form.stages[0]!.kind = 'delay';
    form.stages[0]!.delay.duration = '5s';
    form.stages[0]!.kind = 'wait_event';
    expect(formToDefinition(form).stages).toEqual([{ wait_event: { event: 'approved' } }]);
  });

  it('keeps what the forms cannot express as raw JSON stages', () => {
    const odd = [
      { transfer: {} },
      {},
      { noop: {}, delay: { duration: '1s' } },
      { wait_event: { event: 'x', evnet: 'typo' } },
      { send: { source: { account: { id: 'a' }, wallet: { id: 'w' } }, destination: { account: { id: 'b' } } } },
      { send: { source: { wallet: { id: 'a', name: 'b' } }, destination: { account: { id: 'b' } } } },
      { delay: { duration: '1s', until: '2030-01-01T00:00:00Z' } },
      { update: { account: { id: 'a', metadata: { n: 5 } } } },
      { wait_event: { event: null } },
      { noop: { note: 'ignored' } },
      'stage',
    ];
    const form = formOf({ stages: odd });
    expect(form.stages.every((s) => s.kind === 'raw')).toBe(true);
    expect(formToDefinition(form).stages).toEqual(odd);
    // A raw stage that is not valid JSON yet stays as its text.
    form.stages[0]!.raw = '{"transfer": ';
    expect(formToDefinition(form).stages[0]).toBe('{"transfer": ');
  });

  it('reads the connectorID alias as connectorId', () => {
    const form = formOf({ stages: [{ send: { source: { wallet: { id: 'w' } }, destination: { payment: { connectorID: 'c1' } }, amount: { asset: 'X', amount: 1 } } }] });
    expect(form.stages[0]!.send.destination.payment.connectorId).toBe('c1');
  });

  it('says why a definition cannot be shown at all', () => {
    expect(definitionToForm([])).toEqual({ ok: false, reason: 'The definition is not a JSON object.' });
    expect(definitionToForm({ stages: 5 })).toMatchObject({ ok: false, reason: '"stages" is not an array.' });
    expect(definitionToForm({ stage: [] })).toMatchObject({ ok: false, reason: expect.stringContaining('"stage"') });
    expect(definitionToForm({ name: 3, stages: [] })).toMatchObject({ ok: false });
    expect(definitionToForm({})).toEqual({ ok: true, form: { name: '', stages: [] } });
  });
});

describe('server errors → paths → builder fields', () => {
  const definition = {
    name: 'x',
    stages: [
      {
        send: {
          source: { account: { id: 'a' } },
          destination: { account: { id: 'b' } },
          amount: { asset: 'USD/2', amount: '12.5' },
          metadata: { 'my.key: odd': 5 as unknown as string },
        },
      },
      { delay: { duration: '2d' } },
      { send: { source: { wallet: {} }, destination: { payment: { connectorID: 5 as unknown as string } } } },
      { send: { source: { payment: { id: 'p' } }, destination: { payment: { psp: 'stripe' } } } },
      { update: { account: { id: 'u', metadata: { a: 1 as unknown as string } } } },
      { transfer: {} },
    ],
  };

  it('parses the server lines (as checkStages writes them), even with odd metadata keys', () => {
    const message = checkStages(definition.stages).join('\n');
    const problems = parseServerProblems(message, definition);
    expect(problems.map((p) => p.path)).toEqual([
      ['stages', 0, 'send', 'amount', 'amount'],
      ['stages', 0, 'send', 'metadata', 'my.key: odd'],
      ['stages', 1, 'delay', 'duration'],
      ['stages', 2, 'send', 'source', 'wallet'],
      // reported as connectorId, found under the alias the definition used
      ['stages', 2, 'send', 'destination', 'payment', 'connectorID'],
      ['stages', 3, 'send'],
      ['stages', 4, 'update', 'account', 'metadata', 'a'],
      ['stages', 5],
    ]);
    expect(problems[0]!.message).toMatch(/^unable to parse '12.5' as big int/);
    expect(problems[1]!.message).toBe('expected a string, got number 5');
  });

  it('maps each path to the builder field it concerns', () => {
    // Values of the wrong type make raw stages in the builder: their errors go to the JSON box.
    const form = formOf(definition);
    const field = (line: string, def: unknown = definition, f = form) => formFieldForPath(parseServerProblems(line, def)[0]!.path, f);
    expect(field('stages[0].send.metadata.my.key: odd: expected a string, got number 5')).toBe('stages.0.raw');
    const typed = {
      stages: [
        {
          send: {
            source: { account: { id: '' } },
            destination: { account: { id: 'b' } },
            amount: { asset: 'USD/2', amount: '12.5' },
            metadata: { x: '1', 'my.key': '' },
          },
        },
      ],
    };
    const typedForm = formOf(typed);
    expect(field("stages[0].send.amount.amount: unable to parse '12.5' as big int", typed, typedForm)).toBe('stages.0.send.amount.amount');
    expect(field('stages[0].send.metadata.my.key: some problem', typed, typedForm)).toBe('stages.0.send.metadata.1.value');
    expect(field('stages[0].send.source.account.id: required', typed, typedForm)).toBe('stages.0.send.source.account.id');
    expect(field('stages[0].send.amount: amount must be specified', typed, typedForm)).toBe('stages.0.send.amount.amount');
    expect(field("stages[1].delay.duration: invalid duration '2d'")).toBe('stages.1.delay.duration');
    expect(field("stages[2].send.source.wallet: one of 'id', 'name' is required")).toBe('stages.2.raw');
    const wallet = { stages: [{ send: { source: { wallet: {} }, destination: { wallet: { name: 'w', balance: '' } }, amount: { asset: 'X', amount: 1 } } }] };
    expect(field("stages[0].send.source.wallet: one of 'id', 'name' is required", wallet, formOf(wallet))).toBe('stages.0.send.source.wallet.ref');
    expect(field('stages[0].send.destination.wallet.balance: problem', wallet, formOf(wallet))).toBe('stages.0.send.destination.wallet.balance');
    expect(field('stages[0].send.destination: problem', wallet, formOf(wallet))).toBe('stages.0.send.destination.kind');
    expect(field('stages[3].send: send from payment to payment is not supported')).toBe('stages.3.send.destination.kind');
    expect(field('stages[4].update.account.metadata.a: expected a string, got number 1')).toBe('stages.4.raw');
    expect(field('stages[5]: unable to resolve schema transfer')).toBe('stages.5.raw');
    expect(field('name: at most 1024 characters')).toBe('name');
    const update = { stages: [{ update: { account: { id: '', ledger: 'main', metadata: { a: '' } } } }] };
    expect(field('stages[0].update.account.id: required', update, formOf(update))).toBe('stages.0.update.account.id');
    expect(field('stages[0].update.account.metadata.a: problem', update, formOf(update))).toBe('stages.0.update.account.metadata.0.value');
  });

  it('keeps lines without a path', () => {
    expect(parseServerProblems('request body: invalid JSON: Unexpected token')).toEqual([
      { path: [], message: 'request body: invalid JSON: Unexpected token', text: 'request body: invalid JSON: Unexpected token' },
    ]);
    expect(parseServerProblems('stages: required (an array of stages, may be empty)')[0]!.path).toEqual(['stages']);
  });
});

describe('canonical key order', () => {
  it('is the order the builder writes, so a diff shows only real changes', async () => {
    const { canonicalDefinition } = await import('./canonical');
    // As the server returns it (jsonb orders keys by length, then bytes).
    const stored = {
      name: 'x',
      stages: [
        {
          send: {
            amount: { amount: 1, asset: 'X' },
            source: { wallet: { id: 'w', balance: 'main' } },
            metadata: { b: '1', a: '2' },
            destination: { payment: { psp: 'stripe', type: 'PAYOUT', connectorId: 'c' } },
          },
        },
        { update: { account: { id: 'a', ledger: 'main', metadata: {} } } },
        { transfer: { z: 1, a: 2 } },
      ],
      extra: true,
    };
    const canonical = canonicalDefinition(stored);
    expect(canonical).toEqual(stored);
    const known = { ...canonical, stages: canonical.stages.slice(0, 2) } as { name: string; stages: unknown[] };
    delete (known as Record<string, unknown>).extra;
    expect(JSON.stringify(formToDefinition(formOf(known)))).toBe(JSON.stringify(known));
    expect(Object.keys((canonical.stages[0] as { send: object }).send)).toEqual(['source', 'destination', 'amount', 'metadata']);
    expect(Object.keys((canonical.stages[0] as { send: { metadata: object } }).send.metadata)).toEqual(['b', 'a']);
    expect(Object.keys((canonical.stages[2] as { transfer: object }).transfer)).toEqual(['z', 'a']);
  });
});
