// Error types and expr-lang style error formatting.
//
// expr-lang renders an error as `<message> (<line>:<column>)` followed by a snippet:
//
//   invalid operation: <nil> + <nil> (1:3)
//    | a + b
//    | ..^
//
// Lines and columns are 1-based; columns count Unicode code points. Like expr-lang, the caret
// line is left out when a non-ASCII character precedes or sits under the caret (it could not be
// aligned reliably), and tabs in the quoted line are shown as spaces.

/** A place in the source. `offset` is a UTF-16 index into the source string (what JavaScript
 * editors use); `line` and `column` are 1-based, the column counted in code points. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

export function positionAt(source: string, offset: number): Position {
  const end = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let column = 1;
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) {
      line++;
      column = 1;
    } else if (c < 0xdc00 || c > 0xdfff) {
      // a trailing surrogate belongs to the code point counted with its leading half
      column++;
    }
  }
  return { offset: end, line, column };
}

/** The `\n | <line>\n | ...^` snippet expr-lang appends to located errors. */
export function snippetAt(source: string, pos: Position): string {
  const lines = source.split('\n');
  const text = lines[pos.line - 1];
  if (text === undefined) return '';
  const shown = text.replace(/\t/g, ' ');
  let out = `\n | ${shown}`;
  const cps = Array.from(shown);
  const before = cps.slice(0, pos.column - 1);
  const under = cps[pos.column - 1];
  const ascii = (s: string | undefined) => s === undefined || s.charCodeAt(0) < 0x80;
  if (before.every(ascii) && ascii(under)) {
    out += `\n | ${'.'.repeat(Math.min(before.length, cps.length))}^`;
  }
  return out;
}

export function formatLocated(message: string, source: string, pos: Position): string {
  return `${message} (${pos.line}:${pos.column})${snippetAt(source, pos)}`;
}

/** Thrown by `compile` (lexing, parsing and static checks). */
export class ExprSyntaxError extends Error {
  override readonly name = 'ExprSyntaxError';
  /** Where the problem is. */
  readonly position: Position;
  /** The message without location and snippet, e.g. `unexpected token EOF`. */
  readonly detail: string;

  constructor(detail: string, source: string, offset: number) {
    const position = positionAt(source, offset);
    super(formatLocated(detail, source, position));
    this.position = position;
    this.detail = detail;
  }
}

export interface RuntimeErrorInit {
  source?: string;
  offset?: number;
  cause?: unknown;
  /** When true the message is the bare detail (expr-lang unwraps errors returned by functions
   * such as `link`, so upstream shows them without location); `position` is still filled. */
  plain?: boolean;
  /** The error was raised by `link()` (argument count or the resolver). */
  link?: boolean;
}

/** Thrown (as a rejected promise) by `evaluate`. */
export class ExprRuntimeError extends Error {
  override readonly name = 'ExprRuntimeError';
  readonly position?: Position;
  /** The message without location and snippet, e.g. `cannot fetch foo from <nil>`. */
  readonly detail: string;
  /** True when the failure comes from `link()`: its argument count or the link resolver (whose
   * original error is in `cause`). Upstream treats some of these as final (docs/compatibility.md: trigger expressions). */
  readonly link: boolean;

  constructor(detail: string, init: RuntimeErrorInit = {}) {
    const position = init.source !== undefined && init.offset !== undefined ? positionAt(init.source, init.offset) : undefined;
    const message = position && init.source !== undefined && !init.plain ? formatLocated(detail, init.source, position) : detail;
    super(message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.detail = detail;
    this.link = init.link ?? false;
    if (position) this.position = position;
  }
}

/** Internal: a runtime failure without location, raised by operators and builtins. The evaluator
 * turns it into an `ExprRuntimeError` located at the node that was being evaluated. */
export class Fault extends Error {
  constructor(
    message: string,
    readonly extra: { cause?: unknown; plain?: boolean; link?: boolean } = {},
  ) {
    super(message);
  }
}
