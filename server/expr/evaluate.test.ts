import { describe, expect, it, vi } from 'vitest';
import { compile, evaluate, evaluateSync, evaluateVar, ExprRuntimeError, type EvaluateOptions } from './index.js';

const ev = (source: string, event: unknown = null, options?: EvaluateOptions) => evaluateSync(compile(source), { event }, options);

function runtimeError(source: string, event: unknown = null, options?: EvaluateOptions): ExprRuntimeError {
  try {
    ev(source, event, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprRuntimeError);
    return e as ExprRuntimeError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

const message = (source: string, event: unknown = null) => runtimeError(source, event).message;
const detail = (source: string, event: unknown = null) => runtimeError(source, event).detail;

describe('literals and identifiers', () => {
  it.each<[string, unknown]>([
    ['42', 42],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000_000', 1000000],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['"double"', 'double'],
    ["'single'", 'single'],
    ['`raw`', 'raw'],
    ['true', true],
    ['false', false],
    ['nil', null],
    ['[1, "a", nil, [true]]', [1, 'a', null, [true]]],
    ['{a: 1, "b c": 2, 3: "three", ("k" + "ey"): nil}', { a: 1, 'b c': 2, '3': 'three', key: null }],
    ['[]', []],
    ['{}', {}],
  ])('%s', (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });

  it('binds only `event`; other identifiers are nil', () => {
    expect(ev('event', { a: 1 })).toEqual({ a: 1 });
    expect(ev('payload')).toBeNull();
    expect(ev('link')).toBeNull();
    expect(ev('len')).toBeNull();
    expect(ev('$env.event.a', { a: 1 })).toBe(1);
    expect(ev('event')).toBeNull();
  });

  it('returns maps as plain objects and integers as numbers', () => {
    const m = ev('{a: 1}') as object;
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(ev('1 + 1')).toBe(2);
    expect(ev('9223372036854775807')).toBe(9223372036854775807n);
  });

  it('returns payload values unchanged', () => {
    const event = { nested: { list: [1, 2] } };
    expect(ev('event.nested', event)).toBe(event.nested);
  });
});

describe('precedence and associativity', () => {
  it.each<[string, unknown]>([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['7 % 4 * 2', 6],
    ['2 * 3 ** 2', 18],
    ['2 ** 3 ** 2', 512],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ** 2', -4],
    ['-3 + 5', 2],
    ['+3', 3],
    ['1 + 2 == 3', true],
    ['1 < 2 == true', true],
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['false && true || true', true],
    ['!true || true', true],
    ['not true == false', true],
    ['!(1 == 1)', false],
    ['1 + 2 in [3]', true],
    ['1..3 == [1, 2, 3]', true],
    ['true ? 1 : 2 + 3', 1],
    ['false ? 1 : 2 + 3', 5],
    ['false ? 1 : true ? 2 : 3', 2],
    ['1 + nil ?? 2', 3],
    ['nil ?? nil ?? 3', 3],
    ['1 < 2 < 3', true],
    ['3 > 2 > 1', true],
    ['1 < 3 < 2', false],
    ['1 <= 1 < 2 <= 2', true],
    ['"a" + "b" == "ab"', true],
    ['2 * (3 + 4) - 5 % 3', 12],
    ['1 == 1 and 2 == 2 or false', true],
    ['1 in [1] && 2 not in [1]', true],
    ['"abc" contains "b" == true', true],
    ['[1, 2, 3] | len()', 3],
  ])('%s', (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });
});

describe('arithmetic', () => {
  it('keeps integers integral and makes `/` and `**` floats', async () => {
    expect(await evaluateVar(compile('7 / 2'), { event: null })).toBe('3.5');
    expect(await evaluateVar(compile('6 / 2'), { event: null })).toBe('3');
    expect(ev('6 / 2')).toBe(3);
    expect(ev('2 ** 10')).toBe(1024);
    expect(ev('2 ** 0.5')).toBeCloseTo(Math.SQRT2);
    expect(ev('7 % 3')).toBe(1);
    expect(ev('-7 % 3')).toBe(-1);
    expect(ev('1.5 + 1')).toBe(2.5);
    expect(ev('1 - 0.25')).toBe(0.75);
    expect(ev('3 * 0.5')).toBe(1.5);
    expect(ev('1 / 0')).toBe(Infinity);
  });

  it('wraps 64-bit integer overflow like Go', () => {
    expect(ev('9223372036854775807 + 1')).toBe(-9223372036854775808n);
    expect(ev('-(-9223372036854775807 - 1)')).toBe(-9223372036854775808n);
  });

  it('treats JSON numbers as float64 and bigints as integers', () => {
    expect(ev('event.a + event.b', { a: 1, b: 2 })).toBe(3);
    expect(ev('event.n % 10', { n: 1234n })).toBe(4);
    expect(detail('event.amount % 100', { amount: 1999 })).toBe('invalid operation: float64 % int');
    expect(ev('int(event.amount) % 100', { amount: 1999 })).toBe(99);
  });

  it('concatenates strings with +', () => {
    expect(ev('"pay_" + event.id', { id: '42' })).toBe('pay_42');
  });

  it.each<[string, string]>([
    ['"a" + 1', 'invalid operation: string + int (1:5)\n | "a" + 1\n | ....^'],
    ['a + b', 'invalid operation: <nil> + <nil> (1:3)\n | a + b\n | ..^'],
    ['1 - "a"', 'invalid operation: int - string (1:3)\n | 1 - "a"\n | ..^'],
    ['[1] * 2', 'invalid operation: []interface {} * int (1:5)\n | [1] * 2\n | ....^'],
    ['{} / 2', 'invalid operation: map[string]interface {} / int (1:4)\n | {} / 2\n | ...^'],
    ['1.5 % 2', 'invalid operation: float64 % int (1:5)\n | 1.5 % 2\n | ....^'],
    ['1 % 0', 'runtime error: integer divide by zero (1:3)\n | 1 % 0\n | ..^'],
    ['"a" ** 2', 'invalid operation: float(string) (1:5)\n | "a" ** 2\n | ....^'],
    ['-"a"', 'invalid operation: - string (1:1)\n | -"a"\n | ^'],
    ['true + true', 'invalid operation: bool + bool (1:6)\n | true + true\n | .....^'],
  ])('type error %s', (source, expected) => {
    expect(message(source)).toBe(expected);
  });

  it('locates errors on later lines', () => {
    expect(message('event.a +\n  1', { a: 'x' })).toBe('invalid operation: string + int (1:9)\n | event.a +\n | ........^');
    expect(runtimeError('1 +\n"a"').position).toEqual({ offset: 2, line: 1, column: 3 });
  });
});

describe('comparison and equality', () => {
  it.each<[string, unknown, unknown]>([
    ['1 == 1.0', null, true],
    ['1 != 2', null, true],
    ['"1" == 1', null, false],
    ['nil == nil', null, true],
    ['event.missing == nil', {}, true],
    ['event.n == 1', { n: 1 }, true],
    ['[1, "a"] == [1, "a"]', null, true],
    ['{a: [1]} == {a: [1]}', null, true],
    ['[1] == [1.0]', null, false], // Go's reflect.DeepEqual: int and float64 differ inside containers
    ['event.list == [1]', { list: [1] }, false],
    ['event.list == [1.0]', { list: [1] }, true],
    ['1 in event.list', { list: [1] }, true],
    ['true == true', null, true],
    ['2 > 1.5', null, true],
    ['1 <= 1', null, true],
    ['"abc" < "abd"', null, true],
    ['"b" >= "a"', null, true],
    ['event.amount > 100000', { amount: 250000 }, true],
  ])('%s', (source, event, expected) => {
    expect(ev(source, event)).toBe(expected);
  });

  it('rejects ordering across types', () => {
    expect(message('"a" < 1')).toBe('invalid operation: string < int (1:5)\n | "a" < 1\n | ....^');
    expect(detail('event.amount > 1000', { amount: '1999' })).toBe('invalid operation: string > int');
    expect(detail('nil >= 1')).toBe('invalid operation: <nil> >= int');
    expect(detail('[1] < [2]')).toBe('invalid operation: []interface {} < []interface {}');
  });
});

describe('logical operators', () => {
  it('short-circuits', () => {
    expect(ev('false && event.a.b.c')).toBe(false);
    expect(ev('true || event.a.b.c')).toBe(true);
    expect(ev('false and 1 / "x"')).toBe(false);
  });

  it('requires a boolean left operand (the right one is returned as is, like expr-lang)', () => {
    expect(message('1 && true')).toBe('interface conversion: interface {} is int, not bool (1:3)\n | 1 && true\n | ..^');
    expect(detail('nil || true')).toBe('interface conversion: interface {} is nil, not bool');
    expect(detail('!"x"')).toBe('interface conversion: interface {} is string, not bool');
    expect(detail('not 1')).toBe('interface conversion: interface {} is int, not bool');
    expect(ev('true && 1')).toBe(1);
    expect(ev('false || "x"')).toBe('x');
  });

  it('evaluates the ternary operator and if/else', () => {
    expect(ev('event.n > 1 ? "big" : "small"', { n: 2 })).toBe('big');
    expect(ev('event.v ?: "default"', { v: false })).toBe('default');
    expect(ev('event.v ?: "default"', { v: true })).toBe(true);
    expect(ev('if 1 > 2 { "a" } else if 2 > 1 { "b" } else { "c" }')).toBe('b');
    expect(message('1 ? 2 : 3')).toBe('interface conversion: interface {} is int, not bool (1:3)\n | 1 ? 2 : 3\n | ..^');
  });
});

describe('string operators', () => {
  it.each<[string, boolean]>([
    ['"hello" contains "ell"', true],
    ['"hello" contains "xyz"', false],
    ['"hello" startsWith "he"', true],
    ['"hello" endsWith "lo"', true],
    ['"hello" not contains "xyz"', true],
    ['"hello" not startsWith "he"', false],
    ['"hello" not endsWith "x"', true],
    ['"PAY-IN" matches "^PAY-(IN|OUT)$"', true],
    ['"payout" matches "(?i)^PAYOUT$"', true],
    ['"abc" not matches "\\\\d"', true],
    ['"a1" matches "\\\\d"', true],
  ])('%s', (source, expected) => {
    expect(ev(source)).toBe(expected);
  });

  it('matches against a pattern computed at run time', () => {
    expect(ev('event.name matches event.pattern', { name: 'users:42', pattern: '^users:\\d+$' })).toBe(true);
    expect(detail('"a" matches event.p', { p: '(' })).toBe('error parsing regexp: missing closing ): `(`');
  });

  it('requires strings', () => {
    expect(message('1 contains "a"')).toBe('interface conversion: interface {} is int, not string (1:3)\n | 1 contains "a"\n | ..^');
    expect(detail('event.x startsWith "a"', {})).toBe('interface conversion: interface {} is nil, not string');
    expect(detail('"a" matches 1')).toBe('interface conversion: interface {} is int, not string');
    expect(detail('"a" endsWith nil')).toBe('interface conversion: interface {} is nil, not string');
  });
});

describe('in', () => {
  it.each<[string, unknown, boolean]>([
    ['"a" in ["a", "b"]', null, true],
    ['"c" in ["a", "b"]', null, false],
    ['1 in [1.0, 2]', null, true],
    ['"a" in {a: nil}', null, true],
    ['"k" in event', { k: 1 }, true],
    ['"toString" in event', {}, false],
    ['"x" in event.missing', {}, false],
    ['"a" not in ["a"]', null, false],
  ])('%s', (source, event, expected) => {
    expect(ev(source, event)).toBe(expected);
  });

  it('fails on scalars', () => {
    expect(message('"a" in "abc"')).toBe('operator "in" not defined on string (1:5)\n | "a" in "abc"\n | ....^');
    expect(detail('1 in {a: 1}')).toBe('reflect.Value.MapIndex: value of type int is not assignable to type string');
  });
});

describe('member access', () => {
  const event = {
    id: 'pay_1',
    metadata: { walletID: 'w1', 'with space': 1 },
    list: [10, 20, 30],
    nested: { deeper: { value: 'x' } },
    nothing: null,
  };

  it.each<[string, unknown]>([
    ['event.id', 'pay_1'],
    ['event.metadata.walletID', 'w1'],
    ['event["metadata"]["with space"]', 1],
    ['event.nested.deeper.value', 'x'],
    ['event.list[0]', 10],
    ['event.list[-1]', 30],
    ['event.list[1.9]', 20],
    ['event.missing', null],
    ['event.metadata.missing', null],
    ['event.nothing', null],
    ['event.constructor', null],
    ['event.__proto__', null],
    ['event["toString"]', null],
    ['event[nil]', null],
    ['"abc"[0]', 97],
    ['"abc"[-1]', 99],
    ['{a: {b: 1}}.a.b', 1],
    ['[[1, 2], [3]][1][0]', 3],
  ])('%s', (source, expected) => {
    expect(ev(source, event)).toEqual(expected);
  });

  it('fails when fetching through nil, with the position of the field', () => {
    expect(message('event.missing.field', event)).toBe('cannot fetch field from <nil> (1:15)\n | event.missing.field\n | ..............^');
    expect(message('event.foo', null)).toBe('cannot fetch foo from <nil> (1:7)\n | event.foo\n | ......^');
    expect(detail('event.nothing[0]', event)).toBe('cannot fetch 0 from <nil>');
  });

  it('fails on scalars, bad indexes and out-of-range indexes', () => {
    expect(detail('event.id.x', event)).toBe('invalid operation: int(string)');
    expect(detail('event.list.first', event)).toBe('invalid operation: int(string)');
    expect(detail('(1).x')).toBe('cannot fetch x from int');
    expect(detail('(true).x')).toBe('cannot fetch x from bool');
    expect(detail('event.n.x', { n: 1.5 })).toBe('cannot fetch x from float64');
    expect(message('event.list[5]', event)).toBe('index out of range: 5 (array length is 3) (1:11)\n | event.list[5]\n | ..........^');
    expect(detail('event.list[-4]', event)).toBe('index out of range: -1 (array length is 3)');
    expect(detail('event.metadata[1]', event)).toBe('reflect.Value.MapIndex: value of type int is not assignable to type string');
  });

  it('slices arrays and strings', () => {
    expect(ev('[1, 2, 3, 4][1:3]')).toEqual([2, 3]);
    expect(ev('[1, 2, 3, 4][2:]')).toEqual([3, 4]);
    expect(ev('[1, 2, 3, 4][:2]')).toEqual([1, 2]);
    expect(ev('[1, 2, 3, 4][-2:]')).toEqual([3, 4]);
    expect(ev('[1, 2, 3, 4][:]')).toEqual([1, 2, 3, 4]);
    expect(ev('[1, 2, 3][2:1]')).toEqual([]);
    expect(ev('[1, 2, 3][0:99]')).toEqual([1, 2, 3]);
    expect(ev('"hello"[1:3]')).toBe('el');
    expect(ev('"hello"[-3:]')).toBe('llo');
    expect(detail('(1)[1:2]')).toBe('cannot slice 1');
  });

  it('reports calls of methods, which JSON values do not have', () => {
    expect(detail('event.id.upper()', event)).toBe('cannot call upper: string has no methods');
    expect(detail('event.missing.f()', event)).toBe('cannot fetch f from <nil>');
    expect(ev('event.missing?.f()', event)).toBeNull();
  });
});

describe('optional chaining and nil coalescing', () => {
  it.each<[string, unknown, unknown]>([
    ['event.metadata?.walletID', {}, null],
    ['event.metadata?.walletID', { metadata: { walletID: 'w' } }, 'w'],
    ['event.a?.b.c.d', {}, null],
    ['event?.a', null, null],
    ['event.a?.[0]', {}, null],
    ['event.a?.[0]', { a: [5] }, 5],
    ['event.a?.b[0]', {}, null],
    ['event.a?.b[1:]', {}, null],
    ['(event.a?.b).c', {}, null],
    ['event.metadata?.walletID ?? ""', { id: 1 }, ''],
    ['event.metadata?.walletID ?? "none"', { metadata: { walletID: 'w' } }, 'w'],
    ['event.flag ?? true', { flag: false }, false],
    ['event.zero ?? 1', { zero: 0 }, 0],
    ['event.a ?? event.b ?? "c"', {}, 'c'],
    ['nil ?? [1][0]', null, 1],
  ])('%s with %j', (source, event, expected) => {
    expect(ev(source, event)).toEqual(expected);
  });

  it('only the optional step tolerates nil', () => {
    expect(detail('event.a?.b.c', { a: {} })).toBe('cannot fetch c from <nil>');
    expect(detail('event.a.b ?? 1', {})).toBe('cannot fetch b from <nil>');
  });

  it('does not evaluate the right side of ?? when the left is not nil', () => {
    expect(ev('1 ?? event.a.b.c')).toBe(1);
  });
});

describe('predicates, closures, let, pipes and ranges', () => {
  const event = {
    transactions: [
      { id: 1, amount: 5, postings: [{ asset: 'USD' }] },
      { id: 2, amount: 50, postings: [{ asset: 'EUR' }, { asset: 'USD' }] },
    ],
  };

  it.each<[string, unknown]>([
    ['any(event.transactions, {.amount > 10})', true],
    ['all(event.transactions, {.amount > 10})', false],
    ['none(event.transactions, .amount > 100)', true],
    ['one(event.transactions, #.amount > 10)', true],
    ['filter(event.transactions, .amount > 10)[0].id', 2],
    ['map(event.transactions, .id)', [1, 2]],
    ['map(event.transactions, #index)', [0, 1]],
    ['count(event.transactions, .amount >= 5)', 2],
    ['count([true, false, true])', 2],
    ['sum(event.transactions, .amount)', 55],
    ['sum([1, 2.5])', 3.5],
    ['sum([])', 0],
    ['find(event.transactions, .amount > 10).id', 2],
    ['find(event.transactions, .amount > 100)', null],
    ['findIndex(event.transactions, .amount > 10)', 1],
    ['findLast(event.transactions, .amount > 0).id', 2],
    ['findLastIndex(event.transactions, .amount > 0)', 1],
    ['any(event.transactions, {any(.postings, {.asset == "EUR"})})', true],
    ['map([[1, 2], [3]], sum(#))', [3, 3]],
    [
      'map([1, 2], {map([10, 20], {# + 1})})',
      [
        [11, 21],
        [11, 21],
      ],
    ],
    ['reduce([1, 2, 3], #acc + #)', 6],
    ['reduce([1, 2, 3], #acc + #, 10)', 16],
    ['reduce([1, 2, 3], #acc + #index, 0)', 3],
    ['groupBy([1, 2, 3, 4], # % 2 == 0)', { false: [1, 3], true: [2, 4] }],
    ['groupBy(event.transactions, .postings[0].asset).EUR[0].id', 2],
    ['groupBy(event.transactions, .postings[0].asset).GBP', undefined],
    ['sortBy(event.transactions, .amount, "desc")[0].id', 2],
    ['sortBy(["b", "a", "c"], #)', ['a', 'b', 'c']],
    ['filter([1, 2, 3], # > 1) | map(# * 10)', [20, 30]],
    ['event.transactions | filter(.amount > 10) | len()', 1],
    ['"abc" | upper()', 'ABC'],
    ['let x = 2; x * 3', 6],
    ['let x = 1; let y = x + 1; [x, y]', [1, 2]],
    ['let event = 5; event', 5],
    ['1; 2; 3', 3],
    ['1..3', [1, 2, 3]],
    ['3..1', []],
    ['1.9..3', [1, 2, 3]],
    ['map(1..3, # * #)', [1, 4, 9]],
    ['filter(1..10, # % 3 == 0)', [3, 6, 9]],
  ])('%s', (source, expected) => {
    const result = ev(source, event);
    if (expected === undefined) expect(result).toBeNull();
    else expect(result).toEqual(expected);
  });

  it('reports predicate errors', () => {
    expect(message('filter([1], # + 1)')).toBe('interface conversion: interface {} is int, not bool (1:1)\n | filter([1], # + 1)\n | ^');
    expect(detail('any(event.missing, # > 1)', {})).toBe('invalid argument for any (type <nil>)');
    expect(detail('map({a: 1}, #)')).toBe('invalid argument for map (type map[string]interface {})');
    expect(detail('reduce([], #acc)')).toBe('reduce of empty array with no initial value');
    expect(detail('sortBy([1, "a"], #)')).toBe('invalid argument for sortBy (type int)');
    expect(detail('sortBy([1], #, "up")')).toBe('unknown order, use asc or desc');
    expect(message('map([1, 2], # + "a")')).toBe('invalid operation: int + string (1:15)\n | map([1, 2], # + "a")\n | ..............^');
    expect(detail('"a"..3')).toBe('invalid operation: int(string)');
  });
});

describe('functions', () => {
  it('fails on unknown functions at run time', () => {
    expect(message('foo(1)')).toBe('unknown func foo (1:1)\n | foo(1)\n | ^');
    expect(ev('false && foo(1)')).toBe(false);
  });

  it('evaluates arguments before calling', () => {
    expect(detail('foo(event.a.b)', {})).toBe('cannot fetch b from <nil>');
  });
});

describe('link()', () => {
  const event = {
    id: 'pay_1',
    links: [
      { name: 'source_account', uri: 'http://stack/api/payments/v3/accounts/a1' },
      { name: 'destination_account', uri: 'http://stack/api/payments/v3/accounts/a2' },
    ],
  };

  it('fails when no resolver is configured', async () => {
    await expect(evaluate(compile('link(event, "source_account")'), { event })).rejects.toThrow('link is not available (1:1)\n | link(event, "source_account")\n | ^');
    expect(() => ev('link(event, "x")', event)).toThrow('link is not available');
  });

  it('calls the resolver once per link and continues with its result', async () => {
    const link = vi.fn(async (_obj: unknown, rel: unknown) =>
      rel === 'source_account' ? { id: 'a1', name: 'Source', metadata: { formanceAccountID: 'users:1' } } : { id: 'a2', name: 'Dest' },
    );
    const program = compile('link(event, "source_account").name + " -> " + link(event, "destination_account").name');
    await expect(evaluate(program, { event }, { link })).resolves.toBe('Source -> Dest');
    expect(link).toHaveBeenCalledTimes(2);
    expect(link.mock.calls[0]).toEqual([event, 'source_account']);
    expect(link.mock.calls[1]![1]).toBe('destination_account');
    await expect(evaluateVar(compile('link(event, "source_account").metadata.formanceAccountID'), { event }, { link })).resolves.toBe('users:1');
  });

  it('passes non-string relations through to the resolver', async () => {
    const link = vi.fn(async () => 'ok');
    await expect(evaluate(compile('link(event, 1)'), { event }, { link })).resolves.toBe('ok');
    expect(link).toHaveBeenCalledWith(event, 1);
  });

  it('does not call the resolver for short-circuited branches', async () => {
    const link = vi.fn(async () => ({}));
    await evaluate(compile('false && link(event, "x") != nil'), { event }, { link });
    expect(link).not.toHaveBeenCalled();
  });

  it('turns resolver failures into runtime errors with the bare message', async () => {
    const failure = new Error("link 'nope' not defined for object");
    const link = vi.fn(async () => {
      throw failure;
    });
    const err = await evaluate(compile('event.id + link(event, "nope").name'), { event }, { link }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExprRuntimeError);
    const e = err as ExprRuntimeError;
    expect(e.message).toBe("link 'nope' not defined for object");
    expect(e.link).toBe(true);
    expect(e.cause).toBe(failure);
    expect(e.position).toEqual({ offset: 11, line: 1, column: 12 });
  });

  it('checks the argument count like upstream', async () => {
    const link = vi.fn(async () => ({}));
    const err = (await evaluate(compile('link(event)'), { event }, { link }).catch((e: unknown) => e)) as ExprRuntimeError;
    expect(err.message).toBe('expect two arguments, got 1');
    expect(err.link).toBe(true);
    expect(link).not.toHaveBeenCalled();
  });

  it('caps the number of link() calls', async () => {
    const link = vi.fn(async () => ({ ok: true }));
    const err = (await evaluate(compile('map(1..50, link(event, "x"))'), { event }, { link }).catch((e: unknown) => e)) as ExprRuntimeError;
    expect(err.detail).toBe('too many link() calls (at most 10 per evaluation)');
    expect(link).toHaveBeenCalledTimes(10);
  });

  it('converts integers passed to the resolver', async () => {
    const link = vi.fn(async (_obj: unknown, _rel: unknown) => null);
    await evaluate(compile('link({links: [], n: 1}, "x")'), { event }, { link });
    expect(link.mock.calls[0]![0]).toEqual({ links: [], n: 1 });
  });
});

describe('budgets', () => {
  it('limits evaluation steps', () => {
    expect(runtimeError('1 + 1 + 1 + 1', null, { maxSteps: 3 }).detail).toBe('evaluation budget exceeded (more than 3 steps)');
    expect(runtimeError('map(1..1000, map(1..1000, #))').detail).toMatch(/budget exceeded/);
  });

  it('limits memory', () => {
    expect(detail('1..100000000')).toBe('memory budget exceeded');
    expect(detail('repeat("a", 2000000)')).toBe('memory budget exceeded');
    expect(runtimeError('[1, 2, 3]', null, { maxMemory: 2 }).detail).toBe('memory budget exceeded');
    expect(runtimeError('repeat("ab", 10) + "c"', null, { maxChars: 15 }).detail).toBe('memory budget exceeded');
  });

  it('charges regular-expression work to the step budget', () => {
    const event = { s: 'a'.repeat(200_000) };
    expect(runtimeError('event.s matches "(a|b)*c"', event, { maxSteps: 1000 }).detail).toMatch(/evaluation budget exceeded/);
    expect(ev('event.s matches "(a|b)*c"', event)).toBe(false);
  });

  it('shares the step budget across link() replays', async () => {
    const link = vi.fn(async () => ({ v: 1 }));
    const program = compile('map(1..5, link(event, "x").v)');
    await expect(evaluate(program, { event: {} }, { link, maxSteps: 30 })).rejects.toThrow(/budget exceeded/);
  });
});

describe('evaluate()', () => {
  it('is asynchronous and rejects with ExprRuntimeError', async () => {
    await expect(evaluate(compile('event.a'), { event: { a: 1 } })).resolves.toBe(1);
    await expect(evaluate(compile('event.a.b'), { event: {} })).rejects.toBeInstanceOf(ExprRuntimeError);
  });

  it('rejects values that are not programs', async () => {
    await expect(evaluate({ source: 'x' } as never, { event: null })).rejects.toBeInstanceOf(TypeError);
  });

  it('can be run many times with different payloads', async () => {
    const program = compile('event.status == "SUCCEEDED"');
    expect(await evaluate(program, { event: { status: 'SUCCEEDED' } })).toBe(true);
    expect(await evaluate(program, { event: { status: 'PENDING' } })).toBe(false);
  });
});
