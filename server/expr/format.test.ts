import { describe, expect, it } from 'vitest';
import { goFloat, goFormat, marshalIndent } from './format.js';
import { compile, evaluate, evaluateVar, ExprRuntimeError, formatVarValue } from './index.js';

describe('formatVarValue', () => {
  it.each<[unknown, string]>([
    ['abc', 'abc'],
    ['', ''],
    [1200000, '1200000'],
    [1999, '1999'],
    [3.5, '3.5'],
    [-2.25, '-2.25'],
    [0, '0'],
    [-0, '-0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [123456789012, '123456789012'],
    [1e20, '100000000000000000000'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [1.5e-7, '1.5e-7'],
    [12345678901234567890n, '12345678901234567890'],
    [-5n, '-5'],
    [true, 'true'],
    [false, 'false'],
    [null, '<nil>'],
    [undefined, '<nil>'],
    [{ a: 1 }, 'map[a:1]'],
    [[1, 2], '[1 2]'],
    [[], '[]'],
    [{}, 'map[]'],
    [{ b: { c: [1, 'x', null] }, a: true }, 'map[a:true b:map[c:[1 x <nil>]]]'],
    [[1000000, 0.5, 1e-5], '[1e+06 0.5 1e-05]'],
    [['a b', ''], '[a b ]'],
  ])('%o → %s', (value, expected) => {
    expect(formatVarValue(value)).toBe(expected);
  });

  it('formats bigints inside containers as integers', () => {
    expect(formatVarValue([2n, { n: 10n ** 20n }])).toBe('[2 map[n:100000000000000000000]]');
  });

  it('cannot encode NaN or infinities, like json.Marshal', () => {
    expect(() => formatVarValue(NaN)).toThrow(ExprRuntimeError);
    expect(() => formatVarValue(NaN)).toThrow('json: unsupported value: NaN');
    expect(() => formatVarValue(-Infinity)).toThrow('json: unsupported value: -Inf');
  });
});

describe('evaluateVar', () => {
  const v = (source: string, event: unknown = null) => evaluateVar(compile(source), { event });

  it.each<[string, unknown, string]>([
    ['event.id', { id: 'pay_1' }, 'pay_1'],
    ['event.amount', { amount: 1999 }, '1999'],
    ['event.amount', { amount: '1999' }, '1999'],
    ['event.amount', { amount: 2500000 }, '2500000'],
    ['event.amount / 100', { amount: 1999 }, '19.99'],
    ['int(event.amount)', { amount: '250000' }, '250000'],
    ['event.transactions[0].id', { transactions: [{ id: 9 }] }, '9'],
    ['1.0', null, '1'],
    ['1e21', null, '1e+21'],
    ['true', null, 'true'],
    ['nil', null, '<nil>'],
    ['event.missing', {}, '<nil>'],
    ['{a: 1, b: [1.5, "x"]}', null, 'map[a:1 b:[1.5 x]]'],
    // integers built by the expression stay integers inside containers; payload numbers are floats
    ['[1000000]', null, '[1000000]'],
    ['event.list', { list: [1000000] }, '[1e+06]'],
    ['event.metadata', { metadata: { walletID: 'w1', n: 2 } }, 'map[n:2 walletID:w1]'],
  ])('%s with %j → %s', async (source, event, expected) => {
    await expect(v(source, event)).resolves.toBe(expected);
  });

  it('agrees with formatVarValue(evaluate(...)) for scalars', async () => {
    for (const src of ['42', '"s"', '1.5', 'nil', 'false', '2 ** 70']) {
      const p = compile(src);
      expect(formatVarValue(await evaluate(p, { event: null }))).toBe(await evaluateVar(p, { event: null }));
    }
  });
});

describe('Go formatting helpers', () => {
  it.each<[number, string]>([
    [1e6, '1e+06'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [-1.5, '-1.5'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [-0, '-0'],
  ])('goFloat(%d) = %s', (x, expected) => {
    expect(goFloat(x)).toBe(expected);
  });

  it('sorts map keys and renders nested values like fmt', () => {
    expect(goFormat({ z: 1n, a: [true, null], m: { k: 'v' } })).toBe('map[a:[true <nil>] m:map[k:v] z:1]');
  });

  it('marshals like json.MarshalIndent', () => {
    expect(marshalIndent({ b: 1, a: [] })).toBe('{\n  "a": [],\n  "b": 1\n}');
    expect(marshalIndent('\u2028\x01"')).toBe('"\\u2028\\u0001\\""');
    expect(marshalIndent(null)).toBe('null');
    expect(marshalIndent(-0)).toBe('-0');
  });
});
