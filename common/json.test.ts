import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless, stringifyJson } from './json';

const asBigInt = (text: string) => parseJsonLossless(text, BigInt);

describe('lossless JSON', () => {
  it('keeps integers of any length exact (a 5,000-digit amount included)', () => {
    const huge = '9'.repeat(5000);
    expect(asBigInt(`{"amount":${huge},"next":1}`)).toEqual({ amount: BigInt(huge), next: 1 });
    expect(parseJsonLossless(`[${huge}, -${huge}]`, (d) => d)).toEqual([huge, `-${huge}`]);
    expect(asBigInt('{"a":9007199254740993,"b":9007199254740991,"c":1e300,"d":12345678901234567.5}')).toEqual({
      a: 9007199254740993n,
      b: 9007199254740991,
      c: 1e300,
      d: Number('12345678901234567.5'), // a fraction is a double, rounded as JSON.parse rounds it
    });
  });

  it('is JSON.parse for everything else, errors included', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        // With rounding put back, the result is JSON.parse's, number for number.
        expect(parseJsonLossless(text, Number)).toEqual(JSON.parse(text));
      }),
    );
    expect(() => asBigInt('{"a": 12345678901234567890,}')).toThrow(SyntaxError);
    const proto = asBigInt('{"__proto__": {"x": 12345678901234567890}}') as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value).toEqual({ x: 12345678901234567890n });
  });

  it('writes bigints as exact number literals and round-trips', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }), fc.string(), (n, s) => {
        const text = stringifyJson({ n, s, list: [n] });
        expect(asBigInt(text)).toEqual({ n: Number.isSafeInteger(Number(n)) ? Number(n) : n, s, list: [Number.isSafeInteger(Number(n)) ? Number(n) : n] });
      }),
    );
  });

  it('never turns a string into a number, whatever it spells', () => {
    const hostile = { v: '\u0000bigint:0', w: '\u0000bigintabc:0' };
    expect(JSON.parse(stringifyJson({ ...hostile, n: 10n ** 30n }))).toMatchObject(hostile);
  });
});
