/**
 * Definition text in JSON and YAML: parse (with the error's line and column), format, and find
 * where a JSON path sits in the text (to put server errors on their line). Uses `yaml`: import
 * this module only from lazy chunks.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node, type Pair } from 'yaml';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseJsonLossless } from '../../lib/json';

export type DefinitionFormat = 'json' | 'yaml';

export interface TextProblem {
  message: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; problem: TextProblem };

export function formatDefinition(value: unknown, format: DefinitionFormat): string {
  if (format === 'json') return JSON.stringify(value, null, 2) + '\n';
  return stringify(value, { lineWidth: 0, indent: 2 });
}

export function parseDefinition(text: string, format: DefinitionFormat): ParseResult {
  return format === 'json' ? parseJsonText(text) : parseYamlText(text);
}

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** JSON, keeping integers beyond 2^53 exact (as strings). */
export function parseJsonText(text: string): ParseResult {
  if (text.trim() === '') return { ok: false, problem: { message: 'The definition is empty.', line: 1, column: 1 } };
  try {
    return { ok: true, value: parseJsonLossless(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { ok: false, problem: { message: cleanJsonMessage(message), line: Number(lc[1]), column: Number(lc[2]) } };
    const pos = /position (\d+)/.exec(message);
    if (pos) return { ok: false, problem: { message: cleanJsonMessage(message), ...lineColumnAt(text, Number(pos[1])) } };
    // Some of V8's messages carry no position ("Unexpected token 'x', … is not valid JSON"):
    // jsonc-parser finds where the first error is, so the banner and the Problems list agree.
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    if (first) return { ok: false, problem: { message: printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2'), ...lineColumnAt(text, first.offset) } };
    return { ok: false, problem: { message: cleanJsonMessage(message), line: 1, column: 1 } };
  }
}

function cleanJsonMessage(message: string): string {
  return message
    .replace(/^JSON: /, '')
    .replace(/^JSON\.parse: /, '')
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ at position \d+.*$/, '')
    .replace(/,? ?\(line \d+ column \d+\)$/, '');
}

/** YAML 1.2 (as the server reads `text/vnd.yaml`); integers beyond 2^53 stay exact (as strings). */
export function parseYamlText(text: string): ParseResult {
  if (text.trim() === '') return { ok: false, problem: { message: 'The definition is empty.', line: 1, column: 1 } };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { intAsBigInt: true, lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = lineCounter.linePos(error.pos[0]);
    return { ok: false, problem: { message: error.message.split('\n')[0]!, line: at.line, column: at.col } };
  }
  try {
    return { ok: true, value: fromBigInts(doc.toJS({ maxAliasCount: 100 })) };
  } catch (err) {
    return { ok: false, problem: { message: err instanceof Error ? err.message : String(err), line: 1, column: 1 } };
  }
}

function fromBigInts(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(fromBigInts);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromBigInts(x)]));
  return v;
}

export interface TextRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/**
 * Where `path` is in the text: the value when it exists (the key for objects and arrays, so the
 * mark stays small), else the key of its deepest existing ancestor. JSON is read as YAML (a
 * superset), which gives source ranges for both formats. Undefined when the text does not parse.
 */
export function locatePath(text: string, path: readonly (string | number)[]): TextRange | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false, strict: false });
  if (doc.errors.length || !doc.contents) return undefined;
  let node: Node | null = doc.contents as Node;
  let keyRange: [number, number] | undefined;
  for (const seg of path) {
    let next: Node | null = null;
    if (isMap(node)) {
      const pair: Pair<unknown, unknown> | undefined = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair && isScalar(pair.key) && pair.key.range) {
        keyRange = [pair.key.range[0], pair.key.range[1]];
        next = (pair.value as Node | null) ?? null;
        if (!next) break;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = (node.items[seg] as Node | undefined) ?? null;
      if (next?.range) keyRange = [next.range[0], isMap(next) || isSeq(next) ? next.range[0] + 1 : next.range[1]];
    }
    if (!next) {
      node = null;
      break;
    }
    node = next;
  }
  let range: [number, number] | undefined;
  if (node && isScalar(node) && node.range) range = [node.range[0], node.range[1]];
  else range = keyRange ?? (doc.contents.range ? [doc.contents.range[0], doc.contents.range[0] + 1] : undefined);
  if (!range) return undefined;
  const start = lineCounter.linePos(range[0]);
  const end = lineCounter.linePos(Math.max(range[1], range[0] + 1));
  return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
}

/** The format of an imported file: by its extension, else by its first character. */
export function detectFormat(fileName: string, text: string): DefinitionFormat {
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  if (/\.json$/i.test(fileName)) return 'json';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}
