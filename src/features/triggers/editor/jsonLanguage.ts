/**
 * Sample payloads are JSON: a small Monarch tokenizer for highlighting (no JSON worker needed)
 * and JSON.parse error positions for markers.
 */
import type { languages } from 'monaco-editor';

export const JSON_LANGUAGE_ID = 'flows-json';

export const jsonMonarch: languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  tokenPostfix: '.json',
  tokenizer: {
    root: [
      [/\s+/, 'white'],
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type.key'],
      [/"/, 'string.quote', '@string'],
      [/-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/, 'number'],
      [/\b(?:true|false|null)\b/, 'constant'],
      [/[{}[\]]/, '@brackets'],
      [/[,:]/, 'delimiter'],
    ],
    string: [
      [/[^\\"]+/, 'string'],
      [/\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/"/, 'string.quote', '@pop'],
    ],
  },
};

export const jsonLanguageConfiguration: languages.LanguageConfiguration = {
  brackets: [
    ['{', '}'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '"', close: '"', notIn: ['string'] },
  ],
};

export interface JsonProblem {
  message: string;
  line: number;
  column: number;
}

/** Parses a sample payload: the object, or where and why the text is not a JSON object. */
export function parseJsonObject(text: string): { value: Record<string, unknown> } | { problem: JsonProblem } {
  if (!text.trim()) return { problem: { message: 'Enter a JSON object (the event payload)', line: 1, column: 1 } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: jsonErrorPosition(text, err) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problem: {
        message: 'The payload must be a JSON object ({…}), not ' + (Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`),
        line: 1,
        column: 1,
      },
    };
  }
  return { value: value as Record<string, unknown> };
}

/**
 * Line and column (1-based) of a JSON.parse error, with the engine's message trimmed. Engines
 * differ (`… at position N`, `(line L column C)`, or no position at all, as in Node 20), so
 * the position comes from our own scan of the text when the message has none.
 */
export function jsonErrorPosition(text: string, err: unknown): JsonProblem {
  const raw = err instanceof Error ? err.message : String(err);
  const message = raw
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/^JSON\.parse: /, '')
    .replace(/, "[\s\S]*" is not valid JSON$/, '')
    .replace(/^"[\s\S]*" is not valid JSON$/, 'Not valid JSON');
  const lc = /\(line (\d+) column (\d+)\)/.exec(raw) ?? /at line (\d+) column (\d+)/.exec(raw);
  if (lc) return { message, line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(raw);
  const offset = pos ? Math.min(Number(pos[1]), text.length) : jsonErrorOffset(text);
  const before = text.slice(0, offset).split('\n');
  return { message, line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Offset of the first JSON syntax error in `text` (its length when the text ends too early). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail();
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i += 1;
          fail();
        }
      } else if (c < ' ') fail();
      else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return void literal('true');
    if (c === 'f') return void literal('false');
    if (c === 'n') return void literal('null');
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return Math.min(typeof at === 'number' ? at : text.length, text.length);
  }
}
