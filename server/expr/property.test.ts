import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goFloat } from './format.js';
import { compile, evaluateSync, ExprRuntimeError, ExprSyntaxError, formatVarValue } from './index.js';
import { compileRegex, RegexError } from './regex.js';

const ev = (source: string, event: unknown = null) => evaluateSync(compile(source), { event });

/** What evaluate() returns for a Go int64: a number when safe, a bigint otherwise. */
const exported = (v: bigint): number | bigint => {
  const w = BigInt.asIntN(64, v);
  return Number.isSafeInteger(Number(w)) ? Number(w) : w;
};

describe('arithmetic agrees with JavaScript on small integers', () => {
  const small = fc.integer({ min: -1000, max: 1000 });

  it('+ - * / % **', () => {
    fc.assert(
      fc.property(small, small, (a, b) => {
        const A = `(${a})`;
        const B = `(${b})`;
        expect(ev(`${A} + ${B}`)).toBe(a + b);
        expect(ev(`${A} - ${B}`)).toBe(a - b);
        expect(ev(`${A} * ${B}`) === a * b).toBe(true); // 0 vs -0
        expect(ev(`${A} < ${B}`)).toBe(a < b);
        expect(ev(`${A} >= ${B}`)).toBe(a >= b);
        expect(ev(`${A} == ${B}`)).toBe(a === b);
        if (b !== 0) {
          expect(ev(`${A} / ${B}`)).toBe(a / b);
          expect(ev(`${A} % ${B}`)).toBe(Number(BigInt(a) % BigInt(b)));
        }
        if (Math.abs(b) <= 3) expect(ev(`${A} ** ${B}`)).toBe(Math.pow(a, b));
      }),
      { numRuns: 300 },
    );
  });

  type Tree = { n: number } | { op: '+' | '-' | '*'; l: Tree; r: Tree } | { neg: Tree };
  const tree = fc.letrec<{ t: Tree }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ n: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const), l: tie('t'), r: tie('t') }),
      fc.record({ neg: tie('t') }),
    ),
  })).t;

  const value = (t: Tree): bigint =>
    'n' in t
      ? BigInt(t.n)
      : 'neg' in t
        ? BigInt.asIntN(64, -value(t.neg))
        : BigInt.asIntN(64, t.op === '+' ? value(t.l) + value(t.r) : t.op === '-' ? value(t.l) - value(t.r) : value(t.l) * value(t.r));

  const prec = { '+': 30, '-': 30, '*': 60 } as const;
  /** Prints with the fewest parentheses expr-lang's precedence allows. */
  const minimal = (t: Tree, parent = 0, right = false): string => {
    if ('n' in t) return String(t.n);
    if ('neg' in t) return `-${minimal(t.neg, 90)}`;
    const p = prec[t.op];
    const s = `${minimal(t.l, p)} ${t.op} ${minimal(t.r, p, true)}`;
    return p < parent || (p === parent && right) ? `(${s})` : s;
  };
  const full = (t: Tree): string => ('n' in t ? String(t.n) : 'neg' in t ? `(-${full(t.neg)})` : `(${full(t.l)} ${t.op} ${full(t.r)})`);

  it('precedence and associativity of + - * and unary minus', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const expected = exported(value(t));
        expect(ev(minimal(t))).toBe(expected);
        expect(ev(full(t))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

const TOKENS = [
  'event',
  '.',
  'a',
  'b',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  ',',
  ':',
  '?',
  '?.',
  '??',
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '&&',
  '||',
  '!',
  'not',
  'in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  '..',
  '0',
  '1',
  '-1',
  '2.5',
  '"s"',
  '"a.*"',
  '"("',
  'nil',
  'true',
  'false',
  '#',
  '#index',
  '#acc',
  'len',
  'map',
  'filter',
  'any',
  'all',
  'count',
  'sum',
  'reduce',
  'sortBy',
  'groupBy',
  'int',
  'float',
  'string',
  'upper',
  'split',
  'join',
  'toJSON',
  'fromJSON',
  'keys',
  'first',
  'repeat',
  'link',
  'let',
  'x',
  '=',
  ';',
  '|',
  'if',
  'else',
  '`r`',
  "'q'",
  '//',
  '/*',
  '\\',
  '"',
  '@',
  'é',
];
const tokenSoup = fc.tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), fc.constantFrom(' ', '')).map(([tokens, sep]) => tokens.join(sep));

describe('robustness', () => {
  it('compile only ever throws ExprSyntaxError (random strings)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (source) => {
        try {
          compile(source);
        } catch (e) {
          expect(e).toBeInstanceOf(ExprSyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('compile only ever throws ExprSyntaxError (token soup)', () => {
    fc.assert(
      fc.property(tokenSoup, (source) => {
        try {
          compile(source);
        } catch (e) {
          expect(e).toBeInstanceOf(ExprSyntaxError);
          const pos = (e as ExprSyntaxError).position;
          expect(pos.offset).toBeGreaterThanOrEqual(0);
          expect(pos.offset).toBeLessThanOrEqual(source.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('evaluation only ever fails with ExprRuntimeError', () => {
    const payload = fc.record({ a: fc.jsonValue(), b: fc.jsonValue() });
    fc.assert(
      fc.property(tokenSoup, payload, (source, event) => {
        let program;
        try {
          program = compile(source);
        } catch {
          return;
        }
        try {
          evaluateSync(program, { event }, { maxSteps: 20_000 });
        } catch (e) {
          expect(e).toBeInstanceOf(ExprRuntimeError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('toJSON output parses back to the payload', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (event) => {
        expect(JSON.parse(ev('toJSON(event)', event) as string)).toEqual(event);
      }),
      { numRuns: 300 },
    );
  });
});

describe('number formatting', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it('formatVarValue of a float is its JSON form', () => {
    fc.assert(
      fc.property(finite, (x) => {
        expect(formatVarValue(x)).toBe(Object.is(x, -0) ? '-0' : JSON.stringify(x));
      }),
      { numRuns: 1000 },
    );
  });

  it("Go's %v of a float round-trips and uses exponents outside [1e-4, 1e6)", () => {
    fc.assert(
      fc.property(finite, (x) => {
        const s = goFloat(x);
        expect(Number(s)).toBe(x);
        const abs = Math.abs(x);
        if (abs !== 0) expect(/e[+-]\d\d/.test(s)).toBe(abs < 1e-4 || abs >= 1e6);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('regular expressions agree with JavaScript on a common subset', () => {
  const pattern = fc
    .array(fc.constantFrom('a', 'b', '.', '*', '+', '?', '|', '(', ')', '[ab]', '[^a]', '^', '$', '\\d', '1', '(?:'), {
      maxLength: 12,
    })
    .map((p) => p.join(''));
  const input = fc.array(fc.constantFrom('a', 'b', '1', 'c', '\n'), { maxLength: 12 }).map((s) => s.join(''));

  it('same verdicts', () => {
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        let js: RegExp;
        try {
          js = new RegExp(p);
        } catch {
          return; // not a valid JavaScript pattern; RE2 may still accept it (e.g. `^*`)
        }
        let re;
        try {
          re = compileRegex(p);
        } catch (e) {
          expect(e).toBeInstanceOf(RegexError);
          throw new Error(`JavaScript accepts ${p} but the RE2 engine rejects it`);
        }
        expect(re.test(s)).toBe(js.test(s));
      }),
      { numRuns: 3000 },
    );
  });
});
