/**
 * JSON with integers of any size. Money travels as JSON numbers (ledger amounts, balances, stage
 * amounts may exceed 2^53, and JSON.parse would silently round them), so both the service and
 * the console read and write JSON through here. Pure and dependency-free.
 */

/**
 * JSON.parse, except that an integer literal a double cannot hold exactly is handed to `big`
 * (the service makes it a bigint, the console keeps its digits as a string). Literals of any
 * length; everything else is exactly JSON.parse (including its errors being SyntaxErrors).
 */
export function parseJsonLossless<B>(text: string, big: (digits: string) => B): unknown {
  // Fast path: without a run of 16 digits no number can be unsafe.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return new LosslessParser(text, big).parseDocument();
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class LosslessParser<B> {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly big: (digits: string) => B,
  ) {}

  parseDocument(): unknown {
    const value = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected trailing characters');
    return value;
  }

  private fail(message: string): never {
    throw new SyntaxError(`JSON: ${message} at position ${this.i}`);
  }

  private ws() {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (this.s.startsWith('true', this.i)) return ((this.i += 4), true);
    if (this.s.startsWith('false', this.i)) return ((this.i += 5), false);
    if (this.s.startsWith('null', this.i)) return ((this.i += 4), null);
    return this.fail('unexpected token');
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++; // {
    this.ws();
    if (this.s[this.i] === '}') return (this.i++, out);
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a key');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      const v = this.value();
      // Same semantics as JSON.parse for "__proto__": an own property, not the prototype.
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++; // [
    this.ws();
    if (this.s[this.i] === ']') return (this.i++, out);
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    // Find the closing quote, honouring escapes, then let JSON.parse decode the literal.
    const start = this.i;
    this.i++;
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        return JSON.parse(s.slice(start, this.i)) as string;
      } else this.i++;
    }
    return this.fail('unterminated string');
  }

  private number(): number | B {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) return this.fail('invalid number');
    this.i += m[0].length;
    const n = Number(m[0]);
    if (!m[1] && !m[2] && !Number.isSafeInteger(n)) return this.big(m[0]);
    return n;
  }
}

/**
 * JSON.stringify where bigint values are written as bare integer literals (exact), and
 * `undefined` object values are dropped as usual. Never confuses a string with a number: the
 * placeholder carries a per-call nonce that no input string can know.
 */
export function stringifyJson(value: unknown, space?: number): string {
  const digits: string[] = [];
  const nonce = Math.random().toString(36).slice(2, 10);
  const mark = `\u0000bigint${nonce}:`;
  const text = JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v !== 'bigint') return v;
      digits.push(v.toString());
      return `${mark}${digits.length - 1}`;
    },
    space,
  );
  if (digits.length === 0) return text;
  return text.replace(new RegExp(`"\\\\u0000bigint${nonce}:(\\d+)"`, 'g'), (_, index: string) => digits[Number(index)]!);
}
