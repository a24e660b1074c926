/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact: they come back as
 * decimal strings (ledger amounts and balances may exceed 2^53). Everything else is
 * identical to JSON.parse.
 */
export function parseJsonLossless(text: string): unknown {
  // Fast path: without a run of 16+ digits no number can be unsafe.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return new LosslessParser(text).parseDocument();
}

class LosslessParser {
  private i = 0;
  constructor(private readonly s: string) {}

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
    if (this.s.startsWith('true', this.i)) return (this.i += 4), true;
    if (this.s.startsWith('false', this.i)) return (this.i += 5), false;
    if (this.s.startsWith('null', this.i)) return (this.i += 4), null;
    return this.fail('unexpected token');
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++; // {
    this.ws();
    if (this.s[this.i] === '}') return this.i++, out;
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
    if (this.s[this.i] === ']') return this.i++, out;
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

  private number(): number | string {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) return this.fail('invalid number');
    this.i += m[0].length;
    const n = Number(m[0]);
    if (!m[1] && !m[2] && !Number.isSafeInteger(n)) return m[0];
    return n;
  }
}
