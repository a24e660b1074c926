// Recursive-descent / precedence-climbing parser mirroring expr-lang's parser/parser.go, so that
// precedence, associativity, chained comparisons, `not in`, `??` and predicate syntax behave the
// same. Recursion is bounded: deeper nesting than MAX_NESTING is a syntax error, never a stack
// overflow.

import type { Node } from './ast.js';
import { ExprSyntaxError } from './errors.js';
import { NEGATABLE, tokenString, tokenize, type Token, type TokenKind } from './lexer.js';
import { isBuiltinName } from './builtins.js';

/** Maximum nesting of sub-expressions (parentheses, arguments, unary operators, ...). */
export const MAX_NESTING = 100;

interface Operator {
  precedence: number;
  right?: boolean;
}

const BINARY: Record<string, Operator> = {
  '|': { precedence: 0 },
  or: { precedence: 10 },
  '||': { precedence: 10 },
  and: { precedence: 15 },
  '&&': { precedence: 15 },
  '==': { precedence: 20 },
  '!=': { precedence: 20 },
  '<': { precedence: 20 },
  '>': { precedence: 20 },
  '>=': { precedence: 20 },
  '<=': { precedence: 20 },
  in: { precedence: 20 },
  matches: { precedence: 20 },
  contains: { precedence: 20 },
  startsWith: { precedence: 20 },
  endsWith: { precedence: 20 },
  '..': { precedence: 25 },
  '+': { precedence: 30 },
  '-': { precedence: 30 },
  '*': { precedence: 60 },
  '/': { precedence: 60 },
  '%': { precedence: 60 },
  '**': { precedence: 100, right: true },
  '^': { precedence: 100, right: true },
  '??': { precedence: 500 },
};

const UNARY: Record<string, number> = { not: 50, '!': 50, '-': 90, '+': 90 };

const COMPARISON = new Set(['<', '>', '<=', '>=']);

/** Argument shapes of the builtins taking a predicate (`{...}` or a bare expression using `#`). */
type ArgSpec = 'expr' | 'closure' | 'expr?' | 'closure?';
export const PREDICATES: Record<string, ArgSpec[]> = {
  all: ['expr', 'closure'],
  none: ['expr', 'closure'],
  any: ['expr', 'closure'],
  one: ['expr', 'closure'],
  filter: ['expr', 'closure'],
  map: ['expr', 'closure'],
  count: ['expr', 'closure?'],
  sum: ['expr', 'closure?'],
  find: ['expr', 'closure'],
  findIndex: ['expr', 'closure'],
  findLast: ['expr', 'closure'],
  findLastIndex: ['expr', 'closure'],
  groupBy: ['expr', 'closure'],
  sortBy: ['expr', 'closure', 'expr?'],
  reduce: ['expr', 'closure', 'expr?'],
};

/** A name usable as a property after `.`: identifiers, and word operators such as `in`. */
const PROPERTY_NAME = /^[\p{L}_$][\p{L}\p{Nd}_$]*$/u;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private nesting = 0;
  /** > 0 inside a predicate, where `#` and a leading `.` refer to the current element. */
  private closures = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  private get cur(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): void {
    if (this.pos < this.tokens.length - 1) this.pos++;
  }

  private is(kind: TokenKind, value?: string, t: Token = this.cur): boolean {
    return t.kind === kind && (value === undefined || t.value === value);
  }

  private fail(message: string, offset = this.cur.offset): never {
    throw new ExprSyntaxError(message, this.source, offset);
  }

  private unexpected(t: Token = this.cur): never {
    this.fail(`unexpected token ${tokenString(t)}`, t.offset);
  }

  private expect(kind: TokenKind, value?: string): Token {
    const t = this.cur;
    if (!this.is(kind, value)) this.unexpected();
    this.next();
    return t;
  }

  parse(): Node {
    const node = this.parseSequence();
    if (!this.is('EOF')) this.unexpected();
    return node;
  }

  private parseSequence(): Node {
    const first = this.parseExpression(0);
    const nodes = [first];
    while (this.is('Operator', ';')) {
      this.next();
      if (this.is('EOF')) break;
      nodes.push(this.parseExpression(0));
    }
    return nodes.length === 1 ? first : { type: 'Sequence', nodes, offset: first.offset };
  }

  private parseExpression(precedence: number): Node {
    if (++this.nesting > MAX_NESTING) {
      this.fail(`expression is nested too deeply (more than ${MAX_NESTING} levels)`);
    }
    try {
      return this.parseExpressionInner(precedence);
    } finally {
      this.nesting--;
    }
  }

  private parseExpressionInner(precedence: number): Node {
    if (precedence === 0 && this.is('Operator', 'let')) return this.parseLet();
    if (precedence === 0 && this.is('Operator', 'if')) return this.parseIf();

    let left = this.parsePrimary();
    let prevOperator = '';
    let opToken = this.cur;

    while (opToken.kind === 'Operator') {
      let notToken: Token | undefined;
      if (opToken.value === 'not') {
        // `a not in b`, `a not matches b`, ...
        const save = this.pos;
        this.next();
        if (this.cur.kind === 'Operator' && NEGATABLE.has(this.cur.value)) {
          if (BINARY[this.cur.value]!.precedence >= precedence) {
            notToken = opToken;
            opToken = this.cur;
          } else {
            this.pos = save;
            break;
          }
        } else {
          this.unexpected();
        }
      }

      const op = BINARY[opToken.value];
      if (!op || op.precedence < precedence) break;
      this.next();

      if (opToken.value === '|') {
        // pipe: `x | f(a)` is `f(x, a)`
        const name = this.expect('Identifier');
        left = this.parseCall(name, [left]);
      } else {
        if (prevOperator === '??' && opToken.value !== '??') {
          this.fail(`Operator (${opToken.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`, opToken.offset);
        }
        if (COMPARISON.has(opToken.value)) {
          left = this.parseComparison(left, opToken, op.precedence);
        } else {
          const right = this.parseExpression(op.right ? op.precedence : op.precedence + 1);
          left = { type: 'Binary', op: opToken.value, left, right, offset: opToken.offset };
          if (notToken) {
            left = { type: 'Unary', op: 'not', operand: left, offset: notToken.offset };
          }
        }
      }
      prevOperator = opToken.value;
      opToken = this.cur;
    }

    if (precedence === 0) left = this.parseConditional(left);
    return left;
  }

  /** `a < b < c` means `a < b && b < c` (b evaluated twice, like expr-lang). */
  private parseComparison(left: Node, token: Token, precedence: number): Node {
    let root: Node | undefined;
    for (;;) {
      const right = this.parseExpression(precedence + 1);
      const cmp: Node = { type: 'Binary', op: token.value, left, right, offset: token.offset };
      root = root ? { type: 'Binary', op: '&&', left: root, right: cmp, offset: token.offset } : cmp;
      left = right;
      token = this.cur;
      if (!(token.kind === 'Operator' && COMPARISON.has(token.value))) break;
      this.next();
    }
    return root!;
  }

  private parseConditional(node: Node): Node {
    while (this.is('Operator', '?')) {
      const q = this.cur;
      this.next();
      let then: Node;
      let otherwise: Node;
      if (this.is('Operator', ':')) {
        // `a ?: b` (elvis)
        this.next();
        then = node;
        otherwise = this.parseExpression(0);
      } else {
        then = this.parseExpression(0);
        this.expect('Operator', ':');
        otherwise = this.parseExpression(0);
      }
      node = { type: 'Conditional', cond: node, then, else: otherwise, offset: q.offset };
    }
    return node;
  }

  private parseLet(): Node {
    const letToken = this.expect('Operator', 'let');
    const name = this.expect('Identifier');
    this.expect('Operator', '=');
    const value = this.parseExpression(0);
    this.expect('Operator', ';');
    const body = this.parseSequence();
    return { type: 'Let', name: name.value, value, body, offset: letToken.offset };
  }

  private parseIf(): Node {
    const ifToken = this.expect('Operator', 'if');
    const cond = this.parseExpression(0);
    this.expect('Bracket', '{');
    const then = this.parseSequence();
    this.expect('Bracket', '}');
    this.expect('Operator', 'else');
    let otherwise: Node;
    if (this.is('Operator', 'if')) {
      otherwise = this.parseExpression(0);
    } else {
      this.expect('Bracket', '{');
      otherwise = this.parseSequence();
      this.expect('Bracket', '}');
    }
    return { type: 'Conditional', cond, then, else: otherwise, offset: ifToken.offset };
  }

  private parsePrimary(): Node {
    const t = this.cur;
    if (t.kind === 'Operator' && UNARY[t.value] !== undefined) {
      this.next();
      const operand = this.parseExpression(UNARY[t.value]!);
      return this.parsePostfix({ type: 'Unary', op: t.value, operand, offset: t.offset });
    }
    if (this.is('Bracket', '(')) {
      this.next();
      const inner = this.parseSequence();
      this.expect('Bracket', ')');
      return this.parsePostfix(inner);
    }
    if (this.closures > 0 && t.kind === 'Operator' && (t.value === '#' || t.value === '.')) {
      let name = '';
      if (t.value === '#') {
        this.next();
        if (this.cur.kind === 'Identifier') {
          name = this.cur.value;
          if (name !== 'index' && name !== 'acc') this.fail(`unknown pointer #${name}`, t.offset);
          this.next();
        }
      }
      // for `.field` the dot stays current and is parsed as a member access on `#`
      return this.parsePostfix({ type: 'Pointer', name, offset: t.offset });
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const t = this.cur;
    let node: Node;
    switch (t.kind) {
      case 'Identifier':
        this.next();
        if (t.value === 'true' || t.value === 'false') {
          return { type: 'Bool', value: t.value === 'true', offset: t.offset };
        }
        if (t.value === 'nil') return { type: 'Nil', offset: t.offset };
        node = this.is('Bracket', '(') ? this.parseCall(t, []) : { type: 'Identifier', name: t.value, offset: t.offset };
        break;
      case 'Number':
        this.next();
        return this.parseNumber(t);
      case 'String':
        this.next();
        node = { type: 'String', value: t.value, offset: t.offset };
        break;
      default:
        if (this.is('Bracket', '[')) node = this.parseArray();
        else if (this.is('Bracket', '{')) node = this.parseMap();
        else this.unexpected();
    }
    return this.parsePostfix(node);
  }

  private parseNumber(t: Token): Node {
    const text = t.value.replace(/_/g, '');
    const lower = text.toLowerCase();
    const int = (digits: string, radix: bigint, what: string): Node => {
      let value = 0n;
      for (const ch of digits) value = value * radix + BigInt(parseInt(ch, Number(radix)));
      if (digits === '' || value > 0x7fffffffffffffffn) {
        this.fail(`invalid ${what} literal: strconv.ParseInt: parsing ${JSON.stringify(text)}: ${digits === '' ? 'invalid syntax' : 'value out of range'}`, t.offset);
      }
      return { type: 'Int', value, offset: t.offset };
    };
    if (lower.startsWith('0x')) return int(text.slice(2), 16n, 'hex');
    if (lower.startsWith('0b')) return int(text.slice(2), 2n, 'binary');
    if (lower.startsWith('0o')) return int(text.slice(2), 8n, 'octal');
    if (/[.e]/.test(lower)) {
      const value = Number(text);
      if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) || Number.isNaN(value)) {
        this.fail(`invalid float literal: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`, t.offset);
      }
      if (!Number.isFinite(value)) {
        this.fail(`invalid float literal: strconv.ParseFloat: parsing ${JSON.stringify(text)}: value out of range`, t.offset);
      }
      return { type: 'Float', value, offset: t.offset };
    }
    return int(text, 10n, 'integer');
  }

  private parseCall(name: Token, args: Node[]): Node {
    const spec = PREDICATES[name.value];
    if (spec) {
      this.expect('Bracket', '(');
      const rest = spec.slice(args.length);
      for (let i = 0; i < rest.length; i++) {
        const arg = rest[i]!;
        const optional = arg.endsWith('?');
        if (this.is('Bracket', ')')) {
          if (optional) break;
          this.fail(`expected at least ${rest.filter((a) => !a.endsWith('?')).length} arguments`);
        }
        if (i > 0) this.expect('Operator', ',');
        args.push(arg.startsWith('closure') ? this.parseClosure() : this.parseExpression(0));
      }
      if (this.is('Operator', ',')) this.next();
      this.expect('Bracket', ')');
      return { type: 'Builtin', name: name.value, args, offset: name.offset };
    }
    this.parseArguments(args);
    if (isBuiltinName(name.value)) {
      return { type: 'Builtin', name: name.value, args, offset: name.offset };
    }
    return { type: 'Call', name: name.value, args, offset: name.offset };
  }

  private parseArguments(args: Node[]): Node[] {
    const provided = args.length;
    this.expect('Bracket', '(');
    while (!this.is('Bracket', ')')) {
      if (args.length > provided) {
        this.expect('Operator', ',');
        if (this.is('Bracket', ')')) break;
      }
      args.push(this.parseExpression(0));
    }
    this.expect('Bracket', ')');
    return args;
  }

  private parseClosure(): Node {
    const start = this.cur;
    const braces = this.is('Bracket', '{');
    if (braces) this.next();
    this.closures++;
    const body = this.parseExpression(0);
    this.closures--;
    if (braces) this.expect('Bracket', '}');
    return { type: 'Closure', body, offset: start.offset };
  }

  private parseArray(): Node {
    const open = this.expect('Bracket', '[');
    const items: Node[] = [];
    while (!this.is('Bracket', ']')) {
      if (items.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', ']')) break;
      }
      items.push(this.parseExpression(0));
    }
    this.expect('Bracket', ']');
    return { type: 'Array', items, offset: open.offset };
  }

  private parseMap(): Node {
    const open = this.expect('Bracket', '{');
    const pairs: Array<{ key: Node; value: Node }> = [];
    while (!this.is('Bracket', '}')) {
      if (pairs.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', '}')) break;
        if (this.is('Operator', ',')) this.unexpected();
      }
      let key: Node;
      const t = this.cur;
      if (t.kind === 'Number' || t.kind === 'String' || t.kind === 'Identifier') {
        key = { type: 'String', value: t.value, offset: t.offset };
        this.next();
      } else if (this.is('Bracket', '(')) {
        key = this.parseExpression(0);
      } else {
        this.fail(`a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token ${tokenString(t)})`);
      }
      this.expect('Operator', ':');
      pairs.push({ key, value: this.parseExpression(0) });
    }
    this.expect('Bracket', '}');
    return { type: 'Map', pairs, offset: open.offset };
  }

  private parsePostfix(node: Node): Node {
    for (;;) {
      const t = this.cur;
      if (t.kind === 'Operator' && (t.value === '.' || t.value === '?.')) {
        const optional = t.value === '?.';
        this.next();
        if (optional && this.is('Bracket', '[')) {
          node = this.parseIndex(node, true);
          continue;
        }
        const prop = this.cur;
        const validName = prop.kind === 'Identifier' || (prop.kind === 'Operator' && PROPERTY_NAME.test(prop.value));
        if (!validName) this.fail('expected name', prop.offset);
        this.next();
        const { base, chained } = unchain(node);
        if (this.is('Bracket', '(')) {
          const args = this.parseArguments([]);
          node = { type: 'MethodCall', object: base, name: prop.value, args, optional, offset: prop.offset };
        } else {
          node = {
            type: 'Member',
            object: base,
            property: { type: 'String', value: prop.value, offset: prop.offset },
            optional,
            offset: prop.offset,
          };
        }
        if (chained || optional) node = { type: 'Chain', node, offset: node.offset };
      } else if (t.kind === 'Bracket' && t.value === '[') {
        node = this.parseIndex(node, false);
      } else {
        return node;
      }
    }
  }

  /** `[expr]`, `[from:to]`, `[:to]`, `[from:]`, `[:]`; the `[` is current. */
  private parseIndex(node: Node, optional: boolean): Node {
    const open = this.expect('Bracket', '[');
    const { base, chained } = unchain(node);
    let result: Node;
    if (this.is('Operator', ':')) {
      this.next();
      const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
      result = { type: 'Slice', object: base, offset: open.offset, ...(to ? { to } : {}) };
    } else {
      const from = this.parseExpression(0);
      if (this.is('Operator', ':')) {
        this.next();
        const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
        result = { type: 'Slice', object: base, from, offset: open.offset, ...(to ? { to } : {}) };
      } else {
        result = { type: 'Member', object: base, property: from, optional, offset: open.offset };
      }
    }
    this.expect('Bracket', ']');
    if (chained || optional) result = { type: 'Chain', node: result, offset: result.offset };
    return result;
  }
}

function unchain(node: Node): { base: Node; chained: boolean } {
  return node.type === 'Chain' ? { base: node.node, chained: true } : { base: node, chained: false };
}

export function parse(source: string): Node {
  return new Parser(source).parse();
}
