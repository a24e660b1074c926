import Ajv from 'ajv';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkStages } from '../../../server/stages/index';
import { STAGE_KINDS } from '../../../server/stages/kinds';
import type { Field, ObjectField } from '../../../server/stages/fields';
import { workflowSchema } from './schema';

// The schema against the server's own create-time validation (server/stages): the same
// fields, types, defaults and one-of rules, and the same verdict on generated definitions.

type Schema = Record<string, any>;

const ajv = new Ajv({ allErrors: true, strictTypes: false });
ajv.addVocabulary(['markdownDescription', 'defaultSnippets', 'errorMessage', 'patternErrorMessage', 'deprecationMessage']);
const validate = ajv.compile(workflowSchema);

const schemaAccepts = (definition: unknown) => validate(definition) === true;
const serverAccepts = (stages: unknown[]) => checkStages(stages).length === 0;

const stageSchema = (workflowSchema.properties as Schema).stages.items as Schema;

/** The JSON types a field schema accepts. */
const types = (s: Schema): string[] => [s.type].flat().filter(Boolean).sort();

function compareField(field: Field, schema: Schema, path: string) {
  switch (field.t) {
    case 'object':
      return compareObject(field, schema, path);
    case 'string': {
      expect(types(schema), `${path} is a string`).toEqual(['string']);
      if (field.default !== undefined) expect(schema.default, `${path} default`).toBe(field.default);
      if (field.enum) {
        // Completion offers the server's values; the pattern accepts them in any case.
        expect(schema.examples, `${path} values`).toEqual(field.enum);
        for (const v of field.enum) expect(new RegExp(schema.pattern).test(v.toLowerCase()), `${path} accepts ${v}`).toBe(true);
      }
      if (field.required) expect(schema.minLength, `${path} may not be empty`).toBe(1);
      return;
    }
    case 'bool':
      expect(types(schema), `${path} is a boolean`).toEqual(['boolean', 'string']);
      expect(schema.default, `${path} default`).toBe(field.default);
      return;
    case 'amount':
      expect(types(schema), `${path} is an amount`).toEqual(['integer', 'string']);
      return;
    case 'duration':
    case 'date':
      expect(schema.type, `${path} is a string`).toBe('string');
      expect(schema.pattern, `${path} has a pattern`).toBeTruthy();
      return;
    case 'map':
      expect(schema.type, `${path} is a map`).toBe('object');
      expect(schema.additionalProperties, `${path} values`).toMatchObject({ type: 'string' });
      return;
  }
}

function compareObject(spec: ObjectField, schema: Schema, path: string) {
  expect(schema.type, `${path} is an object`).toBe('object');
  expect(schema.additionalProperties, `${path} refuses unknown keys`).toBe(false);
  const keys = [...Object.keys(spec.fields), ...Object.keys(spec.aliases ?? {})].sort();
  expect(Object.keys(schema.properties).sort(), `${path} keys`).toEqual(keys);
  const required = Object.entries(spec.fields)
    .filter(([, f]) => 'required' in f && f.required)
    .map(([k]) => k)
    .sort();
  expect([...(schema.required ?? [])].sort(), `${path} required keys`).toEqual(required);
  if (spec.oneOf) {
    // A one-of of a single key is a required key; of several, a oneOf or a single-key object.
    const alternatives: string[] = schema.oneOf
      ? schema.oneOf.map((o: Schema) => o.required[0])
      : schema.maxProperties === 1 && schema.minProperties === 1
        ? Object.keys(schema.properties)
        : spec.oneOf.length === 1 && schema.required?.includes(spec.oneOf[0])
          ? [spec.oneOf[0]!]
          : [];
    expect(alternatives.sort(), `${path} exactly one of`).toEqual([...spec.oneOf].sort());
  }
  for (const [key, field] of Object.entries(spec.fields)) compareField(field, schema.properties[key], `${path}.${key}`);
  for (const [alias, key] of Object.entries(spec.aliases ?? {})) expect(schema.properties[alias].type, `${path}.${alias} aliases ${key}`).toBe('string');
}

describe('workflow JSON Schema vs the server stage specs', () => {
  it('knows exactly the server stage kinds', () => {
    expect(Object.keys(stageSchema.properties).sort()).toEqual(Object.keys(STAGE_KINDS).sort());
  });

  it.each(Object.keys(STAGE_KINDS).filter((k) => k !== 'noop'))('describes every field of %s', (kind) => {
    compareObject(STAGE_KINDS[kind as keyof typeof STAGE_KINDS].spec, stageSchema.properties[kind], kind);
  });

  it('documents every field (hover docs)', () => {
    const missing: string[] = [];
    const visit = (s: Schema, path: string) => {
      if (!s || typeof s !== 'object') return;
      if (s.properties) {
        for (const [k, v] of Object.entries<Schema>(s.properties)) {
          if (!v.description) missing.push(`${path}.${k}`);
          visit(v, `${path}.${k}`);
        }
      }
      if (s.items) visit(s.items, `${path}[]`);
    };
    visit(workflowSchema, '$');
    expect(missing).toEqual([]);
  });
});

const sendMatrix = parseYaml(`
name: send-matrix
stages:
- send:
    source:      { account: { id: "users:1", ledger: main } }
    destination: { account: { id: "merchants:7", ledger: main } }
    amount:      { asset: USD/2, amount: 500 }
- send:
    source:      { account: { id: "users:1", ledger: eu, throughAccount: "bridge:out" } }
    destination: { account: { id: "treasury", ledger: us, throughAccount: "bridge:in", allowOverdraft: true } }
    amount:      { asset: USD/2, amount: 500 }
- send:
    source:      { account: { id: "users:1", ledger: wallets-ledger } }
    destination: { wallet: { id: "\${walletID}", balance: main } }
    amount:      { asset: USD/2, amount: 500 }
- send:
    source:      { account: { id: "users:1", ledger: main, throughAccount: "liabilities:payouts", allowOverdraft: true } }
    destination: { payment: { psp: stripe, type: PAYOUT, sourceAccount: "\${pspSourceAccount}" } }
    amount:      { asset: USD/2, amount: 500 }
- send:
    source:      { wallet: { name: "savings-\${userID}" } }
    destination: { account: { id: "fees", ledger: main } }
    amount:      { asset: USD/2, amount: 100 }
- send:
    source:      { wallet: { id: "\${fromWallet}" } }
    destination: { wallet: { id: "\${toWallet}", balance: "gifts" } }
    amount:      { asset: USD/2, amount: 100 }
- send:
    source:      { wallet: { id: "\${walletID}", balance: main } }
    destination: { payment: { psp: wise, type: TRANSFER, metadata: pspAccount, waitingValidation: true } }
    amount:      { asset: EUR/2, amount: 2000 }
- send:
    source:      { payment: { id: "\${paymentID}" } }
    destination: { account: { id: "users:1", ledger: main } }
- send:
    source:      { payment: { id: "\${paymentID}", ledger: wallets-ledger, holdingAccount: "held:\${paymentID}", throughAccount: "psp:stripe:in", allowOverdraft: true } }
    destination: { wallet: { id: "\${walletID}" } }
    amount:      { asset: EUR/2, amount: 2000 }
`);

const kitchenSink = {
  name: 'kitchen-sink',
  stages: [
    { noop: {} },
    { update: { account: { id: 'users:${userID}', ledger: 'main', metadata: { kyc: '${kycLevel}', source: 'flows' } } } },
    { delay: { duration: '30s' } },
    { delay: { until: '2030-01-01T00:00:00Z' } },
    { wait_event: { event: 'approved' } },
    {
      send: {
        source: { account: { id: 'world', ledger: 'main' } },
        destination: { account: { id: 'users:${userID}', ledger: 'main' } },
        amount: { asset: 'EUR/2', amount: '${amount}' },
        metadata: { reason: 'welcome-bonus' },
      },
    },
  ],
};

const moreStages = [
  {
    send: {
      source: { account: { id: 'users:1', ledger: 'main' } },
      destination: { wallet: { name: 'main-wallet' } },
      amount: { asset: 'USD/2', amount: 250 },
      metadata: { orderID: '${orderID}' },
      timestamp: '2024-07-01T00:00:00Z',
    },
  },
  {
    send: {
      source: { wallet: { id: '${walletID}' } },
      destination: { payment: { psp: 'stripe', type: 'PAYOUT', connectorId: '${connectorID}' } },
      amount: { asset: 'USD/2', amount: '${amount}' },
    },
  },
  { send: { source: { payment: { id: '${paymentID}' } }, destination: { wallet: { id: '${walletID}' } } } },
  { send: { source: { wallet: { id: 'w' } }, destination: { payment: { psp: 'stripe', type: 'payout', connectorID: 'c1' } }, amount: { asset: 'X', amount: 1 } } },
  { send: { source: { account: { id: 'a', allowOverdraft: '${flag}' } }, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: '1' } } },
];

const negatives: [string, unknown[]][] = [
  ['an empty stage', [{}]],
  ['two kinds in one stage', [{ noop: {}, delay: { duration: '1s' } }]],
  ['an unknown kind', [{ transfer: {} }]],
  ['send without a source', [{ send: { destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: 1 } } }]],
  ['a decimal amount', [{ send: { source: { account: { id: 'a' } }, destination: { account: { id: 'b' } }, amount: { asset: 'USD/2', amount: '12.5' } } }]],
  ['a negative amount', [{ send: { source: { account: { id: 'a' } }, destination: { account: { id: 'b' } }, amount: { asset: 'USD/2', amount: -5 } } }]],
  ['account → account without amount', [{ send: { source: { account: { id: 'a' } }, destination: { account: { id: 'b' } } } }]],
  ['payment → payment', [{ send: { source: { payment: { id: 'p' } }, destination: { payment: { psp: 'stripe' } } } }]],
  ['two destinations', [{ send: { source: { account: { id: 'a' } }, destination: { account: { id: 'b' }, wallet: { id: 'w' } }, amount: { asset: 'X', amount: 1 } } }]],
  ['a wallet with neither id nor name', [{ send: { source: { wallet: {} }, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: 1 } } }]],
  ['a delay with duration and until', [{ delay: { duration: '1s', until: '2030-01-01T00:00:00Z' } }]],
  ['a delay in days', [{ delay: { duration: '2d' } }]],
  ['wait_event without event', [{ wait_event: {} }]],
  ['a non-RFC 3339 until', [{ delay: { until: '2030-01-01' } }]],
  ['an unknown payment type', [{ send: { source: { wallet: { id: 'w' } }, destination: { payment: { type: 'WIRE' } }, amount: { asset: 'X', amount: 1 } } }]],
  ['update without metadata', [{ update: { account: { id: 'a' } } }]],
  ['a numeric metadata value', [{ update: { account: { id: 'a', metadata: { n: 5 } } } }]],
  [
    'a non-boolean flag',
    [{ send: { source: { account: { id: 'a', allowOverdraft: 'yes' } }, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: 1 } } }],
  ],
];

describe('workflow JSON Schema vs checkStages on the example workflows', () => {
  it.each([
    ['kitchen sink', kitchenSink],
    ['send matrix', sendMatrix],
    ['more stage objects', { stages: moreStages }],
  ])('both accept the %s', (_, definition) => {
    expect(checkStages(definition.stages)).toEqual([]);
    expect(schemaAccepts(definition), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(negatives)('both refuse %s', (_, stages) => {
    expect(checkStages(stages)).not.toEqual([]);
    expect(schemaAccepts({ stages })).toBe(false);
  });

  it('is stricter on purpose: unknown keys and nulls (the server ignores them; typos and SDK traps)', () => {
    const typo = [{ wait_event: { event: 'approved', evnet: 'x' } }];
    const withNull = [{ send: { source: { account: { id: 'a', ledger: null } }, destination: { account: { id: 'b' } }, amount: { asset: 'X', amount: 1 } } }];
    expect(serverAccepts(typo)).toBe(true);
    expect(schemaAccepts({ stages: typo })).toBe(false);
    expect(serverAccepts(withNull)).toBe(true);
    expect(schemaAccepts({ stages: withNull })).toBe(false);
  });

  it('checks the top level like the server (stages required, name a string)', () => {
    expect(schemaAccepts({ name: 'x' })).toBe(false);
    expect(schemaAccepts({ name: 5, stages: [] })).toBe(false);
    expect(schemaAccepts({ stages: [] })).toBe(true);
  });
});

// ---- Generated definitions: both must give the same verdict ---------------------------------

type Leaf = Exclude<Field['t'], 'object'> | 'enum' | 'requiredString';
/** Values the server accepts for each field type (at create time), and values it refuses. */
const GOOD: Record<Leaf, unknown[]> = {
  string: ['', 'users:1', 'world', '${x}', 'a-${y}-b'],
  requiredString: ['users:1', 'world', '${x}', 'a-${y}-b'],
  enum: ['TRANSFER', 'payout', 'Transfer', '', '${type}'],
  bool: [true, false, 'true', 'FALSE', 'True', '', '${flag}'],
  amount: [0, 5, 1250, '12', '007', '', '${amount}', 'x${a}'],
  duration: ['30s', '1h30m', '1.5s', '300ms', '0', '-0', '+1m', '', '${d}'],
  date: ['2030-01-01T00:00:00Z', '2024-07-01T10:00:00.123456+02:00', '2024-07-01 10:00:00z', '', '${t}'],
  map: [{}, { a: 'b' }, { a: '${x}', b: '' }],
};
const BAD: Record<Leaf, unknown[]> = {
  string: [5, true, {}],
  requiredString: ['', 5, {}],
  enum: ['WIRE', 3],
  bool: ['yes', 1],
  amount: [-1, 1.5, '12.5', ' 12', 'abc', true],
  duration: ['5', '5d', '1 h', 's', '-', '-2s', 30],
  date: ['2030-01-01', '2030-13-01T00:00:00Z', 'soon', 5],
  map: [{ a: 5 }, { a: {} }, 'text', []],
};

function leafOf(field: Exclude<Field, ObjectField>, key: string): Leaf {
  if (key === 'type') return 'enum';
  if (field.t === 'string' && field.required) return 'requiredString';
  return field.t;
}

/** `clean`: only accepted leaf values and well-formed objects (the pair rules may still refuse). */
function arbitraryFor(field: Field, clean: boolean, key = ''): fc.Arbitrary<unknown> {
  if (field.t !== 'object') {
    const leaf = leafOf(field, key);
    return clean ? fc.constantFrom(...GOOD[leaf]) : fc.constantFrom(...GOOD[leaf], ...BAD[leaf]);
  }
  const required = Object.keys(field.fields).filter((k) => 'required' in field.fields[k]! && (field.fields[k] as { required?: boolean }).required);
  const record = (keys: string[]) =>
    fc.record(Object.fromEntries(keys.map((k) => [k, arbitraryFor(field.fields[k]!, clean, k)])), {
      requiredKeys: clean ? required.filter((k) => keys.includes(k)) : [],
    });
  const keys = Object.keys(field.fields);
  const shapes: fc.Arbitrary<unknown>[] = clean && field.oneOf ? [] : [record(keys)];
  // Objects with a one-of rule: mostly exactly one alternative, plus the other keys at random.
  if (field.oneOf) {
    const others = keys.filter((k) => !field.oneOf!.includes(k));
    for (const k of field.oneOf) {
      const value = clean && field.fields[k]!.t === 'string' ? fc.constantFrom('w-1', '${w}') : arbitraryFor(field.fields[k]!, clean, k);
      shapes.push(fc.tuple(value, record(others)).map(([v, rest]) => ({ ...(rest as object), [k]: v })));
    }
  }
  const aliases = Object.keys(field.aliases ?? {});
  const shaped = aliases.length
    ? fc
        .oneof(...shapes)
        .chain((o) => fc.option(fc.constantFrom('', 'c1', '${c}'), { nil: undefined }).map((v) => (v === undefined ? o : { ...(o as object), [aliases[0]!]: v })))
    : fc.oneof(...shapes);
  return clean ? shaped : fc.oneof({ weight: 12, arbitrary: shaped }, { weight: 1, arbitrary: fc.constantFrom('x', 7, []) });
}

const stageArbitrary = fc.oneof(
  ...[true, false].flatMap((clean) =>
    Object.entries(STAGE_KINDS).map(([kind, { spec }]) =>
      (kind === 'noop' ? fc.constantFrom({}, { note: 'x' }) : arbitraryFor(spec, clean)).map((config) => ({ [kind]: config })),
    ),
  ),
  fc.constantFrom({}, { transfer: {} }, { noop: {}, delay: { duration: '1s' } }, 'stage', []),
);

describe('workflow JSON Schema vs checkStages on generated stages', () => {
  it('gives the same verdict as the server', () => {
    const verdicts = new Map<string, { accepted: number; refused: number }>();
    fc.assert(
      fc.property(stageArbitrary, (stage) => {
        const server = serverAccepts([stage]);
        const kind = stage && typeof stage === 'object' && !Array.isArray(stage) ? Object.keys(stage).join('+') : 'other';
        const v = verdicts.get(kind) ?? { accepted: 0, refused: 0 };
        v[server ? 'accepted' : 'refused']++;
        verdicts.set(kind, v);
        const schema = schemaAccepts({ stages: [stage] });
        if (server !== schema) {
          throw new Error(
            `server ${server ? 'accepts' : 'refuses'} but schema ${schema ? 'accepts' : 'refuses'} ${JSON.stringify(stage)}: ${checkStages([stage]).join('; ')} ${ajv.errorsText(validate.errors)}`,
          );
        }
      }),
      { numRuns: 4000 },
    );
    // The generator must exercise both verdicts for every kind, or the comparison proves little.
    for (const kind of ['send', 'delay', 'wait_event', 'update']) {
      const v = verdicts.get(kind)!;
      expect(v.accepted, `${kind} accepted`).toBeGreaterThan(20);
      expect(v.refused, `${kind} refused`).toBeGreaterThan(20);
    }
  });
});
