import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delayDurationProblem, durationMs, formatGoDuration, MAX_DURATION_NS, parseGoDuration } from './duration';

const S = 1_000_000_000n;
const MIN = 60n * S;
const H = 60n * MIN;
const MS = 1_000_000n;

describe('parseGoDuration: the cases of Go’s own time.ParseDuration tests', () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['-0', 0n],
    ['+0', 0n],
    ['5s', 5n * S],
    ['-5s', -5n * S],
    ['+5s', 5n * S],
    ['5.0s', 5n * S],
    ['5.6s', 5n * S + 600n * MS],
    ['5.s', 5n * S],
    ['.5s', 500n * MS],
    ['1.004s', S + 4n * MS],
    ['100.00100s', 100n * S + MS],
    ['10ns', 10n],
    ['11us', 11_000n],
    ['12µs', 12_000n],
    ['12μs', 12_000n],
    ['13ms', 13n * MS],
    ['15m', 15n * MIN],
    ['16h', 16n * H],
    ['3h30m', 3n * H + 30n * MIN],
    ['10.5s4m', 4n * MIN + 10n * S + 500n * MS],
    ['-2m3.4s', -(2n * MIN + 3n * S + 400n * MS)],
    ['1h2m3s4ms5us6ns', H + 2n * MIN + 3n * S + 4n * MS + 5_000n + 6n],
    ['39h9m14.425s', 39n * H + 9n * MIN + 14n * S + 425n * MS],
    ['9007199254740993ns', 9007199254740993n],
    ['9223372036854775807ns', MAX_DURATION_NS],
    ['9223372036854775.807us', MAX_DURATION_NS],
    ['9223372036854.775807ms', MAX_DURATION_NS],
    ['-9223372036854775808ns', -(1n << 63n)],
    ['0.3333333333333333333h', 20n * MIN],
    ['0.100000000000000000000h', 6n * MIN],
    ['0.830103483285477580700h', 49n * MIN + 48n * S + 372539827n],
    ['2562047h47m16.854775807s', MAX_DURATION_NS],
  ])('%s', (text, ns) => expect(parseGoDuration(text)).toBe(ns));

  it.each([
    '',
    '3',
    '-',
    's',
    '.',
    '-.',
    '.s',
    '+.s',
    '1d',
    '5 s',
    '1e3s',
    'abc',
    '9223372036854775808ns',
    '9223372036854775.808us',
    '-9223372036854775809ns',
    '2562047h47m16.854775808s',
    '9999999999999999999h',
    '10000000000000000000h0m0s',
  ])('refuses %j', (text) => expect(parseGoDuration(text)).toBeNull());
});

describe('formatGoDuration', () => {
  it.each<[bigint, string]>([
    [0n, '0s'],
    [5n * S, '5s'],
    [MIN, '1m0s'],
    [H + 30n * MIN, '1h30m0s'],
    [300n * MS, '300ms'],
    [1_500n, '1.5µs'],
    [S + 500n * MS, '1.5s'],
    [-2n * S, '-2s'],
    [MAX_DURATION_NS, '2562047h47m16.854775807s'],
  ])('%s ns → %s', (ns, text) => expect(formatGoDuration(ns)).toBe(text));

  it('round-trips every int64 duration exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_DURATION_NS, max: MAX_DURATION_NS }), (ns) => {
        expect(parseGoDuration(formatGoDuration(ns))).toBe(ns);
      }),
    );
  });
});

describe('delay durations', () => {
  it('accepts zero and positive durations up to Go’s limit', () => {
    for (const ok of ['0', '0s', '1.5s', '2562047h47m16.854775807s']) expect(delayDurationProblem(ok)).toBeUndefined();
  });
  it('says why a duration is refused: syntax, too long, negative', () => {
    expect(delayDurationProblem('5d')).toMatch(/use Go durations/);
    expect(delayDurationProblem('9999999999999999999h')).toMatch(/longer than the longest duration Go accepts \(2562047h47m16\.854775807s\)/);
    expect(delayDurationProblem('-5s')).toMatch(/cannot be negative/);
  });
  it('milliseconds keep sub-millisecond parts', () => {
    expect(durationMs(1_500_000n)).toBe(1.5);
    expect(durationMs(MAX_DURATION_NS)).toBeCloseTo(9223372036854.775, 2);
  });
});
