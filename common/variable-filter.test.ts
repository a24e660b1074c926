import { describe, expect, it } from 'vitest';
import { compareDecimals, formatVariableFilter, matchesVariables, parseVariableFilter, VariableFilterError } from './variable-filter';

const parse = (q: string) => parseVariableFilter(q).map(({ name, op, value }) => ({ name, op, value }));
const failure = (q: string) => {
  try {
    parseVariableFilter(q);
  } catch (err) {
    expect(err).toBeInstanceOf(VariableFilterError);
    const e = err as VariableFilterError;
    return { message: e.message, part: e.part, at: q.slice(e.start, e.end) };
  }
  throw new Error(`'${q}' parsed`);
};

describe('variable filter: the grammar', () => {
  it('reads equality, comparisons and prefixes, joined with and', () => {
    expect(parse('userID = 42')).toEqual([{ name: 'userID', op: 'eq', value: '42' }]);
    expect(parse('amount > 1000 AND currency != EUR')).toEqual([
      { name: 'amount', op: 'gt', value: '1000' },
      { name: 'currency', op: 'ne', value: 'EUR' },
    ]);
    expect(parse('amount>=-12.5 and amount<=3 and amount<9')).toEqual([
      { name: 'amount', op: 'ge', value: '-12.5' },
      { name: 'amount', op: 'le', value: '3' },
      { name: 'amount', op: 'lt', value: '9' },
    ]);
    expect(parse('userID ^= 4')).toEqual([{ name: 'userID', op: 'prefix', value: '4' }]);
    expect(parse('userID = 4*')).toEqual([{ name: 'userID', op: 'prefix', value: '4' }]);
    expect(parse('userID != 4*')).toEqual([{ name: 'userID', op: 'notPrefix', value: '4' }]);
    expect(parse('account = users:001')).toEqual([{ name: 'account', op: 'eq', value: 'users:001' }]);
  });

  it('takes ${names}, quoted values with escapes, a literal * inside quotes, and a quoted prefix', () => {
    expect(parse('${user id} = "a b"')).toEqual([{ name: 'user id', op: 'eq', value: 'a b' }]);
    expect(parse('note = "say \\"hi\\" \\\\ ok"')).toEqual([{ name: 'note', op: 'eq', value: 'say "hi" \\ ok' }]);
    expect(parse('code = "A*B"')).toEqual([{ name: 'code', op: 'eq', value: 'A*B' }]);
    expect(parse('city = "New Y"*')).toEqual([{ name: 'city', op: 'prefix', value: 'New Y' }]);
    expect(parse('x ^= ""')).toEqual([{ name: 'x', op: 'prefix', value: '' }]);
    expect(parse('  ')).toEqual([]);
  });

  it('names the part that is wrong', () => {
    expect(failure('amount > abc')).toMatchObject({ part: 'amount > abc', message: expect.stringContaining('compares numbers') });
    expect(failure('userID 42')).toMatchObject({ part: 'userID 42', message: expect.stringContaining('expected an operator') });
    expect(failure('userID =')).toMatchObject({ part: 'userID =', message: expect.stringContaining('expected a value after =') });
    expect(failure('a = 1 or b = 2')).toMatchObject({ part: 'or', message: expect.stringContaining('no "or"') });
    expect(failure('a = 1 b = 2')).toMatchObject({ part: 'b' });
    expect(failure('a = 1 and')).toMatchObject({ part: 'and', message: expect.stringContaining('must follow') });
    expect(failure('a = "open')).toMatchObject({ message: expect.stringContaining('not closed') });
    expect(failure('${a = 1')).toMatchObject({ message: expect.stringContaining('not closed with }') });
    expect(failure('= 1')).toMatchObject({ part: '=', message: expect.stringContaining('name must come before') });
    expect(failure('a = 4*2')).toMatchObject({ part: '4*2', message: expect.stringContaining('* only goes at the end') });
    expect(failure('a ^= 4*')).toMatchObject({ message: expect.stringContaining('already matches by prefix') });
    expect(failure('a = *')).toMatchObject({ part: '*' });
    expect(failure('a = and b = 1')).toMatchObject({ message: expect.stringContaining('quote "and"') });
    expect(failure('a > 1*')).toMatchObject({ message: expect.stringContaining('compares numbers') });
    expect(failure('"a" = 1')).toMatchObject({ message: expect.stringContaining('not quoted') });
    expect(failure('a = ${b}')).toMatchObject({ message: expect.stringContaining('cannot be a ${variable}') });
    expect(failure(Array.from({ length: 9 }, (_, i) => `v${i} = 1`).join(' and '))).toMatchObject({ message: expect.stringContaining('at most 8') });
    expect(failure('x'.repeat(1001))).toMatchObject({ message: expect.stringContaining('longer than 1000') });
  });

  it('formats conditions back into a query that parses to the same conditions', () => {
    for (const q of ['userID = 42', 'amount > 1000 and currency != EUR', '${user id} = "a b"', 'city = "New Y"*', 'x != 4*', 'code = "A*B"', 'w = "and"']) {
      const once = parseVariableFilter(q);
      expect(parse(formatVariableFilter(once))).toEqual(parse(q));
    }
  });
});

describe('variable filter: matching (the rules the server answers in SQL)', () => {
  const vars = { userID: '42', amount: '1500', currency: 'EUR', big: '90071992547409930', frac: '12.50' };
  const matches = (q: string, v: Record<string, string> | undefined = vars) => matchesVariables(v, parseVariableFilter(q));
  it('text, prefix, numbers; a run without the variable matches nothing on it', () => {
    expect(matches('userID = 42')).toBe(true);
    expect(matches('userID = 4')).toBe(false);
    expect(matches('userID = 4*')).toBe(true);
    expect(matches('userID != 4*')).toBe(false);
    expect(matches('amount > 1000 and currency = EUR')).toBe(true);
    expect(matches('amount > 1500')).toBe(false);
    expect(matches('amount >= 1500')).toBe(true);
    expect(matches('currency > 1')).toBe(false); // not a number
    expect(matches('big > 90071992547409929')).toBe(true); // beyond 2^53, exact
    expect(matches('frac = 12.5')).toBe(false); // = is text
    expect(matches('frac <= 12.5')).toBe(true);
    expect(matches('missing != 1')).toBe(false);
    expect(matchesVariables(undefined, parseVariableFilter('userID = 42'))).toBe(false);
  });

  it('compares decimals exactly', () => {
    expect(compareDecimals('10', '9')).toBe(1);
    expect(compareDecimals('-10', '9')).toBe(-1);
    expect(compareDecimals('-10', '-9')).toBe(-1);
    expect(compareDecimals('0.10', '0.1')).toBe(0);
    expect(compareDecimals('-0', '0')).toBe(0);
    expect(compareDecimals('007', '7')).toBe(0);
    expect(compareDecimals('1.05', '1.5')).toBe(-1);
  });
});
