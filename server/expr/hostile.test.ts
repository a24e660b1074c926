// Hostile input: whatever a trigger author writes or a payload contains, compile() only throws
// ExprSyntaxError and evaluation only fails with ExprRuntimeError, quickly, without overflowing the
// stack or exhausting memory.

import { describe, expect, it } from 'vitest';
import { compile, evaluate, evaluateSync, ExprRuntimeError, ExprSyntaxError, formatVarValue, MAX_NESTING } from './index.js';

function syntaxDetail(source: string): string {
  try {
    compile(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprSyntaxError);
    return (e as ExprSyntaxError).detail;
  }
  throw new Error('expected a syntax error');
}

function runtimeDetail(source: string, event: unknown = null): string {
  try {
    evaluateSync(compile(source), { event });
  } catch (e) {
    expect(e).toBeInstanceOf(ExprRuntimeError);
    return (e as ExprRuntimeError).detail;
  }
  throw new Error('expected a runtime error');
}

describe('deep nesting is a syntax error, never a stack overflow', () => {
  it.each([
    ['parentheses', `${'('.repeat(4999)}1${')'.repeat(4999)}`],
    ['unclosed parentheses', '('.repeat(9999)],
    ['negations', `${'!'.repeat(9000)}true`],
    ['unary minus', `${'-'.repeat(9000)}1`],
    ['arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['maps', '{a:'.repeat(2500)],
    ['calls', 'f('.repeat(5000)],
    ['right-associative power', `1${'**1'.repeat(3000)}`],
    ['ternaries', 'true ? '.repeat(1400)],
    ['predicates', 'map(x, '.repeat(1400)],
  ])('%s', (_name, source) => {
    expect(syntaxDetail(source)).toBe(`expression is nested too deeply (more than ${MAX_NESTING} levels)`);
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_NESTING - 1;
    expect(evaluateSync(compile(`${'('.repeat(depth)}1${')'.repeat(depth)}`), { event: null })).toBe(1);
  });

  it.each([
    ['additions', `1${'+1'.repeat(4999)}`],
    ['conjunctions', `true${'&&true'.repeat(1600)}`],
    ['member chains', `event${'.a'.repeat(4990)}`],
    ['index chains', `event${'[0]'.repeat(3000)}`],
    ['pipes', `x${' | f()'.repeat(1400)}`],
    ['comparison chains', `1${' < 2'.repeat(2400)}`],
  ])('long flat chains: %s', (_name, source) => {
    expect(syntaxDetail(source)).toMatch(/^expression is too complex \(more than \d+ nested operations\)$/);
  });

  it('evaluates moderately long chains', () => {
    expect(evaluateSync(compile(`1${'+1'.repeat(300)}`), { event: null })).toBe(301);
    const ids = Array.from({ length: 150 }, (_, i) => `event.id == "p${i}"`).join(' || ');
    expect(evaluateSync(compile(ids), { event: { id: 'p149' } })).toBe(true);
  });
});

describe('huge input', () => {
  it('rejects over-long sources immediately', () => {
    const started = Date.now();
    expect(syntaxDetail('a'.repeat(1_000_000))).toMatch(/too long/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('handles a string literal filling the whole source', () => {
    const s = 'x'.repeat(9_998);
    expect(evaluateSync(compile(`"${s}"`), { event: null })).toBe(s);
  });

  it('handles huge payload strings', () => {
    const event = { s: `${'a'.repeat(5_000_000)}b` };
    expect(evaluateSync(compile('len(event.s)'), { event })).toBe(5_000_001);
    expect(evaluateSync(compile('event.s endsWith "b" && event.s contains "ab"'), { event })).toBe(true);
    expect(runtimeDetail('event.s matches "(a+)+c$"', event)).toMatch(/evaluation budget exceeded/);
  });

  it('survives garbage sources', () => {
    for (const source of ['\u0000', '\ud800', '"\ud800"', '\u{10FFFF}', '\\', '"\\', "'", '`', '/*', '?.', '..', '#.']) {
      try {
        compile(source);
      } catch (e) {
        expect(e).toBeInstanceOf(ExprSyntaxError);
      }
    }
  });
});

describe('budgets stop runaway evaluation quickly', () => {
  it.each([
    ['nested maps', 'map(1..1000, map(1..1000, #))'],
    ['big ranges', '1..50000000'],
    ['repeat', 'repeat("abc", 999999) + repeat("abc", 999999) + repeat("abc", 999999)'],
    ['nested repeat', 'repeat(repeat("a", 100000), 100000)'],
    ['quadratic string growth', 'reduce(1..100000, #acc + "0123456789", "")'],
    ['sorting large inputs', 'sort(map(1..300000, -#))'],
    ['split bombs', 'split(repeat("a,", 999999) + repeat("a,", 999999), ",")'],
    ['uniq', 'uniq(1..20000)'],
  ])('%s', (_name, source) => {
    const started = Date.now();
    expect(runtimeDetail(source)).toMatch(/budget exceeded/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ['len of a long string', 'map(1..300000, len(event.s))'],
    ['contains on a long string', 'map(1..300000, event.s contains "x")'],
    ['indexing a long string', 'map(1..300000, event.s[0])'],
    ['slicing a long string', 'map(1..300000, event.s[1:2])'],
    ['comparing long strings', 'map(1..300000, event.s == event.t)'],
    ['deep equality of big arrays', 'map(1..300000, event.list == event.list2)'],
    ['membership in big arrays', 'map(1..300000, -1 in event.list)'],
  ])('charges linear work: %s', (_name, source) => {
    const s = 'a'.repeat(1_000_000);
    const list = Array.from({ length: 20_000 }, (_, i) => i);
    const event = { s, t: `${s}`, list, list2: [...list] };
    const started = Date.now();
    expect(runtimeDetail(source, event)).toMatch(/evaluation budget exceeded/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('survives cyclic payloads', async () => {
    const event: Record<string, unknown> = { a: 1 };
    event.self = event;
    expect(evaluateSync(compile('event.self.self.self.a'), { event })).toBe(1);
    expect(runtimeDetail('toJSON(event)', event)).toMatch(/too deep/);
    expect(runtimeDetail('string(event)', event)).toMatch(/nested too deeply/);
    expect(runtimeDetail('event == event.self', event)).toMatch(/nested too deeply/);
    await expect(evaluate(compile('event'), { event })).resolves.toBe(event);
    expect(() => formatVarValue(event)).toThrow(ExprRuntimeError);
  });

  it('never exposes inherited properties of payload objects', () => {
    const event = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    expect(evaluateSync(compile('event.polluted'), { event })).toBeNull();
    expect(evaluateSync(compile('event.__proto__.polluted'), { event })).toBe(true);
    expect(evaluateSync(compile('{"__proto__": 1}.__proto__'), { event: null })).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
