import { describe, expect, it } from 'vitest';
import { compile, ExprSyntaxError, MAX_SOURCE_LENGTH } from './index.js';
import { tokenize } from './lexer.js';

function syntaxError(source: string): ExprSyntaxError {
  try {
    compile(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprSyntaxError);
    return e as ExprSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to compile`);
}

describe('compile', () => {
  it('returns a program carrying its source', () => {
    const p = compile('event.id');
    expect(p.source).toBe('event.id');
    expect(Object.isFrozen(p)).toBe(true);
  });

  it.each([
    'event.type == "PAY-IN" && event.status == "SUCCEEDED"',
    'unknownIdentifier',
    'someFunction(1, 2)',
    'link(event, "source_account").name',
    'now()',
    'event.metadata?.walletID ?? ""',
    'any(event.transactions, {.amount > 10})',
    'any(event.transactions, .amount > 10)',
    'filter(event.items, # > 1) | map(# * 2)',
    'count(event.items)',
    'reduce(1..3, #acc + #, 0)',
    'let x = 1; x + 1',
    'if true { 1 } else { 2 }',
    'event.if.in.not',
    '[1, 2, ]',
    '{a: 1, "b": 2, 3: 4, (event.k): 5, }',
    'f(1, 2, )',
    '1 // trailing comment',
    '/* block */ 1',
    '`raw\nstring`',
    '\'single\' + "double"',
    'a ?: b',
    'x[1:2] + x[:2] + x[1:] + x[:]',
  ])('compiles %s', (source) => {
    expect(() => compile(source)).not.toThrow();
  });

  it('accepts any identifier and any function name (no typed environment)', () => {
    expect(compile('foo.bar + baz(qux)').source).toBe('foo.bar + baz(qux)');
  });
});

describe('syntax errors', () => {
  it.each([
    ['a +', 'unexpected token EOF (1:4)\n | a +\n | ...^'],
    ['1 + * 2', 'unexpected token Operator("*") (1:5)\n | 1 + * 2\n | ....^'],
    ['(1 + 2', 'unexpected token EOF (1:7)\n | (1 + 2\n | ......^'],
    ['[1, 2', 'unexpected token EOF (1:6)\n | [1, 2\n | .....^'],
    ['foo(', 'unexpected token EOF (1:5)\n | foo(\n | ....^'],
    ['1 2', 'unexpected token Number("2") (1:3)\n | 1 2\n | ..^'],
    ['a @ b', "unrecognized character: U+0040 '@' (1:3)\n | a @ b\n | ..^"],
    ['1a', 'bad number syntax: "1a" (1:1)\n | 1a\n | ^'],
    ['"abc', 'literal not terminated (1:5)\n | "abc\n | ....^'],
    ['"a\\qb"', 'invalid char escape (1:3)\n | "a\\qb"\n | ..^'],
    ['a not b', 'unexpected token Identifier("b") (1:7)\n | a not b\n | ......^'],
    ['a = 1', 'unexpected token Operator("=") (1:3)\n | a = 1\n | ..^'],
    ['#', 'unexpected token Operator("#") (1:1)\n | #\n | ^'],
    ['.a', 'unexpected token Operator(".") (1:1)\n | .a\n | ^'],
    ['a.', 'expected name (1:3)\n | a.\n | ..^'],
    ['{a 1}', 'unexpected token Number("1") (1:4)\n | {a 1}\n | ...^'],
  ])('%s', (source, message) => {
    const e = syntaxError(source);
    expect(e.message).toBe(message);
  });

  it('reports the line and column of errors on later lines', () => {
    const e = syntaxError('event.a ==\n  event.b +\n  ');
    expect(e.position).toEqual({ offset: 25, line: 3, column: 3 });
    expect(e.message).toBe('unexpected token EOF (3:3)\n |   \n | ..^');
    expect(e.detail).toBe('unexpected token EOF');
  });

  it('omits the caret line when non-ASCII characters precede it, like expr-lang', () => {
    expect(syntaxError('"é" +').message).toBe('unexpected token EOF (1:6)\n | "é" +');
  });

  it('counts columns in code points', () => {
    expect(syntaxError('"😀" @').position).toMatchObject({ line: 1, column: 5, offset: 5 });
  });

  it('rejects mixing ?? with other operators without parentheses', () => {
    expect(syntaxError('a ?? b + c').message).toBe(
      'Operator (+) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses. (1:8)\n | a ?? b + c\n | .......^',
    );
    expect(() => compile('(a ?? b) + c')).not.toThrow();
    expect(() => compile('a + b ?? c')).not.toThrow();
  });

  it('rejects an invalid literal regular expression at compile time', () => {
    const e = syntaxError('event.name matches "[a"');
    expect(e.message).toBe('error parsing regexp: missing closing ]: `[a` (1:12)\n | event.name matches "[a"\n | ...........^');
    expect(syntaxError('a matches "a**"').detail).toBe('error parsing regexp: invalid nested repetition operator: `**`');
    expect(syntaxError('a matches "(?=x)"').detail).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    // a non-literal pattern is only checked when evaluated
    expect(() => compile('a matches event.pattern')).not.toThrow();
  });

  it('checks builtin argument counts', () => {
    expect(syntaxError('len(1, 2)').message).toBe('invalid number of arguments (expected 1, got 2) (1:1)\n | len(1, 2)\n | ^');
    expect(syntaxError('upper()').detail).toBe('invalid number of arguments (expected 1, got 0)');
    expect(syntaxError('split("a")').detail).toBe('not enough arguments to call split');
    expect(syntaxError('replace("a", "b", "c", 1, 2)').detail).toBe('too many arguments to call replace');
    expect(syntaxError('max()').detail).toBe('not enough arguments to call max');
    expect(syntaxError('x | trim("a", "b")').detail).toBe('too many arguments to call trim');
    expect(syntaxError('all(event.items)').detail).toBe('expected at least 2 arguments');
    expect(syntaxError('map(event.items, #foo)').detail).toBe('unknown pointer #foo');
  });

  it('reports invalid number literals like Go', () => {
    expect(syntaxError('99999999999999999999').detail).toBe('invalid integer literal: strconv.ParseInt: parsing "99999999999999999999": value out of range');
    expect(syntaxError('1e').detail).toBe('invalid float literal: strconv.ParseFloat: parsing "1e": invalid syntax');
    expect(syntaxError('1e999').detail).toBe('invalid float literal: strconv.ParseFloat: parsing "1e999": value out of range');
  });

  it('reports unclosed comments', () => {
    expect(syntaxError('1 /* no end').detail).toBe('unclosed comment');
  });

  it('enforces the source length limit', () => {
    const e = syntaxError('1'.repeat(MAX_SOURCE_LENGTH + 1));
    expect(e.detail).toBe('expression is too long (10001 characters, at most 10000)');
    expect(() => compile(`"${'a'.repeat(MAX_SOURCE_LENGTH - 2)}"`)).not.toThrow();
  });

  it('rejects a non-string source with a TypeError', () => {
    expect(() => compile(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('lexer', () => {
  const kinds = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.value}`);

  it('tokenizes operators, brackets and words like expr-lang', () => {
    expect(kinds('a?.b ?? c || !d && e != f')).toEqual([
      'Identifier:a',
      'Operator:?.',
      'Identifier:b',
      'Operator:??',
      'Identifier:c',
      'Operator:||',
      'Operator:!',
      'Identifier:d',
      'Operator:&&',
      'Identifier:e',
      'Operator:!=',
      'Identifier:f',
      'EOF:',
    ]);
    expect(kinds('x not in y and z matches w')).toEqual([
      'Identifier:x',
      'Operator:not',
      'Operator:in',
      'Identifier:y',
      'Operator:and',
      'Identifier:z',
      'Operator:matches',
      'Identifier:w',
      'EOF:',
    ]);
  });

  it('scans numbers (hex, octal, binary, underscores, floats, ranges)', () => {
    expect(kinds('0xFF 0o17 0b101 1_000 1.5 .5 1e3 2.5e-3 1..3')).toEqual([
      'Number:0xFF',
      'Number:0o17',
      'Number:0b101',
      'Number:1_000',
      'Number:1.5',
      'Number:.5',
      'Number:1e3',
      'Number:2.5e-3',
      'Number:1',
      'Operator:..',
      'Number:3',
      'EOF:',
    ]);
  });

  it('unescapes strings', () => {
    const [t] = tokenize(String.raw`"a\"b\\c\n\t\x41\u00e9\U0001F600\101"`);
    expect(t!.value).toBe('a"b\\c\n\tAé😀A');
    expect(tokenize(String.raw`'it\'s'`)[0]!.value).toBe("it's");
    expect(tokenize('`no \\n escape`')[0]!.value).toBe('no \\n escape');
  });

  it('records UTF-16 offsets', () => {
    expect(tokenize('ab + "😀" + c').map((t) => t.offset)).toEqual([0, 3, 5, 10, 12, 13]);
  });
});
