import { beforeAll, describe, expect, it } from 'vitest';
import type { languages } from 'monaco-editor';
import { EXPR_BUILTINS, exprMonarch } from './exprLanguage';
import { jsonMonarch } from './jsonLanguage';

// Monaco's own Monarch compiler and lexer (the same code the editor runs), without the editor
// services that need a real browser.
type Tokenizer = {
  getInitialState(): unknown;
  tokenize(line: string, hasEOL: boolean, state: unknown): { tokens: { offset: number; type: string }[]; endState: unknown };
};
let makeTokenizer: (id: string, def: languages.IMonarchLanguage) => Tokenizer;

beforeAll(async () => {
  const { compile } = await import('monaco-editor/esm/vs/editor/standalone/common/monarch/monarchCompile.js' as string);
  const { MonarchTokenizer } = await import('monaco-editor/esm/vs/editor/standalone/common/monarch/monarchLexer.js' as string);
  const configuration = { getValue: () => 20_000, onDidChangeConfiguration: () => ({ dispose() {} }) };
  makeTokenizer = (id, def) => new MonarchTokenizer({}, {}, id, compile(id, def), configuration);
}, 60_000);

/** [text, token type] pairs of a (possibly multi-line) source, whitespace left out. */
function tokens(source: string, def = exprMonarch, id = 'flows-expr'): [string, string][] {
  const tk = makeTokenizer(id, def);
  let state = tk.getInitialState();
  const out: [string, string][] = [];
  for (const line of source.split('\n')) {
    const r = tk.tokenize(line, true, state);
    r.tokens.forEach((t, i) => {
      const text = line.slice(t.offset, r.tokens[i + 1]?.offset ?? line.length);
      if (text.trim()) out.push([text, t.type.replace(/\.(expr|json)$/, '')]);
    });
    state = r.endState;
  }
  return out;
}

const typeOf = (source: string, text: string) => tokens(source).find(([t]) => t === text)?.[1];

describe('expression tokenizer', () => {
  it('tells event, fields, operators, strings and numbers apart', () => {
    expect(tokens('event.ledger == "main" && event.transactions[0].postings[0].amount > 100000')).toEqual([
      ['event', 'variable.predefined'],
      ['.', 'delimiter'],
      ['ledger', 'identifier'],
      ['==', 'operator'],
      ['"', 'string.quote'],
      ['main', 'string'],
      ['"', 'string.quote'],
      ['&&', 'operator'],
      ['event', 'variable.predefined'],
      ['.', 'delimiter'],
      ['transactions', 'identifier'],
      ['[', 'delimiter.square'],
      ['0', 'number'],
      [']', 'delimiter.square'],
      ['.', 'delimiter'],
      ['postings', 'identifier'],
      ['[', 'delimiter.square'],
      ['0', 'number'],
      [']', 'delimiter.square'],
      ['.', 'delimiter'],
      ['amount', 'identifier'],
      ['>', 'operator'],
      ['100000', 'number'],
    ]);
  });

  it('knows the word operators', () => {
    for (const word of ['and', 'or', 'not', 'in', 'contains', 'startsWith', 'endsWith', 'matches']) {
      expect(typeOf(`event.a ${word} event.b`, word), word).toBe('keyword.operator');
    }
    expect(tokens('event.type not in ["A", "B"]').slice(3, 5)).toEqual([
      ['not', 'keyword.operator'],
      ['in', 'keyword.operator'],
    ]);
  });

  it('marks builtins only where they are called', () => {
    expect(typeOf('len(event.transactions) > 0', 'len')).toBe('predefined');
    expect(typeOf('upper (event.name)', 'upper')).toBe('predefined');
    expect(typeOf('link(event, "source_account").name', 'link')).toBe('predefined');
    // `type` is a builtin, but `event.type` is a field.
    expect(tokens('event.type == "PAY-IN"')[2]).toEqual(['type', 'identifier']);
    expect(typeOf('myFunc(1)', 'myFunc')).toBe('identifier.function');
    for (const name of EXPR_BUILTINS) expect(typeOf(`${name}(event)`, name), name).toBe('predefined');
  });

  it('reads constants, ?. ?? and the ternary', () => {
    expect(tokens('event.metadata?.walletID ?? nil ? true : false')).toEqual([
      ['event', 'variable.predefined'],
      ['.', 'delimiter'],
      ['metadata', 'identifier'],
      ['?.', 'operator'],
      ['walletID', 'identifier'],
      ['??', 'operator'],
      ['nil', 'constant'],
      ['?', 'operator'],
      ['true', 'constant'],
      [':', 'operator'],
      ['false', 'constant'],
    ]);
  });

  it('reads every number form', () => {
    for (const n of ['42', '1_000', '0x1F', '0o17', '0b101', '1.5', '.5', '1e3', '2.5e-3']) {
      const t = tokens(n);
      expect(t, n).toHaveLength(1);
      expect(t[0]![1], n).toMatch(/^number/);
    }
  });

  it('reads strings with escapes, single quotes and raw strings across lines', () => {
    expect(tokens(String.raw`"a\"b\n"`)).toEqual([
      ['"', 'string.quote'],
      ['a', 'string'],
      ['\\"', 'string.escape'],
      ['b', 'string'],
      ['\\n', 'string.escape'],
      ['"', 'string.quote'],
    ]);
    // (Monaco merges neighbouring tokens of one type: the two quotes in the middle are one token.)
    expect(tokens("'it''s'").map(([, t]) => t)).toEqual(['string.quote', 'string', 'string.quote', 'string', 'string.quote']);
    expect(tokens(String.raw`'\x41'`)[1]).toEqual(['\\x41', 'string.escape']);
    expect(tokens('`line one\nline "two"` + event.x')).toEqual([
      ['`', 'string.quote'],
      ['line one', 'string'],
      ['line "two"', 'string'],
      ['`', 'string.quote'],
      ['+', 'operator'],
      ['event', 'variable.predefined'],
      ['.', 'delimiter'],
      ['x', 'identifier'],
    ]);
    // A keyword inside a string is just text.
    expect(tokens('"and or not"')[1]).toEqual(['and or not', 'string']);
  });

  it('reads comments, including block comments across lines', () => {
    expect(tokens('event.a // why\n/* long\n reason */ == 1').map(([, t]) => t)).toEqual([
      'variable.predefined',
      'delimiter',
      'identifier',
      'comment',
      'comment',
      'comment',
      'operator',
      'number',
    ]);
  });

  it('reads let, if/else, pipes, predicates and regex matches', () => {
    const t = tokens('let n = len(event.transactions); if n > 0 { event.transactions | map(#.id) } else { [] }');
    expect(t[0]).toEqual(['let', 'keyword']);
    expect(t.find(([x]) => x === 'if')).toEqual(['if', 'keyword']);
    expect(t.find(([x]) => x === 'else')).toEqual(['else', 'keyword']);
    expect(t.find(([x]) => x === '|')).toEqual(['|', 'operator']);
    expect(t.find(([x]) => x === 'map')).toEqual(['map', 'predefined']);
    expect(t.find(([x]) => x === '#')).toEqual(['#', 'operator']);
    expect(typeOf('event.reference matches "^pi_[0-9]+$"', 'matches')).toBe('keyword.operator');
  });

  it('flags characters the language does not have', () => {
    expect(tokens('event.a @ 1')[3]).toEqual(['@', 'invalid']);
  });
});

describe('JSON payload tokenizer', () => {
  it('separates keys from string values', () => {
    expect(tokens('{"ledger": "main", "n": -1.5e2, "ok": true, "x": null}', jsonMonarch, 'flows-json').map(([, t]) => t)).toEqual([
      'delimiter.curly',
      'type.key',
      'delimiter',
      'string.quote',
      'string',
      'string.quote',
      'delimiter',
      'type.key',
      'delimiter',
      'number',
      'delimiter',
      'type.key',
      'delimiter',
      'constant',
      'delimiter',
      'type.key',
      'delimiter',
      'constant',
      'delimiter.curly',
    ]);
  });
});
