import { SandboxError } from './errors.js';
import { isValidAddress, isValidAsset } from './validate.js';

/**
 * The Numscript subset the sandbox ledger runs (docs/compatibility.md: sandbox ledger): what Flows sends for overdrafts
 * and the common forms around it —
 *
 *   vars { account $a  monetary $m  asset $c  number $n  string $s  portion $p }
 *   send [ASSET 100] | [ASSET *] | [$c $n] | $m (
 *     source = @a | @a allowing unbounded overdraft | @a allowing overdraft up to [ASSET 10]
 *            | max [ASSET 10] from <source> | { <source> <source> ... }      (drained in order)
 *     destination = @b | { max [ASSET 10] to <dest> ... remaining to <dest> | remaining kept }
 *                 | { 10% to <dest>  1/3 to <dest>  remaining to <dest> }
 *   )
 *   set_tx_meta("key", <value>)   set_account_meta(@a, "key", <value>)
 *
 * Postings are run through the same executor (one send per posting), as upstream does.
 */

export type Source =
  { type: 'account'; address: string; overdraft?: 'unbounded' | bigint } | { type: 'inorder'; sources: Source[] } | { type: 'max'; max: bigint; source: Source };

export type Destination =
  | { type: 'account'; address: string }
  | { type: 'kept' }
  | { type: 'inorder'; parts: { max: bigint; to: Destination }[]; remaining: Destination }
  | { type: 'allotment'; parts: { portion: Portion | 'remaining'; to: Destination }[] };

/** A fraction num/den in [0, 1]. */
export interface Portion {
  num: bigint;
  den: bigint;
}

export interface Send {
  asset: string;
  /** 'all' = `[ASSET *]`: the whole available balance of the source */
  amount: bigint | 'all';
  source: Source;
  destination: Destination;
}

export interface Program {
  sends: Send[];
  txMeta: Record<string, string>;
  accountMeta: Record<string, Record<string, string>>;
}

export interface Posting {
  source: string;
  destination: string;
  amount: bigint;
  asset: string;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Tok =
  | { k: 'acct'; v: string; at: number }
  | { k: 'var'; v: string; at: number }
  | { k: 'word'; v: string; at: number }
  | { k: 'num'; v: string; at: number }
  | { k: 'str'; v: string; at: number }
  | { k: 'punct'; v: string; at: number }
  | { k: 'eof'; v: ''; at: number };

function compileError(src: string, at: number, message: string): SandboxError {
  const before = src.slice(0, at);
  const line = before.split('\n').length;
  const col = at - before.lastIndexOf('\n');
  return new SandboxError('COMPILATION_FAILED', `compilation failed: ${line}:${col}: ${message}`);
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw compileError(src, i, 'unterminated comment');
      i = end + 2;
      continue;
    }
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^@([A-Za-z0-9_:-]+)/.exec(rest))) {
      out.push({ k: 'acct', v: m[1], at: i });
    } else if ((m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) {
      out.push({ k: 'var', v: m[1], at: i });
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_]*(\/\d+)?/.exec(rest))) {
      out.push({ k: 'word', v: m[0], at: i });
    } else if ((m = /^\d[\d_]*/.exec(rest))) {
      out.push({ k: 'num', v: m[0].replaceAll('_', ''), at: i });
    } else if (ch === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) {
          s += src[j + 1];
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw compileError(src, i, 'unterminated string');
      out.push({ k: 'str', v: s, at: i });
      i = j + 1;
      continue;
    } else if ('[](){}=,%/*'.includes(ch)) {
      out.push({ k: 'punct', v: ch, at: i });
      i++;
      continue;
    } else {
      throw compileError(src, i, `unexpected character '${ch}'`);
    }
    i += m[0].length;
  }
  out.push({ k: 'eof', v: '', at: src.length });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser (binds variables while parsing: the subset has no control flow)

type VarType = 'account' | 'monetary' | 'asset' | 'number' | 'string' | 'portion';
type Value =
  | { t: 'account'; v: string }
  | { t: 'monetary'; asset: string; amount: bigint }
  | { t: 'asset'; v: string }
  | { t: 'number'; v: bigint }
  | { t: 'string'; v: string }
  | { t: 'portion'; v: Portion };

class Parser {
  private pos = 0;
  private readonly toks: Tok[];
  private readonly vars = new Map<string, Value>();

  constructor(
    private readonly src: string,
    private readonly given: Record<string, string>,
  ) {
    this.toks = tokenize(src);
  }

  private peek(offset = 0): Tok {
    return this.toks[Math.min(this.pos + offset, this.toks.length - 1)];
  }
  private next(): Tok {
    return this.toks[this.pos++] ?? this.toks[this.toks.length - 1];
  }
  private fail(message: string, tok = this.peek()): never {
    throw compileError(this.src, tok.at, message);
  }
  private isWord(v: string, offset = 0) {
    const t = this.peek(offset);
    return t.k === 'word' && t.v === v;
  }
  private isPunct(v: string, offset = 0) {
    const t = this.peek(offset);
    return t.k === 'punct' && t.v === v;
  }
  private expectWord(v: string) {
    if (!this.isWord(v)) this.fail(`expected '${v}', got ${this.describe(this.peek())}`);
    this.next();
  }
  private expectPunct(v: string) {
    if (!this.isPunct(v)) this.fail(`expected '${v}', got ${this.describe(this.peek())}`);
    this.next();
  }
  private describe(t: Tok) {
    if (t.k === 'eof') return 'end of script';
    if (t.k === 'acct') return `'@${t.v}'`;
    if (t.k === 'var') return `'$${t.v}'`;
    return `'${t.v}'`;
  }

  parse(): Program {
    const program: Program = { sends: [], txMeta: {}, accountMeta: {} };
    if (this.isWord('vars')) this.parseVars();
    for (const name of Object.keys(this.given)) {
      if (!this.vars.has(name)) throw new SandboxError('COMPILATION_FAILED', `compilation failed: variable '$${name}' is not declared`);
    }
    while (this.peek().k !== 'eof') {
      const t = this.peek();
      if (this.isWord('send')) program.sends.push(this.parseSend());
      else if (this.isWord('set_tx_meta')) {
        this.next();
        this.expectPunct('(');
        const key = this.parseString();
        this.expectPunct(',');
        const value = this.parseMetaValue();
        this.expectPunct(')');
        program.txMeta[key] = value;
      } else if (this.isWord('set_account_meta')) {
        this.next();
        this.expectPunct('(');
        const account = this.parseAccount();
        this.expectPunct(',');
        const key = this.parseString();
        this.expectPunct(',');
        const value = this.parseMetaValue();
        this.expectPunct(')');
        (program.accountMeta[account] ??= {})[key] = value;
      } else this.fail(`unexpected ${this.describe(t)}: expected 'send', 'set_tx_meta' or 'set_account_meta'`);
    }
    return program;
  }

  private parseVars() {
    this.next();
    this.expectPunct('{');
    while (!this.isPunct('}')) {
      const typeTok = this.next();
      if (typeTok.k !== 'word' || !['account', 'monetary', 'asset', 'number', 'string', 'portion'].includes(typeTok.v)) {
        this.fail(`expected a variable type (account, monetary, asset, number, string, portion), got ${this.describe(typeTok)}`, typeTok);
      }
      const nameTok = this.next();
      if (nameTok.k !== 'var') this.fail(`expected a variable name, got ${this.describe(nameTok)}`, nameTok);
      if (this.isPunct('=')) this.fail('variable origins (meta(), balance()) are not supported by the sandbox');
      const raw = this.given[nameTok.v];
      if (raw === undefined) throw new SandboxError('COMPILATION_FAILED', `compilation failed: missing variable '$${nameTok.v}'`);
      this.vars.set(nameTok.v, parseVarValue(typeTok.v as VarType, nameTok.v, raw));
    }
    this.next();
  }

  private variable(type: VarType): Value {
    const tok = this.next();
    const v = this.vars.get(tok.v);
    if (!v) this.fail(`undeclared variable '$${tok.v}'`, tok);
    if (v.t !== type) this.fail(`variable '$${tok.v}' is of type ${v.t}, expected ${type}`, tok);
    return v;
  }

  private parseString(): string {
    const t = this.peek();
    if (t.k === 'str') return this.next().v;
    if (t.k === 'var') return (this.variable('string') as { v: string }).v;
    return this.fail(`expected a string, got ${this.describe(t)}`);
  }

  private parseAccount(): string {
    const t = this.peek();
    if (t.k === 'acct') {
      this.next();
      if (!isValidAddress(t.v)) this.fail(`invalid account address '@${t.v}'`, t);
      return t.v;
    }
    if (t.k === 'var') return (this.variable('account') as { v: string }).v;
    return this.fail(`expected an account, got ${this.describe(t)}`);
  }

  private parseNumber(): bigint {
    const t = this.peek();
    if (t.k === 'num') return BigInt(this.next().v);
    if (t.k === 'var') return (this.variable('number') as { v: bigint }).v;
    return this.fail(`expected a number, got ${this.describe(t)}`);
  }

  private parseAsset(): string {
    const t = this.peek();
    if (t.k === 'word') {
      this.next();
      if (!isValidAsset(t.v)) this.fail(`invalid asset '${t.v}'`, t);
      return t.v;
    }
    if (t.k === 'var') return (this.variable('asset') as { v: string }).v;
    return this.fail(`expected an asset, got ${this.describe(t)}`);
  }

  /** `[ASSET n]`, `[ASSET *]` (when allowAll) or a monetary variable. */
  private parseMonetary(allowAll: boolean): { asset: string; amount: bigint | 'all' } {
    if (this.peek().k === 'var') {
      const v = this.variable('monetary') as { asset: string; amount: bigint };
      return { asset: v.asset, amount: v.amount };
    }
    this.expectPunct('[');
    const asset = this.parseAsset();
    let amount: bigint | 'all';
    if (this.isPunct('*')) {
      if (!allowAll) this.fail("'*' is only allowed as the amount of a send");
      this.next();
      amount = 'all';
    } else amount = this.parseNumber();
    this.expectPunct(']');
    return { asset, amount };
  }

  private parseSend(): Send {
    this.next();
    const monetary = this.parseMonetary(true);
    this.expectPunct('(');
    let source: Source | undefined;
    let destination: Destination | undefined;
    while (!this.isPunct(')')) {
      if (this.isWord('source')) {
        this.next();
        this.expectPunct('=');
        source = this.parseSource(monetary.asset);
      } else if (this.isWord('destination')) {
        this.next();
        this.expectPunct('=');
        destination = this.parseDestination(monetary.asset);
      } else this.fail(`expected 'source' or 'destination', got ${this.describe(this.peek())}`);
    }
    this.next();
    if (!source) this.fail('send without a source');
    if (!destination) this.fail('send without a destination');
    return { asset: monetary.asset, amount: monetary.amount, source, destination };
  }

  private checkAsset(m: { asset: string }, asset: string) {
    if (m.asset !== asset) this.fail(`mismatching assets: ${m.asset} in a send of ${asset}`);
  }

  private parseSource(asset: string): Source {
    if (this.isPunct('{')) {
      this.next();
      const sources: Source[] = [];
      while (!this.isPunct('}')) {
        if (this.peek().k === 'eof') this.fail("expected '}'");
        sources.push(this.parseSource(asset));
      }
      this.next();
      if (sources.length === 0) this.fail('empty source block');
      return { type: 'inorder', sources };
    }
    if (this.isWord('max')) {
      this.next();
      const m = this.parseMonetary(false);
      this.checkAsset(m, asset);
      this.expectWord('from');
      return { type: 'max', max: m.amount as bigint, source: this.parseSource(asset) };
    }
    const address = this.parseAccount();
    if (this.isWord('allowing')) {
      this.next();
      if (this.isWord('unbounded')) {
        this.next();
        this.expectWord('overdraft');
        return { type: 'account', address, overdraft: 'unbounded' };
      }
      this.expectWord('overdraft');
      this.expectWord('up');
      this.expectWord('to');
      const m = this.parseMonetary(false);
      this.checkAsset(m, asset);
      return { type: 'account', address, overdraft: m.amount as bigint };
    }
    return { type: 'account', address };
  }

  private parseDestination(asset: string): Destination {
    if (!this.isPunct('{')) return { type: 'account', address: this.parseAccount() };
    this.next();
    const maxParts: { max: bigint; to: Destination }[] = [];
    const portionParts: { portion: Portion | 'remaining'; to: Destination }[] = [];
    let remaining: Destination | undefined;
    while (!this.isPunct('}')) {
      if (this.peek().k === 'eof') this.fail("expected '}'");
      if (this.isWord('max')) {
        this.next();
        const m = this.parseMonetary(false);
        this.checkAsset(m, asset);
        maxParts.push({ max: m.amount as bigint, to: this.parseKeptOrTo(asset) });
      } else if (this.isWord('remaining')) {
        this.next();
        const to = this.parseKeptOrTo(asset);
        remaining = to;
        portionParts.push({ portion: 'remaining', to });
      } else {
        const portion = this.parsePortion();
        portionParts.push({ portion, to: this.parseKeptOrTo(asset) });
      }
    }
    this.next();
    if (maxParts.length > 0) {
      if (portionParts.length !== 1 || !remaining) this.fail("a destination block with 'max' needs exactly one 'remaining' and no portions");
      return { type: 'inorder', parts: maxParts, remaining };
    }
    const fixed = portionParts.filter((p) => p.portion !== 'remaining') as { portion: Portion }[];
    const total = fixed.reduce((acc, p) => addFrac(acc, p.portion), { num: 0n, den: 1n });
    const remainingCount = portionParts.length - fixed.length;
    if (remainingCount > 1) this.fail("only one 'remaining' per destination block");
    if (remainingCount === 0 && total.num !== total.den) this.fail('the portions of a destination block must add up to 100%');
    if (total.num > total.den) this.fail('the portions of a destination block exceed 100%');
    return { type: 'allotment', parts: portionParts };
  }

  private parseKeptOrTo(asset: string): Destination {
    if (this.isWord('kept')) {
      this.next();
      return { type: 'kept' };
    }
    this.expectWord('to');
    return this.parseDestination(asset);
  }

  private parsePortion(): Portion {
    const t = this.peek();
    if (t.k === 'var') return (this.variable('portion') as { v: Portion }).v;
    if (t.k !== 'num') this.fail(`expected 'max', 'remaining' or a portion, got ${this.describe(t)}`);
    const a = BigInt(this.next().v);
    if (this.isPunct('%')) {
      this.next();
      if (a > 100n) this.fail('a portion cannot exceed 100%', t);
      return { num: a, den: 100n };
    }
    if (this.isPunct('/')) {
      this.next();
      const b = BigInt((this.next() as { v: string }).v);
      if (b === 0n || a > b) this.fail('invalid portion', t);
      return { num: a, den: b };
    }
    return this.fail("expected '%' or '/' in a portion", t);
  }

  private parseMetaValue(): string {
    const t = this.peek();
    if (t.k === 'str') return this.next().v;
    if (t.k === 'num') return this.next().v;
    if (t.k === 'acct') return this.parseAccount();
    if (t.k === 'punct' && t.v === '[') {
      const m = this.parseMonetary(false);
      return `${m.asset} ${m.amount}`;
    }
    if (t.k === 'var') {
      this.next();
      const v = this.vars.get(t.v);
      if (!v) this.fail(`undeclared variable '$${t.v}'`, t);
      return valueText(v);
    }
    return this.fail(`expected a metadata value, got ${this.describe(t)}`);
  }
}

function addFrac(a: Portion, b: Portion): Portion {
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

function valueText(v: Value): string {
  switch (v.t) {
    case 'account':
    case 'asset':
    case 'string':
      return v.v;
    case 'number':
      return String(v.v);
    case 'monetary':
      return `${v.asset} ${v.amount}`;
    case 'portion':
      return `${v.v.num}/${v.v.den}`;
  }
}

function parseVarValue(type: VarType, name: string, raw: string): Value {
  const bad = (what: string) => new SandboxError('COMPILATION_FAILED', `compilation failed: variable '$${name}': ${what}, got '${raw}'`);
  switch (type) {
    case 'account': {
      const a = raw.startsWith('@') ? raw.slice(1) : raw;
      if (!isValidAddress(a)) throw bad('expected an account address');
      return { t: 'account', v: a };
    }
    case 'monetary': {
      const m = /^\s*\[?\s*(\S+)\s+(\d+)\s*\]?\s*$/.exec(raw);
      if (!m || !isValidAsset(m[1])) throw bad("expected a monetary such as 'USD/2 100'");
      return { t: 'monetary', asset: m[1], amount: BigInt(m[2]) };
    }
    case 'asset':
      if (!isValidAsset(raw)) throw bad('expected an asset');
      return { t: 'asset', v: raw };
    case 'number':
      if (!/^\d+$/.test(raw)) throw bad('expected a non-negative integer');
      return { t: 'number', v: BigInt(raw) };
    case 'string':
      return { t: 'string', v: raw };
    case 'portion': {
      let m = /^(\d+)%$/.exec(raw);
      if (m && BigInt(m[1]) <= 100n) return { t: 'portion', v: { num: BigInt(m[1]), den: 100n } };
      m = /^(\d+)\/(\d+)$/.exec(raw);
      if (m && BigInt(m[2]) > 0n && BigInt(m[1]) <= BigInt(m[2])) return { t: 'portion', v: { num: BigInt(m[1]), den: BigInt(m[2]) } };
      throw bad("expected a portion such as '25%' or '1/3'");
    }
  }
}

/** Compiles a script with its variables (values are strings, as in the ledger API). */
export function compile(plain: string, vars: Record<string, string> = {}): Program {
  return new Parser(plain, vars).parse();
}

/** Postings run as one send each, so every source is checked after each posting (upstream). */
export function programFromPostings(postings: Posting[]): Program {
  return {
    sends: postings.map((p) => ({
      asset: p.asset,
      amount: p.amount,
      source: { type: 'account', address: p.source },
      destination: { type: 'account', address: p.destination },
    })),
    txMeta: {},
    accountMeta: {},
  };
}

/** Every account a program may touch (balances to load before running it). */
export function accountsOf(program: Program): string[] {
  const out = new Set<string>();
  const src = (s: Source) => {
    if (s.type === 'account') out.add(s.address);
    else if (s.type === 'inorder') s.sources.forEach(src);
    else src(s.source);
  };
  const dst = (d: Destination) => {
    if (d.type === 'account') out.add(d.address);
    else if (d.type === 'inorder') {
      d.parts.forEach((p) => dst(p.to));
      dst(d.remaining);
    } else if (d.type === 'allotment') d.parts.forEach((p) => dst(p.to));
  };
  for (const s of program.sends) {
    src(s.source);
    dst(s.destination);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Execution

/** What a send lacked: its bounded source accounts held `available` of the `needed` amount. */
export interface Shortfall {
  asset: string;
  accounts: string[];
  needed: bigint;
  available: bigint;
}

/** INSUFFICIENT_FUND, with the numbers behind it (a dry-run shows how much is missing). */
export class InsufficientFundError extends SandboxError {
  constructor(
    message: string,
    readonly shortfall: Shortfall,
  ) {
    super('INSUFFICIENT_FUND', message);
  }
}

/** Balances keyed by `address\u0000asset`, updated as postings are produced. */
export class Balances {
  private readonly map = new Map<string, bigint>();
  get(address: string, asset: string): bigint {
    return this.map.get(`${address}\u0000${asset}`) ?? 0n;
  }
  set(address: string, asset: string, value: bigint) {
    this.map.set(`${address}\u0000${asset}`, value);
  }
}

interface Chunk {
  address: string;
  amount: bigint;
}

/**
 * Runs a program against `balances` (mutated) and returns its postings. `force` lifts every
 * balance check (ledger `force`). Throws INSUFFICIENT_FUND naming the source accounts.
 */
export function execute(program: Program, balances: Balances, force = false): Posting[] {
  const postings: Posting[] = [];
  for (const send of program.sends) {
    const asset = send.asset;
    const isUnbounded = (s: Source & { type: 'account' }) => force || s.address === 'world' || s.overdraft === 'unbounded';
    const available = (s: Source): bigint | null => {
      if (s.type === 'account') {
        if (isUnbounded(s)) return null;
        const limit = typeof s.overdraft === 'bigint' ? s.overdraft : 0n;
        const a = balances.get(s.address, asset) + limit;
        return a > 0n ? a : 0n;
      }
      if (s.type === 'max') {
        const inner = available(s.source);
        return inner === null || inner > s.max ? s.max : inner;
      }
      let total = 0n;
      for (const x of s.sources) {
        const a = available(x);
        if (a === null) return null;
        total += a;
      }
      return total;
    };

    let amount: bigint;
    if (send.amount === 'all') {
      const a = available(send.source);
      if (a === null) throw new SandboxError('COMPILATION_FAILED', `compilation failed: cannot send [${asset} *] from an unbounded source`);
      amount = a;
    } else amount = send.amount;

    // Take from the sources in order; each take is applied at once (a source listed twice sees it).
    const taken: Chunk[] = [];
    const take = (s: Source, wanted: bigint): bigint => {
      if (wanted === 0n) return 0n;
      if (s.type === 'account') {
        const a = available(s);
        const got = a === null || a > wanted ? wanted : a;
        if (got > 0n) {
          balances.set(s.address, asset, balances.get(s.address, asset) - got);
          taken.push({ address: s.address, amount: got });
        }
        return got;
      }
      if (s.type === 'max') return take(s.source, wanted > s.max ? s.max : wanted);
      let got = 0n;
      for (const x of s.sources) got += take(x, wanted - got);
      return got;
    };
    const got = take(send.source, amount);
    if (got < amount) {
      const accounts = boundedAccounts(send.source, isUnbounded);
      throw new InsufficientFundError(`running numscript: script execution failed: account(s) ${accounts.map((a) => `@${a}`).join('|')} had/have insufficient funds`, {
        asset,
        accounts,
        needed: amount,
        available: got,
      });
    }

    // Allocate to the destinations, pairing the funding queue with them in order.
    const allocations = allocate(send.destination, amount);
    const queue = taken.map((c) => ({ ...c }));
    const before = postings.length;
    for (const alloc of allocations) {
      let left = alloc.amount;
      while (left > 0n && queue.length > 0) {
        const head = queue[0];
        const part = head.amount < left ? head.amount : left;
        if (alloc.address !== null) pushPosting(postings, before, { source: head.address, destination: alloc.address, amount: part, asset });
        else balances.set(head.address, asset, balances.get(head.address, asset) + part); // kept: give it back
        head.amount -= part;
        left -= part;
        if (head.amount === 0n) queue.shift();
      }
    }
    if (amount === 0n) {
      const from = firstAccount(send.source);
      const to = allocations.find((a) => a.address !== null)?.address;
      if (from && to) postings.push({ source: from, destination: to, amount: 0n, asset });
    }
    for (const p of postings.slice(before)) balances.set(p.destination, asset, balances.get(p.destination, asset) + p.amount);
  }
  return postings;
}

function pushPosting(postings: Posting[], from: number, p: Posting) {
  const last = postings.length > from ? postings[postings.length - 1] : undefined;
  if (last && last.source === p.source && last.destination === p.destination && last.asset === p.asset) last.amount += p.amount;
  else postings.push(p);
}

function boundedAccounts(s: Source, isUnbounded: (s: Source & { type: 'account' }) => boolean): string[] {
  if (s.type === 'account') return isUnbounded(s) ? [] : [s.address];
  if (s.type === 'max') return boundedAccounts(s.source, isUnbounded);
  return s.sources.flatMap((x) => boundedAccounts(x, isUnbounded));
}

function firstAccount(s: Source): string | undefined {
  if (s.type === 'account') return s.address;
  if (s.type === 'max') return firstAccount(s.source);
  return s.sources.map(firstAccount).find(Boolean);
}

/** Splits `amount` over a destination; address null = kept. */
function allocate(d: Destination, amount: bigint): { address: string | null; amount: bigint }[] {
  if (d.type === 'account') return [{ address: d.address, amount }];
  if (d.type === 'kept') return [{ address: null, amount }];
  if (d.type === 'inorder') {
    const out: { address: string | null; amount: bigint }[] = [];
    let left = amount;
    for (const p of d.parts) {
      const part = p.max < left ? p.max : left;
      out.push(...allocate(p.to, part));
      left -= part;
    }
    out.push(...allocate(d.remaining, left));
    return out;
  }
  // Allotment: floor of each portion, the leftover units handed out one by one in order;
  // `remaining` gets what the fixed portions leave.
  const fixed = d.parts.map((p) => (p.portion === 'remaining' ? 0n : (amount * p.portion.num) / p.portion.den));
  const remIndex = d.parts.findIndex((p) => p.portion === 'remaining');
  let leftover = amount - fixed.reduce((a, b) => a + b, 0n);
  if (remIndex >= 0) {
    const totalFixed = d.parts.reduce((acc, p) => (p.portion === 'remaining' ? acc : addFrac(acc, p.portion)), { num: 0n, den: 1n } as Portion);
    const remShare = (amount * (totalFixed.den - totalFixed.num)) / totalFixed.den;
    fixed[remIndex] = remShare;
    leftover -= remShare;
  }
  for (let i = 0; leftover > 0n; i = (i + 1) % fixed.length) {
    fixed[i] += 1n;
    leftover -= 1n;
  }
  return d.parts.flatMap((p, i) => allocate(p.to, fixed[i]));
}
