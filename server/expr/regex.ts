// `matches` uses Go's regexp (RE2 syntax, linear time). JavaScript's RegExp backtracks, so a
// pattern like `(a+)+$` could freeze the server on a crafted payload. This module implements the
// RE2 syntax users write in triggers and matches with a Thompson NFA simulation (Pike VM without
// captures): time is O(pattern × input), and the caller's budget is charged as it runs.
//
// Supported: literals, `.`, `[...]` classes (ranges, negation, `[:alpha:]`, `\d\w\s`, `\pL`,
// `\p{Greek}`), `\d \D \w \W \s \S`, anchors `^ $ \A \z \b \B`, groups `(...)`, `(?:...)`,
// `(?P<name>...)`, `(?<name>...)`, flags `(?i)`, `(?m)`, `(?s)`, `(?U)` (also scoped `(?i:...)`),
// alternation, `* + ? {n} {n,} {n,m}` (lazy forms accepted), escapes `\n \t \x41 \x{263a} \Q..\E`.
// Like RE2, backreferences and lookarounds are rejected. Errors use Go's wording, e.g.
// "error parsing regexp: missing closing ]: `[a`".

export const MAX_REGEX_LENGTH = 1000;
const MAX_REPEAT = 1000;
const MAX_PROGRAM = 20_000;

export class RegexError extends Error {}

type Assertion = 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb';

type RNode =
  | { k: 'empty' }
  | { k: 'char'; test: (cp: number) => boolean }
  | { k: 'assert'; a: Assertion }
  | { k: 'cat'; xs: RNode[] }
  | { k: 'alt'; xs: RNode[] }
  | { k: 'rep'; x: RNode; min: number; max: number };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const cpStr = (cp: number) => String.fromCodePoint(cp);

function foldVariants(cp: number): number[] {
  const s = cpStr(cp);
  const out = new Set<number>([cp]);
  for (const t of [s.toLowerCase(), s.toUpperCase()]) {
    const c = t.codePointAt(0);
    if (c !== undefined && cpStr(c) === t) out.add(c);
  }
  return [...out];
}

const isWordCp = (cp: number) => (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95;

/** A character class: ranges plus predicates (Unicode properties), possibly negated. */
class CharClass {
  ranges: number[] = [];
  preds: Array<(cp: number) => boolean> = [];

  addRange(lo: number, hi: number): void {
    this.ranges.push(lo, hi);
  }

  addClass(other: CharClass, negate: boolean): void {
    if (!negate) {
      this.ranges.push(...other.ranges);
      this.preds.push(...other.preds);
    } else {
      this.preds.push((cp) => !other.has(cp));
    }
  }

  has(cp: number): boolean {
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) if (cp >= r[i]! && cp <= r[i + 1]!) return true;
    for (const p of this.preds) if (p(cp)) return true;
    return false;
  }

  tester(negate: boolean, fold: boolean): (cp: number) => boolean {
    const base = fold ? (cp: number) => foldVariants(cp).some((c) => this.has(c)) : (cp: number) => this.has(cp);
    return negate ? (cp) => !base(cp) : base;
  }
}

function perlClass(letter: string): { cls: CharClass; negate: boolean } | undefined {
  const cls = new CharClass();
  switch (letter.toLowerCase()) {
    case 'd':
      cls.addRange(48, 57);
      break;
    case 's':
      for (const c of [9, 10, 12, 13, 32]) cls.addRange(c, c);
      break;
    case 'w':
      cls.addRange(48, 57);
      cls.addRange(65, 90);
      cls.addRange(97, 122);
      cls.addRange(95, 95);
      break;
    default:
      return undefined;
  }
  return { cls, negate: letter !== letter.toLowerCase() };
}

const POSIX: Record<string, Array<[number, number]>> = {
  alnum: [
    [48, 57],
    [65, 90],
    [97, 122],
  ],
  alpha: [
    [65, 90],
    [97, 122],
  ],
  ascii: [[0, 127]],
  blank: [
    [9, 9],
    [32, 32],
  ],
  cntrl: [
    [0, 31],
    [127, 127],
  ],
  digit: [[48, 57]],
  graph: [[33, 126]],
  lower: [[97, 122]],
  print: [[32, 126]],
  punct: [
    [33, 47],
    [58, 64],
    [91, 96],
    [123, 126],
  ],
  space: [
    [9, 13],
    [32, 32],
  ],
  upper: [[65, 90]],
  word: [
    [48, 57],
    [65, 90],
    [97, 122],
    [95, 95],
  ],
  xdigit: [
    [48, 57],
    [65, 70],
    [97, 102],
  ],
};

const unicodeCache = new Map<string, RegExp | null>();
function unicodeProperty(name: string): ((cp: number) => boolean) | undefined {
  if (!/^[A-Za-z_]+$/.test(name)) return undefined;
  let re = unicodeCache.get(name);
  if (re === undefined) {
    re = null;
    const candidates = name === 'Any' ? ['Any'] : [name, `Script=${name}`];
    for (const c of candidates) {
      try {
        re = new RegExp(`^\\p{${c}}$`, 'u');
        break;
      } catch {
        /* try the next spelling */
      }
    }
    if (unicodeCache.size < 256) unicodeCache.set(name, re);
  }
  const r = re;
  return r ? (cp) => r.test(cpStr(cp)) : undefined;
}

class RegexParser {
  private readonly cps: number[];
  private pos = 0;
  private flags: Flags = { i: false, m: false, s: false };
  private depth = 0;

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  }

  private fail(code: string, fragment: string): never {
    throw new RegexError(`error parsing regexp: ${code}: \`${fragment}\``);
  }

  private text(from: number, to = this.cps.length): string {
    return String.fromCodePoint(...this.cps.slice(from, to));
  }

  private peek(off = 0): number | undefined {
    return this.cps[this.pos + off];
  }

  private peekCh(off = 0): string {
    const c = this.peek(off);
    return c === undefined ? '' : cpStr(c);
  }

  parse(): RNode {
    const node = this.parseAlt();
    if (this.pos < this.cps.length) {
      // only an unmatched ')' stops the top-level alternation early
      this.fail('unexpected )', this.pattern);
    }
    return node;
  }

  private parseAlt(): RNode {
    const xs = [this.parseConcat()];
    while (this.peekCh() === '|') {
      this.pos++;
      xs.push(this.parseConcat());
    }
    return xs.length === 1 ? xs[0]! : { k: 'alt', xs };
  }

  private parseConcat(): RNode {
    const xs: RNode[] = [];
    /** Text of the repetition operator just applied, to reject `a**` like RE2. */
    let lastRepeat: string | undefined;
    for (;;) {
      const ch = this.peekCh();
      if (ch === '' || ch === '|' || ch === ')') break;
      if (ch === '*' || ch === '+' || ch === '?' || (ch === '{' && this.repeatSpec() !== undefined)) {
        const op = this.repeatOp();
        if (xs.length === 0) this.fail('missing argument to repetition operator', op.text);
        if (lastRepeat !== undefined) this.fail('invalid nested repetition operator', lastRepeat + op.text);
        xs[xs.length - 1] = { k: 'rep', x: xs[xs.length - 1]!, min: op.min, max: op.max };
        lastRepeat = op.text;
        continue;
      }
      const atom = this.parseAtom();
      if (atom) {
        xs.push(atom);
        lastRepeat = undefined;
      }
    }
    if (xs.length === 0) return { k: 'empty' };
    return xs.length === 1 ? xs[0]! : { k: 'cat', xs };
  }

  /** If a valid `{n}`, `{n,}` or `{n,m}` starts at pos, its bounds and length. */
  private repeatSpec(): { min: number; max: number; len: number } | undefined {
    const rest = this.text(this.pos, Math.min(this.cps.length, this.pos + 24));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    return { min, max, len: m[0].length };
  }

  private repeatOp(): { min: number; max: number; text: string } {
    const start = this.pos;
    const ch = this.peekCh();
    let min = 0;
    let max = -1;
    if (ch === '{') {
      const spec = this.repeatSpec()!;
      this.pos += spec.len;
      if (spec.min > MAX_REPEAT || spec.max > MAX_REPEAT || (spec.max >= 0 && spec.max < spec.min)) {
        this.fail('invalid repeat count', this.text(start, this.pos));
      }
      min = spec.min;
      max = spec.max;
    } else {
      this.pos++;
      if (ch === '+') min = 1;
      if (ch === '?') max = 1;
    }
    if (this.peekCh() === '?') this.pos++; // non-greedy: same language
    return { min, max, text: this.text(start, this.pos) };
  }

  private parseAtom(): RNode | undefined {
    const ch = this.peekCh();
    switch (ch) {
      case '(':
        return this.parseGroup();
      case '[':
        return this.parseClass();
      case '.': {
        this.pos++;
        const s = this.flags.s;
        return { k: 'char', test: (cp) => s || cp !== 10 };
      }
      case '^':
        this.pos++;
        return { k: 'assert', a: this.flags.m ? 'bol' : 'bot' };
      case '$':
        this.pos++;
        return { k: 'assert', a: this.flags.m ? 'eol' : 'eot' };
      case '\\':
        return this.parseEscape();
      default: {
        const cp = this.peek()!;
        this.pos++;
        return this.literal(cp);
      }
    }
  }

  private literal(cp: number): RNode {
    if (!this.flags.i) return { k: 'char', test: (c) => c === cp };
    const set = foldVariants(cp);
    return { k: 'char', test: (c) => set.includes(c) || foldVariants(c).some((v) => set.includes(v)) };
  }

  private parseGroup(): RNode | undefined {
    const start = this.pos;
    this.pos++; // (
    const saved = { ...this.flags };
    if (this.peekCh() === '?') {
      const next = this.peekCh(1);
      if (next === 'P' || next === '<') {
        // (?P<name>re) or (?<name>re)
        if (next === 'P' && this.peekCh(2) !== '<') {
          this.fail('invalid or unsupported Perl syntax', this.text(start, this.pos + 3));
        }
        this.pos += next === 'P' ? 3 : 2;
        const close = this.cps.indexOf(62 /* > */, this.pos);
        if (close < 0) this.fail('invalid named capture', this.text(start));
        const name = this.text(this.pos, close);
        if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail('invalid named capture', this.text(start, close + 1));
        this.pos = close + 1;
        return this.groupBody(saved);
      }
      // flags: (?i) (?i-s) (?i:re)
      let p = this.pos + 1;
      let negate = false;
      const flags = { ...this.flags };
      let sawFlag = false;
      for (;;) {
        const c = this.cps[p] === undefined ? '' : cpStr(this.cps[p]!);
        if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
          if (c !== 'U') flags[c] = !negate;
          sawFlag = true;
          p++;
        } else if (c === '-' && !negate) {
          negate = true;
          sawFlag = false;
          p++;
        } else if ((c === ':' || (c === ')' && p > this.pos + 1)) && (sawFlag || !negate)) {
          this.flags = flags;
          this.pos = p + 1;
          if (c === ')') return undefined; // applies to the rest of the enclosing group
          return this.groupBody(saved);
        } else {
          this.fail('invalid or unsupported Perl syntax', this.text(start, Math.min(p + 1, this.cps.length)));
        }
      }
    }
    return this.groupBody(saved);
  }

  private groupBody(saved: Flags): RNode {
    if (++this.depth > 500) this.fail('expression nests too deeply', this.pattern);
    const inner = this.parseAlt();
    this.depth--;
    if (this.peekCh() !== ')') this.fail('missing closing )', this.pattern);
    this.pos++;
    this.flags = saved;
    return inner;
  }

  private parseEscape(): RNode {
    const start = this.pos;
    this.pos++; // backslash
    const ch = this.peekCh();
    if (ch === '') this.fail('trailing backslash at end of expression', '');
    switch (ch) {
      case 'A':
        this.pos++;
        return { k: 'assert', a: 'bot' };
      case 'z':
        this.pos++;
        return { k: 'assert', a: 'eot' };
      case 'b':
        this.pos++;
        return { k: 'assert', a: 'wb' };
      case 'B':
        this.pos++;
        return { k: 'assert', a: 'nwb' };
      case 'Q': {
        this.pos++;
        let end = -1;
        for (let i = this.pos; i + 1 < this.cps.length; i++) {
          if (this.cps[i] === 92 && this.cps[i + 1] === 69) {
            end = i;
            break;
          }
        }
        const lits = this.cps.slice(this.pos, end < 0 ? this.cps.length : end);
        this.pos = end < 0 ? this.cps.length : end + 2;
        return { k: 'cat', xs: lits.map((c) => this.literal(c)) };
      }
      case 'C':
        this.pos++;
        return { k: 'char', test: () => true };
    }
    const cls = this.classEscape(start);
    if (cls) return { k: 'char', test: cls.cls.tester(cls.negate, this.flags.i) };
    return this.literal(this.singleEscape(start));
  }

  /** `\d`, `\D`, `\pL`, `\p{Greek}`, `\P{...}`, `\p{^...}`; pos is after the backslash. */
  private classEscape(start: number): { cls: CharClass; negate: boolean } | undefined {
    const ch = this.peekCh();
    const perl = perlClass(ch);
    if (perl) {
      this.pos++;
      return perl;
    }
    if (ch !== 'p' && ch !== 'P') return undefined;
    this.pos++;
    let name: string;
    if (this.peekCh() === '{') {
      const close = this.cps.indexOf(125 /* } */, this.pos);
      if (close < 0) this.fail('invalid character class range', this.text(start));
      name = this.text(this.pos + 1, close);
      this.pos = close + 1;
    } else {
      name = this.peekCh();
      if (name === '') this.fail('invalid character class range', this.text(start));
      this.pos++;
    }
    let negate = ch === 'P';
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    const pred = unicodeProperty(name);
    if (!pred) this.fail('invalid character class range', this.text(start, this.pos));
    const cls = new CharClass();
    cls.preds.push(pred);
    return { cls, negate };
  }

  /** A single-character escape; pos is after the backslash. Returns the code point. */
  private singleEscape(start: number): number {
    const ch = this.peekCh();
    const c = this.peek()!;
    this.pos++;
    switch (ch) {
      case 'a':
        return 7;
      case 'f':
        return 12;
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 'v':
        return 11;
      case 'x': {
        if (this.peekCh() === '{') {
          const close = this.cps.indexOf(125, this.pos);
          const hex = close < 0 ? '' : this.text(this.pos + 1, close);
          if (!/^[0-9a-fA-F]{1,8}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
            this.fail('invalid escape sequence', this.text(start, close < 0 ? this.cps.length : close + 1));
          }
          this.pos = close + 1;
          return parseInt(hex, 16);
        }
        const hex = this.text(this.pos, this.pos + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('invalid escape sequence', this.text(start, Math.min(this.pos + 2, this.cps.length)));
        this.pos += 2;
        return parseInt(hex, 16);
      }
    }
    if (ch >= '0' && ch <= '7') {
      // octal: \0, \01, \012, or \12 (a single non-zero digit would be a backreference)
      let digits = ch;
      while (digits.length < 3 && /[0-7]/.test(this.peekCh())) {
        digits += this.peekCh();
        this.pos++;
      }
      if (ch !== '0' && digits.length === 1) this.fail('invalid escape sequence', this.text(start, this.pos));
      return parseInt(digits, 8);
    }
    if (c < 128 && !/[0-9A-Za-z]/.test(ch)) return c; // escaped punctuation
    this.fail('invalid escape sequence', this.text(start, this.pos));
  }

  private parseClass(): RNode {
    const start = this.pos;
    this.pos++; // [
    let negate = false;
    if (this.peekCh() === '^') {
      negate = true;
      this.pos++;
    }
    const cls = new CharClass();
    let first = true;
    for (;;) {
      const ch = this.peekCh();
      if (ch === '') this.fail('missing closing ]', this.text(start));
      if (ch === ']' && !first) {
        this.pos++;
        break;
      }
      if (ch === '-' && !first && this.peekCh(1) !== ']') {
        this.fail('invalid character class range', this.text(this.pos, Math.min(this.pos + 2, this.cps.length)));
      }
      first = false;
      if (ch === '[' && this.peekCh(1) === ':') {
        const close = this.text(this.pos).indexOf(':]');
        if (close > 0) {
          let name = this.text(this.pos + 2, this.pos + close);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const ranges = POSIX[name];
          if (!ranges) this.fail('invalid character class range', this.text(this.pos, this.pos + close + 2));
          const sub = new CharClass();
          for (const [lo, hi] of ranges) sub.addRange(lo, hi);
          cls.addClass(sub, neg);
          this.pos += close + 2;
          continue;
        }
      }
      const itemStart = this.pos;
      if (ch === '\\') {
        this.pos++;
        if (this.peekCh() === '') this.fail('trailing backslash at end of expression', '');
        const sub = this.classEscape(itemStart);
        if (sub) {
          cls.addClass(sub.cls, sub.negate);
          continue;
        }
        this.pos = itemStart;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peekCh() === '-' && this.peekCh(1) !== ']' && this.peekCh(1) !== '') {
        this.pos++;
        hi = this.classChar();
        if (hi < lo) this.fail('invalid character class range', this.text(itemStart, this.pos));
      }
      cls.addRange(lo, hi);
    }
    return { k: 'char', test: cls.tester(negate, this.flags.i) };
  }

  private classChar(): number {
    const start = this.pos;
    if (this.peekCh() === '\\') {
      this.pos++;
      if (this.peekCh() === '') this.fail('trailing backslash at end of expression', '');
      return this.singleEscape(start);
    }
    const c = this.peek()!;
    this.pos++;
    return c;
  }
}

const Op = { Char: 0, Split: 1, Jmp: 2, Assert: 3, Match: 4 } as const;

type Inst =
  | { op: typeof Op.Char; test: (cp: number) => boolean }
  | { op: typeof Op.Split; x: number; y: number }
  | { op: typeof Op.Jmp; x: number }
  | { op: typeof Op.Assert; a: Assertion }
  | { op: typeof Op.Match };

class Compiler {
  readonly prog: Inst[] = [];

  private emit(inst: Inst): number {
    if (this.prog.length >= MAX_PROGRAM) throw new RegexError('error parsing regexp: expression too large');
    this.prog.push(inst);
    return this.prog.length - 1;
  }

  compile(n: RNode): void {
    switch (n.k) {
      case 'empty':
        return;
      case 'char':
        this.emit({ op: Op.Char, test: n.test });
        return;
      case 'assert':
        this.emit({ op: Op.Assert, a: n.a });
        return;
      case 'cat':
        for (const x of n.xs) this.compile(x);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let i = 0; i < n.xs.length; i++) {
          if (i < n.xs.length - 1) {
            const split = this.emit({ op: Op.Split, x: 0, y: 0 });
            (this.prog[split] as { x: number }).x = this.prog.length;
            this.compile(n.xs[i]!);
            jumps.push(this.emit({ op: Op.Jmp, x: 0 }));
            (this.prog[split] as { y: number }).y = this.prog.length;
          } else {
            this.compile(n.xs[i]!);
          }
        }
        for (const j of jumps) (this.prog[j] as { x: number }).x = this.prog.length;
        return;
      }
      case 'rep': {
        for (let i = 0; i < n.min; i++) this.compile(n.x);
        if (n.max === -1) {
          // x*: L: split body, end; body; jmp L
          const split = this.emit({ op: Op.Split, x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          this.compile(n.x);
          this.emit({ op: Op.Jmp, x: split });
          (this.prog[split] as { y: number }).y = this.prog.length;
          return;
        }
        // up to (max - min) optional copies: split body, end; body; split body2, end; ...
        const splits: number[] = [];
        for (let i = n.min; i < n.max; i++) {
          const split = this.emit({ op: Op.Split, x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          splits.push(split);
          this.compile(n.x);
        }
        for (const s of splits) (this.prog[s] as { y: number }).y = this.prog.length;
        return;
      }
    }
  }
}

export interface Regex {
  readonly source: string;
  /** Unanchored search like Go's MatchString. `tick(n)` is called with the work done per input
   * character so the caller can enforce a budget (it may throw). */
  test(input: string, tick?: (work: number) => void): boolean;
}

export function compileRegex(pattern: string): Regex {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new RegexError(`error parsing regexp: expression too long (more than ${MAX_REGEX_LENGTH} characters)`);
  }
  const ast = new RegexParser(pattern).parse();
  const c = new Compiler();
  c.compile(ast);
  c.prog.push({ op: Op.Match });
  const prog = c.prog;
  return {
    source: pattern,
    test: (input, tick) => run(prog, input, tick),
  };
}

function run(prog: Inst[], input: string, tick?: (work: number) => void): boolean {
  const n = input.length;
  const size = prog.length;
  let clist = new Int32Array(size);
  let nlist = new Int32Array(size);
  let clen = 0;
  let nlen = 0;
  const mark = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size * 2 + 2);
  let gen = 0;
  // code points around the current position (-1 outside the input); `at` is a UTF-16 index
  let prev = -1;
  let at = 0;
  const cpAt = (i: number) => (i < n ? input.codePointAt(i)! : -1);

  const holds = (a: Assertion): boolean => {
    const next = cpAt(at);
    switch (a) {
      case 'bot':
        return at === 0;
      case 'eot':
        return at === n;
      case 'bol':
        return at === 0 || prev === 10;
      case 'eol':
        return at === n || next === 10;
      case 'wb':
        return isWordCp(prev) !== isWordCp(next);
      case 'nwb':
        return isWordCp(prev) === isWordCp(next);
    }
  };

  /** Adds the epsilon closure of pc (at the current position) to a list; -1 when Match is
   * reachable. */
  const add = (list: Int32Array, len: number, pc0: number): number => {
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const inst = prog[pc]!;
      switch (inst.op) {
        case Op.Match:
          return -1;
        case Op.Jmp:
          stack[sp++] = inst.x;
          break;
        case Op.Split:
          stack[sp++] = inst.y;
          stack[sp++] = inst.x;
          break;
        case Op.Assert:
          if (holds(inst.a)) stack[sp++] = pc + 1;
          break;
        case Op.Char:
          list[len++] = pc;
          break;
      }
    }
    return len;
  };

  gen++;
  clen = add(clist, 0, 0);
  if (clen < 0) return true;
  while (at < n) {
    tick?.(clen + 1);
    const cp = input.codePointAt(at)!;
    // step over the character: assertions in the closures below see the next position
    prev = cp;
    at += cp > 0xffff ? 2 : 1;
    gen++;
    nlen = 0;
    for (let i = 0; i < clen; i++) {
      const pc = clist[i]!;
      const inst = prog[pc] as { test: (cp: number) => boolean };
      if (inst.test(cp)) {
        nlen = add(nlist, nlen, pc + 1);
        if (nlen < 0) return true;
      }
    }
    // unanchored search: a new attempt may start at every position
    nlen = add(nlist, nlen, 0);
    if (nlen < 0) return true;
    const t = clist;
    clist = nlist;
    nlist = t;
    clen = nlen;
  }
  return false;
}
