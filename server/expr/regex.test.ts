import { describe, expect, it } from 'vitest';
import { compileRegex, MAX_REGEX_LENGTH, RegexError } from './regex.js';

const matches = (pattern: string, input: string) => compileRegex(pattern).test(input);

function regexError(pattern: string): string {
  try {
    compileRegex(pattern);
  } catch (e) {
    expect(e).toBeInstanceOf(RegexError);
    return (e as Error).message;
  }
  throw new Error(`expected ${pattern} to be rejected`);
}

describe('regex (RE2 syntax, linear time)', () => {
  it.each<[string, string, boolean]>([
    ['abc', 'xxabcxx', true],
    ['^abc$', 'abc', true],
    ['^abc$', 'abcd', false],
    ['a.c', 'abc', true],
    ['a.c', 'a\nc', false],
    ['(?s)a.c', 'a\nc', true],
    ['^.$', 'é', true],
    ['^.$', '😀', true],
    ['colou?r', 'color', true],
    ['ab*c', 'ac', true],
    ['ab+c', 'ac', false],
    ['a{2}', 'a', false],
    ['^a{2,3}$', 'aaa', true],
    ['^a{2,3}$', 'aaaa', false],
    ['^a{2,}$', 'aaaaaa', true],
    ['^(ab|cd)+$', 'abcdab', true],
    ['^(?:ab|cd)+?$', 'abcdab', true],
    ['^(?P<name>\\w+)@(?<host>\\w+)$', 'me@host', true],
    ['^PAY-(IN|OUT)$', 'PAY-IN', true],
    ['^PAY-(IN|OUT)$', 'PAY-INN', false],
    ['(?i)^payout$', 'PAYOUT', true],
    ['(?i:a)b', 'Ab', true],
    ['(?i:a)b', 'AB', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
    ['a$', 'a\n', false],
    ['\\Aab\\z', 'ab', true],
    ['\\bfoo\\b', 'a foo b', true],
    ['\\bfoo\\b', 'afoob', false],
    ['\\Bfoo', 'afoo', true],
    ['^\\d+$', '12345', true],
    ['^\\d+$', '12a45', false],
    ['^\\D+$', 'abc', true],
    ['^\\w+$', 'a_1', true],
    ['^\\W+$', '!?', true],
    ['\\s', 'a b', true],
    ['^\\S+$', 'a b', false],
    ['^[abc]+$', 'cab', true],
    ['^[^abc]+$', 'xyz', true],
    ['^[a-z0-9_]+$', 'users_42', true],
    ['^[a-z]+$', 'Users', false],
    ['(?i)^[a-z]+$', 'Users', true],
    ['^[[:alpha:]]+$', 'abcXYZ', true],
    ['^[[:^digit:]]+$', 'abc', true],
    ['^[\\d.]+$', '1.5', true],
    ['^[]a]+$', ']a]', true],
    ['^[a-]+$', 'a-a', true],
    ['^\\pL+$', 'héllo', true],
    ['^\\p{Greek}+$', 'αβγ', true],
    ['^\\PL+$', '123', true],
    ['^\\p{Lu}', 'Éa', true],
    ['^\\x41\\x{263a}$', 'A☺', true],
    ['\\Q.*\\E', 'a.*b', true],
    ['\\Q.*\\E', 'ab', false],
    ['a\\.b', 'a.b', true],
    ['a\\.b', 'axb', false],
    ['users:\\d+', 'users:42', true],
    ['^$', '', true],
    ['', 'anything', true],
    ['a|', 'b', true],
    ['(a*)*b', 'aaab', true],
    ['(|a)+b', 'ab', true],
    ['\\t\\n', '\t\n', true],
    ['\\101', 'A', true],
  ])('%s on %j → %s', (pattern, input, expected) => {
    expect(matches(pattern, input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['a+*', 'error parsing regexp: invalid nested repetition operator: `+*`'],
    ['\\q', 'error parsing regexp: invalid escape sequence: `\\q`'],
    ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['a{2,1}', 'error parsing regexp: invalid repeat count: `{2,1}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?!a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'error parsing regexp: invalid named capture: `(?<=a)b`'],
    ['(?P<a-b>x)', 'error parsing regexp: invalid named capture: `(?P<a-b>`'],
    ['(?)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?)`'],
    ['(?i-)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`'],
    ['\\p{Nope}', 'error parsing regexp: invalid character class range: `\\p{Nope}`'],
    ['[[:nope:]]', 'error parsing regexp: invalid character class range: `[:nope:]`'],
  ])('rejects %s', (pattern, expected) => {
    expect(regexError(pattern)).toBe(expected);
  });

  it('treats a brace that is not a repetition as a literal', () => {
    expect(matches('a{', 'a{')).toBe(true);
    expect(matches('a{x}', 'a{x}')).toBe(true);
  });

  it('rejects over-long and over-large patterns', () => {
    expect(regexError('a'.repeat(MAX_REGEX_LENGTH + 1))).toMatch(/too long/);
    expect(regexError('(a{1000}){1000}')).toBe('error parsing regexp: expression too large');
    expect(() => compileRegex('('.repeat(400) + ')'.repeat(400))).not.toThrow();
  });

  it('runs in linear time on patterns that make backtracking engines explode', () => {
    const started = Date.now();
    const input = `${'a'.repeat(20_000)}!`;
    expect(matches('(a+)+$', input)).toBe(false);
    expect(matches('^(a|a)*$', input)).toBe(false);
    expect(matches('(a*)*b', input)).toBe(false);
    expect(matches('(.*a){12}x', input)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports its work through the tick callback', () => {
    let work = 0;
    compileRegex('x').test('a'.repeat(100), (n) => {
      work += n;
    });
    expect(work).toBeGreaterThanOrEqual(100);
  });
});
