import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from './json';

describe('parseJsonLossless', () => {
  it('parses ordinary JSON like JSON.parse', () => {
    const text = '{"a":[1,2.5,-3e2,true,false,null,"x\\"y\\u00e9"],"b":{}}';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  it('keeps integers beyond 2^53 exact as strings', () => {
    const v = parseJsonLossless('{"amount":123456789012345678901234567890,"small":42,"edge":9007199254740991}') as Record<string, unknown>;
    expect(v.amount).toBe('123456789012345678901234567890');
    expect(v.small).toBe(42);
    expect(v.edge).toBe(9007199254740991);
  });

  it('keeps negative big integers and leaves long digit strings alone', () => {
    const v = parseJsonLossless('[-99999999999999999999, "12345678901234567890", 1.5e300]') as unknown[];
    expect(v).toEqual(['-99999999999999999999', '12345678901234567890', 1.5e300]);
  });

  it('keeps integers of any length: a 5,000-digit amount is a value, not a parse error', () => {
    const huge = '1'.repeat(5000);
    expect(parseJsonLossless(`{"data":[{"amount":${huge},"asset":"USD/2"}],"hasMore":false}`)).toEqual({ data: [{ amount: huge, asset: 'USD/2' }], hasMore: false });
  });

  it('rejects malformed input', () => {
    expect(() => parseJsonLossless('{"a":12345678901234567890')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('[12345678901234567890,]')).toThrow(SyntaxError);
  });

  it('does not let __proto__ pollute the prototype', () => {
    const v = parseJsonLossless('{"__proto__":{"polluted":1},"n":12345678901234567890}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toContain('__proto__');
  });
});
