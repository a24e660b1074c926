/**
 * The trigger expression language (expr-lang, as upstream's triggers evaluate it) for Monaco: a Monarch tokenizer,
 * brackets/comments configuration and the word lists used for completion. Data only — no Monaco
 * runtime import — so it stays testable and out of the initial bundle.
 */
import type { languages } from 'monaco-editor';

export const EXPR_LANGUAGE_ID = 'flows-expr';

/** Words expr-lang reads as operators (`not in`, `not matches`… are `not` + the word). */
export const EXPR_WORD_OPERATORS = ['and', 'or', 'not', 'in', 'contains', 'startsWith', 'endsWith', 'matches'] as const;

/** Control words. */
export const EXPR_KEYWORDS = ['let', 'if', 'else'] as const;

export const EXPR_CONSTANTS = ['true', 'false', 'nil'] as const;

/** Builtin functions of the server's evaluator (server/expr/README.md), plus Flows' `link`. */
export const EXPR_BUILTINS = [
  'len',
  'type',
  'abs',
  'int',
  'float',
  'string',
  'trim',
  'trimPrefix',
  'trimSuffix',
  'upper',
  'lower',
  'split',
  'splitAfter',
  'replace',
  'repeat',
  'join',
  'indexOf',
  'lastIndexOf',
  'hasPrefix',
  'hasSuffix',
  'max',
  'min',
  'mean',
  'median',
  'ceil',
  'floor',
  'round',
  'toJSON',
  'fromJSON',
  'toBase64',
  'fromBase64',
  'first',
  'last',
  'get',
  'keys',
  'values',
  'concat',
  'flatten',
  'uniq',
  'reverse',
  'sort',
  'all',
  'any',
  'none',
  'one',
  'filter',
  'map',
  'count',
  'sum',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'groupBy',
  'sortBy',
  'reduce',
  'link',
] as const;

export const exprMonarch: languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  tokenPostfix: '.expr',
  wordOperators: [...EXPR_WORD_OPERATORS],
  keywords: [...EXPR_KEYWORDS],
  constants: [...EXPR_CONSTANTS],
  builtins: [...EXPR_BUILTINS],
  escapes: /\\(?:[abfnrtv\\"'`]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3})/,
  tokenizer: {
    root: [
      { include: '@whitespace' },
      // A name followed by `(` is a call: builtins stand out, anything else is still a call.
      [
        /[a-zA-Z_$][\w$]*(?=\s*\()/,
        { cases: { '@builtins': 'predefined', '@wordOperators': 'keyword.operator', '@keywords': 'keyword', '@default': 'identifier.function' } },
      ],
      // The one variable triggers see: the event payload.
      [/event\b/, 'variable.predefined'],
      [/\$env\b/, 'variable.predefined'],
      [/[a-zA-Z_$][\w$]*/, { cases: { '@wordOperators': 'keyword.operator', '@keywords': 'keyword', '@constants': 'constant', '@default': 'identifier' } }],
      // Numbers: hex, octal, binary, floats (`1.5`, `.5`, `1e3`), integers with `_` separators.
      [/0[xX][0-9a-fA-F_]+/, 'number.hex'],
      [/0[oO][0-7_]+/, 'number.octal'],
      [/0[bB][01_]+/, 'number.binary'],
      [/(?:\d[\d_]*)?\.\d[\d_]*(?:[eE][-+]?\d+)?/, 'number.float'],
      [/\d[\d_]*[eE][-+]?\d+/, 'number.float'],
      [/\d[\d_]*/, 'number'],
      // Strings: Go-style escapes in "…" and '…', raw `…` (may span lines).
      [/"/, 'string.quote', '@dstring'],
      [/'/, 'string.quote', '@sstring'],
      [/`/, 'string.quote', '@rawstring'],
      [/[{}()[\]]/, '@brackets'],
      [/\?\.|\?\?|\.\.|==|!=|<=|>=|&&|\|\||\*\*|[-+*/%^<>!?:|#]/, 'operator'],
      [/[.,;]/, 'delimiter'],
    ],
    whitespace: [
      [/\s+/, 'white'],
      [/\/\/.*$/, 'comment'],
      [/\/\*/, 'comment', '@comment'],
    ],
    comment: [
      [/[^*/]+/, 'comment'],
      [/\*\//, 'comment', '@pop'],
      [/[*/]/, 'comment'],
    ],
    dstring: [
      [/[^\\"]+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/"/, 'string.quote', '@pop'],
    ],
    sstring: [
      [/[^\\']+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/'/, 'string.quote', '@pop'],
    ],
    rawstring: [
      [/[^`]+/, 'string'],
      [/`/, 'string.quote', '@pop'],
    ],
  },
};

export const exprLanguageConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: '//', blockComment: ['/*', '*/'] },
  brackets: [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string'] },
    { open: "'", close: "'", notIn: ['string'] },
    { open: '`', close: '`', notIn: ['string'] },
  ],
  surroundingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '"', close: '"' },
    { open: "'", close: "'" },
  ],
  wordPattern: /[a-zA-Z_$][\w$]*|-?\d+(?:\.\d+)?/,
};
