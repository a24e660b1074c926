import { describe, expect, it } from 'vitest';
import { compile, evaluateSync, evaluateVar, ExprRuntimeError } from './index.js';

const ev = (source: string, event: unknown = null) => evaluateSync(compile(source), { event });

function detail(source: string, event: unknown = null): string {
  try {
    ev(source, event);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprRuntimeError);
    return (e as ExprRuntimeError).detail;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('builtins', () => {
  it.each<[string, unknown]>([
    // len counts characters of strings, elements of arrays, keys of maps
    ['len("héllo")', 5],
    ['len([1, 2, 3])', 3],
    ['len({a: 1, b: 2})', 2],
    ['len("")', 0],
    // type
    ['type(nil)', 'nil'],
    ['type(true)', 'bool'],
    ['type(1)', 'int'],
    ['type(1.5)', 'float'],
    ['type("s")', 'string'],
    ['type([])', 'array'],
    ['type({})', 'map'],
    // numbers
    ['abs(-3)', 3],
    ['abs(-2.5)', 2.5],
    ['abs(4)', 4],
    ['int("1999")', 1999],
    ['int("-42")', -42],
    ['int("+7")', 7],
    ['int("007")', 7],
    ['int(3.99)', 3],
    ['int(-3.99)', -3],
    ['int(5)', 5],
    ['float(2)', 2],
    ['float("2.5")', 2.5],
    ['float("1e3")', 1000],
    ['float(".5")', 0.5],
    ['float("-Inf")', -Infinity],
    ['float(1.25)', 1.25],
    ['string(1.5)', '1.5'],
    ['string(1000000.0)', '1e+06'],
    ['string(42)', '42'],
    ['string(nil)', '<nil>'],
    ['string(true)', 'true'],
    ['string([1, "a"])', '[1 a]'],
    ['string({b: 1, a: "x"})', 'map[a:x b:1]'],
    ['max(1, 5, 3)', 5],
    ['max([1, 7.5, 3])', 7.5],
    ['min(4, 2, 8)', 2],
    ['min([3, -1.5])', -1.5],
    ['mean([1, 2, 3, 4])', 2.5],
    ['mean(2, 4)', 3],
    ['median([3, 1, 2])', 2],
    ['median([4, 1, 3, 2])', 2.5],
    ['ceil(1.2)', 2],
    ['floor(-1.2)', -2],
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(2.4)', 2],
    ['ceil(3)', 3],
    // strings
    ['upper("abc")', 'ABC'],
    ['lower("ÀBC")', 'àbc'],
    ['trim("  a b \\n")', 'a b'],
    ['trim("xxaxx", "x")', 'a'],
    ['trim("abcba", "ab")', 'c'],
    ['trimPrefix("users:1", "users:")', '1'],
    ['trimPrefix("users:1", "x")', 'users:1'],
    ['trimPrefix(" a")', 'a'],
    ['trimSuffix("file.json", ".json")', 'file'],
    ['trimSuffix("a ")', 'a'],
    ['split("a,b,c", ",")', ['a', 'b', 'c']],
    ['split("a,b,c", ",", 2)', ['a', 'b,c']],
    ['split("a,b,c", ",", 0)', []],
    ['split("a,b,c", ",", -1)', ['a', 'b', 'c']],
    ['split("abc", "")', ['a', 'b', 'c']],
    ['split("", ",")', ['']],
    ['split("users:1:main", ":")[1]', '1'],
    ['splitAfter("a,b,c", ",")', ['a,', 'b,', 'c']],
    ['splitAfter("a,b,c", ",", 2)', ['a,', 'b,c']],
    ['join(["a", "b"], "-")', 'a-b'],
    ['join(["a", "b"])', 'ab'],
    ['join([])', ''],
    ['replace("a-b-c", "-", "+")', 'a+b+c'],
    ['replace("a-b-c", "-", "+", 1)', 'a+b-c'],
    ['replace("abc", "", "-")', '-a-b-c-'],
    ['repeat("ab", 3)', 'ababab'],
    ['repeat("x", 0)', ''],
    ['indexOf("hello", "l")', 2],
    ['indexOf("hello", "z")', -1],
    ['indexOf("héllo", "l")', 3],
    ['lastIndexOf("hello", "l")', 3],
    ['hasPrefix("users:1", "users:")', true],
    ['hasSuffix("users:1", ":2")', false],
    // JSON and base64
    ['fromJSON("{\\"a\\": [1, 2.5, null]}").a', [1, 2.5, null]],
    ['fromJSON("{}").x ?? "n"', 'n'],
    ['fromJSON("1")', 1],
    ['toBase64("héllo")', 'aMOpbGxv'],
    ['fromBase64("aMOpbGxv")', 'héllo'],
    // collections
    ['first([1, 2, 3])', 1],
    ['first([])', null],
    ['first(nil)', null],
    ['last([1, 2, 3])', 3],
    ['last([])', null],
    ['get({a: 1}, "a")', 1],
    ['get({a: 1}, "b")', null],
    ['get([1, 2], 5)', null],
    ['get(nil, "a")', null],
    ['keys({a: 1, b: 2})', ['a', 'b']],
    ['values({a: 1, b: 2})', [1, 2]],
    ['concat([1], [2, 3], [])', [1, 2, 3]],
    ['flatten([1, [2, [3, [4]]]])', [1, 2, 3, 4]],
    ['uniq([1, 2, 1, 1.0, "a", "a"])', [1, 2, 'a']],
    ['reverse([1, 2, 3])', [3, 2, 1]],
    ['sort([3, 1, 2.5])', [1, 2.5, 3]],
    ['sort(["b", "c", "a"], "desc")', ['c', 'b', 'a']],
  ])('%s', (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });

  it('formats toJSON like json.MarshalIndent (sorted keys, two spaces, HTML escaping)', () => {
    expect(ev('toJSON({b: [1, 2.5], a: "<&>", c: {}, d: [], e: nil, f: true})')).toBe(
      '{\n  "a": "\\u003c\\u0026\\u003e",\n  "b": [\n    1,\n    2.5\n  ],\n  "c": {},\n  "d": [],\n  "e": null,\n  "f": true\n}',
    );
    expect(ev('toJSON(event)', { n: 1e21, s: 'line\nbreak' })).toBe('{\n  "n": 1e+21,\n  "s": "line\\nbreak"\n}');
    expect(ev('toJSON("x")')).toBe('"x"');
    expect(detail('toJSON(0.0 / 0)')).toBe('json: unsupported value: NaN');
  });

  it('round-trips JSON', () => {
    expect(ev('fromJSON(toJSON(event))', { a: [1, { b: 'c' }] })).toEqual({ a: [1, { b: 'c' }] });
  });

  it('parses decimal strings with int() (payments send amounts as strings)', async () => {
    expect(ev('int(event.amount) > 1000', { amount: '1999' })).toBe(true);
    expect(ev('int(event.amount) > 1000', { amount: 1999 })).toBe(true);
    await expect(evaluateVar(compile('int(event.amount)'), { event: { amount: '9223372036854775807' } })).resolves.toBe('9223372036854775807');
  });

  it.each<[string, string]>([
    ['len(1)', 'invalid argument for len (type int)'],
    ['len(nil)', 'invalid argument for len (type <nil>)'],
    ['abs("a")', 'invalid argument for abs (type string)'],
    ['int("19.99")', 'invalid operation: int("19.99")'],
    ['int("abc")', 'invalid operation: int("abc")'],
    ['int(" 1")', 'invalid operation: int(" 1")'],
    ['int("9223372036854775808")', 'invalid operation: int("9223372036854775808")'],
    ['int(nil)', 'invalid operation: int(<nil>)'],
    ['int(true)', 'invalid operation: int(bool)'],
    ['float("x")', 'invalid operation: float("x")'],
    ['float(nil)', 'invalid operation: float(<nil>)'],
    ['upper(1)', 'interface conversion: interface {} is int, not string'],
    ['lower(nil)', 'interface conversion: interface {} is nil, not string'],
    ['split(1, ",")', 'interface conversion: interface {} is int, not string'],
    ['join([1, 2], ",")', 'interface conversion: interface {} is int, not string'],
    ['join("ab")', 'invalid argument for join (type string)'],
    ['repeat("a", -1)', 'strings: negative Repeat count'],
    ['repeat("a", "2")', 'invalid operation: int(string)'],
    ['max(1, "a")', 'invalid argument for max (type string)'],
    ['max([])', 'not enough arguments to call max'],
    ['keys([1])', 'cannot get keys from slice'],
    ['values(nil)', 'cannot get values from invalid'],
    ['fromBase64("!!")', 'illegal base64 data at input byte 0'],
    ['concat([1], 2)', 'invalid argument for concat (type int)'],
    ['sort([1, "a"])', 'invalid argument for sort (type int)'],
    ['sort([nil])', 'invalid argument for sort (type <nil>)'],
    ['sum(["a"])', 'invalid operation: int + string'],
    ['ceil("a")', 'invalid argument for ceil (type string)'],
  ])('%s fails with %s', (source, expected) => {
    expect(detail(source)).toBe(expected);
  });

  it('reports fromJSON parse failures', () => {
    expect(detail('fromJSON("{")')).toMatch(/JSON/);
  });

  it('locates builtin errors at the function name', () => {
    try {
      ev('event.id + int("x")', { id: 1 });
      throw new Error('no error');
    } catch (e) {
      expect((e as Error).message).toBe('invalid operation: int("x") (1:12)\n | event.id + int("x")\n | ...........^');
    }
  });
});
