// Tokenizer following expr-lang's lexer (parser/lexer/state.go): the same token kinds, the same
// operator spellings and the same error messages.

import { ExprSyntaxError } from './errors.js';

export type TokenKind = 'Identifier' | 'Number' | 'String' | 'Operator' | 'Bracket' | 'EOF';

export interface Token {
  kind: TokenKind;
  /** Identifier name, number text, unescaped string content, operator or bracket. */
  value: string;
  /** UTF-16 offset of the first character. */
  offset: number;
}

/** Words the lexer emits as operators rather than identifiers. */
const WORD_OPERATORS = new Set(['in', 'or', 'and', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);
/** Words that may follow `not` to form a negated operator (`not in`, `not matches`, ...). */
export const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const SPACE = /\s/u;

export function isAlphaNumeric(ch: string): boolean {
  return ch === '_' || ch === '$' || LETTER.test(ch) || DIGIT.test(ch);
}

/** Go's `%#v` of a string, close enough for messages: a double-quoted, escaped string. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Renders a token the way expr-lang does in `unexpected token ...` messages. */
export function tokenString(t: Token): string {
  if (t.value === '' || t.kind === 'EOF') return t.kind;
  return `${t.kind}(${goQuote(t.value)})`;
}

function goRuneName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = !/[\p{C}\p{Z}]/u.test(ch) || ch === ' ';
  return printable ? `U+${hex} '${ch}'` : `U+${hex}`;
}

class Lexer {
  private pos = 0;
  private start = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly src: string) {}

  private fail(message: string, offset = this.pos): never {
    throw new ExprSyntaxError(message, this.src, offset);
  }

  /** The code point at `pos` as a string ('' at the end). */
  private peek(at = this.pos): string {
    if (at >= this.src.length) return '';
    const cp = this.src.codePointAt(at) ?? 0;
    return String.fromCodePoint(cp);
  }

  private next(): string {
    const ch = this.peek();
    this.pos += ch.length;
    return ch;
  }

  private accept(chars: string): boolean {
    const ch = this.peek();
    if (ch !== '' && chars.includes(ch)) {
      this.pos += ch.length;
      return true;
    }
    return false;
  }

  private acceptRun(chars: string): void {
    while (this.accept(chars)) {
      /* absorb */
    }
  }

  private word(): string {
    return this.src.slice(this.start, this.pos);
  }

  private emit(kind: TokenKind, value = this.word()): void {
    this.tokens.push({ kind, value, offset: this.start });
    this.start = this.pos;
  }

  run(): Token[] {
    for (;;) {
      this.start = this.pos;
      const ch = this.next();
      if (ch === '') {
        this.tokens.push({ kind: 'EOF', value: '', offset: this.src.length });
        return this.tokens;
      }
      if (SPACE.test(ch)) continue;
      if (ch === "'" || ch === '"') {
        this.emit('String', this.scanString(ch));
      } else if (ch === '`') {
        this.scanRawString();
      } else if (ch >= '0' && ch <= '9') {
        this.pos = this.start;
        this.number();
      } else if (ch === '?') {
        this.accept('.?');
        this.emit('Operator');
      } else if (ch === '/') {
        if (this.accept('/')) this.lineComment();
        else if (this.accept('*')) this.blockComment();
        else this.emit('Operator');
      } else if (ch === '#') {
        this.emit('Operator');
        while (isAlphaNumeric(this.peek())) this.next();
        if (this.pos > this.start) this.emit('Identifier');
      } else if (ch === '|') {
        this.accept('|');
        this.emit('Operator');
      } else if (ch === ':') {
        this.accept(':');
        this.emit('Operator');
      } else if ('([{)]}'.includes(ch)) {
        this.emit('Bracket');
      } else if (',;%+-^'.includes(ch)) {
        this.emit('Operator');
      } else if ('&!=*<>'.includes(ch)) {
        this.accept('&=*');
        this.emit('Operator');
      } else if (ch === '.') {
        if (/[0-9]/.test(this.peek())) {
          this.pos = this.start;
          this.number();
        } else {
          this.accept('.');
          this.emit('Operator');
        }
      } else if (isAlphaNumeric(ch)) {
        this.identifier();
      } else {
        this.fail(`unrecognized character: ${goRuneName(ch)}`, this.start);
      }
    }
  }

  private number(): void {
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    const end = this.pos;
    if (this.accept('.')) {
      if (this.peek() === '.') {
        // `1..2` is a range: the number stops before the first dot
        this.pos = end;
        this.emit('Number');
        return;
      }
      this.acceptRun(digits);
    }
    if (!digits.includes('a') && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun(digits);
    }
    if (isAlphaNumeric(this.peek())) {
      this.next();
      this.fail(`bad number syntax: ${goQuote(this.word())}`, this.start);
    }
    this.emit('Number');
  }

  private identifier(): void {
    while (isAlphaNumeric(this.peek())) this.next();
    const w = this.word();
    if (w === 'not') {
      this.emit('Operator');
      // `not in`, `not matches`, ...: emit the following word as an operator too
      let p = this.pos;
      while (p < this.src.length && SPACE.test(this.peek(p))) p += this.peek(p).length;
      let q = p;
      while (q < this.src.length && isAlphaNumeric(this.peek(q))) q += this.peek(q).length;
      const next = this.src.slice(p, q);
      if (NEGATABLE.has(next)) {
        this.start = p;
        this.pos = q;
        this.emit('Operator');
      }
      return;
    }
    this.emit(WORD_OPERATORS.has(w) ? 'Operator' : 'Identifier');
  }

  private lineComment(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
    this.start = this.pos;
  }

  private blockComment(): void {
    const end = this.src.indexOf('*/', this.pos);
    if (end < 0) this.fail('unclosed comment', this.start);
    this.pos = end + 2;
    this.start = this.pos;
  }

  private scanRawString(): void {
    const end = this.src.indexOf('`', this.pos);
    if (end < 0) this.fail('literal not terminated', this.src.length);
    const value = this.src.slice(this.pos, end);
    this.pos = end + 1;
    this.emit('String', value);
  }

  /** Scans a quoted string (opening quote consumed) and returns its unescaped value. */
  private scanString(quote: string): string {
    let out = '';
    for (;;) {
      const ch = this.next();
      if (ch === quote) return out;
      if (ch === '' || ch === '\n') this.fail('literal not terminated');
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const at = this.pos - 1;
      const e = this.next();
      switch (e) {
        case 'a':
          out += '\x07';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'v':
          out += '\v';
          break;
        case '\\':
          out += '\\';
          break;
        case quote:
          out += quote;
          break;
        case 'x':
          out += this.codeUnit(16, 2, at);
          break;
        case 'u':
          out += this.codeUnit(16, 4, at);
          break;
        case 'U':
          out += this.codeUnit(16, 8, at);
          break;
        default:
          if (e >= '0' && e <= '7') {
            this.pos -= 1;
            out += this.codeUnit(8, 3, at);
            break;
          }
          this.fail('invalid char escape', at);
      }
    }
  }

  private codeUnit(base: number, count: number, at: number): string {
    const text = this.src.slice(this.pos, this.pos + count);
    const re = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
    if (text.length !== count || !re.test(text)) this.fail('invalid char escape', at);
    this.pos += count;
    const cp = parseInt(text, base);
    if (base === 8 && cp > 255) this.fail('octal escape value > 255', at);
    if (cp > 0x10ffff) this.fail('escape sequence is invalid Unicode code point', at);
    return String.fromCodePoint(cp);
  }
}

export function tokenize(source: string): Token[] {
  return new Lexer(source).run();
}
