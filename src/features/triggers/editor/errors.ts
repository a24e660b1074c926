/**
 * Reading the server's trigger errors: which field they belong to and where in the expression.
 *
 * Create errors start with the field (`filter: validating data: error compiling expression
 * '<source>': unexpected token EOF (1:16)\n | <line>\n | ...^`, `vars.<name>: …`, `event: …`,
 * `workflowID: …`); expr-lang messages end with `(line:column)` plus a caret snippet. Lines are
 * 1-based, columns 1-based in code points.
 */

export interface ExprLocation {
  /** The message without position and snippet, e.g. `unexpected token EOF`. */
  message: string;
  line?: number;
  column?: number;
}

export interface FieldError extends ExprLocation {
  /** `filter`, `vars.<name>`, `event`, `workflowID`, `name`, `version`, `vars`, or `form` when none is named. */
  field: string;
}

const SIMPLE_FIELDS = ['filter', 'event', 'workflowID', 'name', 'version', 'vars'];
const COMPILE_PREFIX = 'validating data: error compiling expression ';

/** Splits an expr-lang message into text and position: `msg (2:4)\n | …\n | ...^` → msg, 2, 4. */
export function locateExprError(text: string): ExprLocation {
  const snippetAt = text.search(/\n \|/);
  const head = (snippetAt >= 0 ? text.slice(0, snippetAt) : text).trimEnd();
  const m = /\s*\((\d+):(\d+)\)$/.exec(head);
  if (!m) return { message: head };
  return { message: head.slice(0, m.index), line: Number(m[1]), column: Number(m[2]) };
}

/**
 * The field and position of a trigger create error. `sources` (the submitted filter and vars) make
 * the split exact even when an expression or a variable name contains `: ` or quotes.
 */
export function parseTriggerError(errorMessage: string, sources: { filter?: string; vars?: Record<string, string> } = {}): FieldError {
  if (/^workflow does not exists?/i.test(errorMessage)) {
    return { field: 'workflowID', message: 'This workflow does not exist (or was deleted): pick another one.' };
  }
  let field: string | undefined;
  let source: string | undefined;
  // vars.<name>: longest known name first (names may contain dots or colons).
  const names = Object.keys(sources.vars ?? {}).sort((a, b) => b.length - a.length);
  const known = names.find((n) => errorMessage.startsWith(`vars.${n}: `));
  if (known !== undefined) {
    field = `vars.${known}`;
    source = sources.vars![known];
  } else {
    const m = /^(vars\.[^\s:]+|[A-Za-z]+): /.exec(errorMessage);
    if (m && (m[1]!.startsWith('vars.') || SIMPLE_FIELDS.includes(m[1]!))) field = m[1]!;
    if (field === 'filter') source = sources.filter;
  }
  if (!field) return { field: 'form', ...locateExprError(errorMessage) };

  let rest = errorMessage.slice(field.length + 2);
  if (rest.startsWith(COMPILE_PREFIX)) {
    const exact = source !== undefined ? `${COMPILE_PREFIX}'${source}': ` : undefined;
    if (exact && rest.startsWith(exact)) rest = rest.slice(exact.length);
    else {
      // Unknown source: the expression ends at the last `': ` before the located message.
      const at = rest.search(/ \(\d+:\d+\)(\n \||$)/);
      const cut = rest.lastIndexOf("': ", at >= 0 ? at : rest.length);
      if (cut >= 0) rest = rest.slice(cut + 3);
    }
  } else if (rest.startsWith('validating data: ')) {
    rest = rest.slice('validating data: '.length);
  }
  return { field, ...locateExprError(rest) };
}

export interface MarkerRange {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/**
 * The editor range of an error at `line:column` (code points) in `source`: Monaco counts UTF-16
 * units, and a marker should cover the word or symbol there, not a zero-width point. A position
 * past the end of a line (e.g. `unexpected token EOF`) marks the line's last character.
 */
export function markerRange(source: string, line: number, column: number): MarkerRange {
  const lines = source.split('\n');
  const lineIndex = Math.min(Math.max(line, 1), Math.max(lines.length, 1)) - 1;
  const text = lines[lineIndex] ?? '';
  const points = Array.from(text);
  const index = Math.max(0, column - 1);
  const toUnits = (cp: number) => points.slice(0, cp).join('').length;
  const lineNumber = lineIndex + 1;
  if (index >= points.length) {
    const end = toUnits(points.length);
    return { startLineNumber: lineNumber, startColumn: Math.max(1, end), endLineNumber: lineNumber, endColumn: end + 1 };
  }
  let endIndex = index + 1;
  if (/[\p{L}\p{N}_$]/u.test(points[index]!)) {
    while (endIndex < points.length && /[\p{L}\p{N}_$]/u.test(points[endIndex]!)) endIndex++;
  }
  return { startLineNumber: lineNumber, startColumn: toUnits(index) + 1, endLineNumber: lineNumber, endColumn: toUnits(endIndex) + 1 };
}
