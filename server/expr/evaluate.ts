// Tree-walking evaluator. It is synchronous; only `link(obj, rel)` needs I/O. When evaluation
// reaches a link() call whose result is not known yet, it stops, `evaluate` awaits the resolver
// and then replays the (deterministic) evaluation from the start with the results obtained so far.
// The step budget is shared by all replays and the number of link() calls is capped.

import type { Node, NodeOf } from './ast.js';
import { BUILTINS, iterable, PREDICATE_BUILTINS, type Budget, type Predicate } from './builtins.js';
import type { Program } from './compile.js';
import { ExprRuntimeError, Fault } from './errors.js';
import { formatVarValue } from './format.js';
import { add, arithmetic, compare, contains, divide, exponent, fetch, modulo, negate, range, slice } from './operators.js';
import { compileRegex, RegexError, type Regex } from './regex.js';
import { asBool, asString, equal, goType, isMap, isNil, MAX_VALUE_DEPTH, newMap } from './values.js';

/** Follows a link of `obj` (an object with `links: [{name, uri}]`, usually `event`) named `rel`
 * and returns the linked resource. Rejections become runtime errors with the rejection's message
 * (and the original error as `cause`). */
export type LinkResolver = (obj: unknown, rel: unknown) => Promise<unknown>;

export interface EvaluateOptions {
  link?: LinkResolver;
  /** Evaluation steps (roughly: nodes visited) before `evaluation budget exceeded`. */
  maxSteps?: number;
  /** Array/map elements created before `memory budget exceeded` (expr-lang's MemoryBudget). */
  maxMemory?: number;
  /** Characters of strings created before `memory budget exceeded`. */
  maxChars?: number;
  /** link() calls per evaluation. */
  maxLinks?: number;
}

export interface Env {
  event: unknown;
}

export const DEFAULT_LIMITS = {
  maxSteps: 1_000_000,
  maxMemory: 1_000_000,
  maxChars: 16_000_000,
  maxLinks: 10,
} as const;

type LinkRecord = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Thrown inside the evaluator when a link() result is needed. */
class LinkSuspend {
  constructor(
    readonly obj: unknown,
    readonly rel: unknown,
  ) {}
}

/** Returned by an optional member access on nil; the enclosing Chain turns it into nil. */
const CHAIN_NIL = Symbol('chain-nil');

interface Scope {
  item: unknown;
  index: number;
  acc: unknown;
}

const MAX_REGEX_CACHE = 32;

class Evaluation {
  steps: number;
  private memory = 0;
  private chars = 0;
  private regexWork = 0;
  private visits = 0;
  private linkIndex = 0;
  private readonly scopes: Scope[] = [];
  private readonly vars: Array<{ name: string; value: unknown }> = [];
  private readonly regexCache = new Map<string, Regex | RegexError>();
  private readonly limits: Required<Omit<EvaluateOptions, 'link'>>;
  readonly budget: Budget;

  constructor(
    private readonly program: Program,
    private readonly env: Env,
    private readonly options: EvaluateOptions,
    private readonly links: LinkRecord[] | undefined,
    startSteps: number,
  ) {
    this.steps = startSteps;
    this.limits = {
      maxSteps: options.maxSteps ?? DEFAULT_LIMITS.maxSteps,
      maxMemory: options.maxMemory ?? DEFAULT_LIMITS.maxMemory,
      maxChars: options.maxChars ?? DEFAULT_LIMITS.maxChars,
      maxLinks: options.maxLinks ?? DEFAULT_LIMITS.maxLinks,
    };
    this.budget = {
      alloc: (n) => {
        this.memory += n;
        if (this.memory > this.limits.maxMemory) throw new Fault('memory budget exceeded');
      },
      chars: (n) => {
        this.chars += n;
        if (this.chars > this.limits.maxChars) throw new Fault('memory budget exceeded');
      },
      work: (n) => this.tick(n),
    };
  }

  /** Charged for every element visited by deep comparisons (`==` on containers, `in`). */
  private readonly visit = (): void => {
    if (++this.visits >= 4) {
      this.visits = 0;
      this.tick(1);
    }
  };

  /** Operations on long strings are linear in their length: one step per 64 characters. */
  private chargeSize(v: unknown): void {
    if (typeof v === 'string' && v.length >= 64) this.tick(v.length >> 6);
  }

  private tick(n: number): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) {
      throw new Fault(`evaluation budget exceeded (more than ${this.limits.maxSteps} steps)`);
    }
  }

  run(): unknown {
    try {
      const v = this.eval(this.program.ast);
      return v === CHAIN_NIL ? null : v;
    } catch (e) {
      if (e instanceof Fault) throw this.locate(e, undefined);
      if (e instanceof RangeError) throw new ExprRuntimeError(`evaluation failed: ${e.message}`);
      throw e;
    }
  }

  private locate(f: Fault, node: Node | undefined): ExprRuntimeError {
    return new ExprRuntimeError(f.message, {
      source: this.program.source,
      ...(node ? { offset: node.offset } : {}),
      ...f.extra,
    });
  }

  private eval(node: Node): unknown {
    try {
      this.tick(1);
      return this.evalNode(node);
    } catch (e) {
      if (e instanceof Fault) throw this.locate(e, node);
      if (e instanceof RangeError) {
        // call stack or string/array length exhausted: report it as an expression error
        throw this.locate(new Fault(`expression too complex to evaluate (${e.message})`), node);
      }
      throw e;
    }
  }

  private evalNode(node: Node): unknown {
    switch (node.type) {
      case 'Nil':
        return null;
      case 'Bool':
      case 'Int':
      case 'Float':
      case 'String':
        return node.value;
      case 'Identifier':
        return this.identifier(node.name);
      case 'Pointer': {
        const scope = this.scopes[this.scopes.length - 1];
        if (!scope) throw new Fault(`#${node.name} used outside of a predicate`);
        if (node.name === 'index') return BigInt(scope.index);
        if (node.name === 'acc') return scope.acc;
        return scope.item;
      }
      case 'Unary': {
        const v = this.eval(node.operand);
        if (node.op === '-') return negate(v);
        if (node.op === '+') return v;
        return !asBool(v);
      }
      case 'Binary':
        return this.binary(node);
      case 'Member': {
        const obj = this.eval(node.object);
        if (obj === CHAIN_NIL || (node.optional && isNil(obj))) return CHAIN_NIL;
        const key = this.eval(node.property);
        this.chargeSize(obj);
        return fetch(obj, key);
      }
      case 'Slice': {
        const obj = this.eval(node.object);
        if (obj === CHAIN_NIL) return CHAIN_NIL;
        this.chargeSize(obj);
        const to = node.to ? this.eval(node.to) : undefined;
        const from = node.from ? this.eval(node.from) : undefined;
        const out = slice(obj, from, to);
        if (Array.isArray(out)) this.budget.alloc(out.length);
        return out;
      }
      case 'Chain': {
        const v = this.eval(node.node);
        return v === CHAIN_NIL ? null : v;
      }
      case 'MethodCall': {
        const obj = this.eval(node.object);
        if (obj === CHAIN_NIL || (node.optional && isNil(obj))) return CHAIN_NIL;
        for (const a of node.args) this.eval(a);
        if (isNil(obj)) throw new Fault(`cannot fetch ${node.name} from <nil>`);
        throw new Fault(`cannot call ${node.name}: ${goType(obj)} has no methods`);
      }
      case 'Call':
        return this.call(node);
      case 'Builtin':
        return this.builtin(node);
      case 'Closure':
        throw new Fault('a predicate can only be used as an argument of a builtin');
      case 'Conditional':
        return asBool(this.eval(node.cond)) ? this.eval(node.then) : this.eval(node.else);
      case 'Array': {
        const out = node.items.map((n) => this.eval(n));
        this.budget.alloc(out.length);
        return out;
      }
      case 'Map': {
        const out = newMap();
        for (const pair of node.pairs) {
          const key = asString(this.eval(pair.key));
          out[key] = this.eval(pair.value);
        }
        this.budget.alloc(node.pairs.length);
        return out;
      }
      case 'Let': {
        const value = this.eval(node.value);
        this.vars.push({ name: node.name, value });
        try {
          return this.eval(node.body);
        } finally {
          this.vars.pop();
        }
      }
      case 'Sequence': {
        let last: unknown = null;
        for (const n of node.nodes) last = this.eval(n);
        return last;
      }
    }
  }

  private identifier(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    if (name === 'event') return this.env.event ?? null;
    if (name === '$env') {
      const m = newMap();
      m.event = this.env.event ?? null;
      return m;
    }
    return null;
  }

  private binary(node: NodeOf<'Binary'>): unknown {
    switch (node.op) {
      case '&&':
      case 'and': {
        const l = this.eval(node.left);
        return asBool(l) ? this.eval(node.right) : l;
      }
      case '||':
      case 'or': {
        const l = this.eval(node.left);
        return asBool(l) ? l : this.eval(node.right);
      }
      case '??': {
        const l = this.eval(node.left);
        return isNil(l) ? this.eval(node.right) : l;
      }
    }
    const l = this.eval(node.left);
    if (node.op === 'matches' && node.regex) return this.match(node.regex, asString(l));
    const r = this.eval(node.right);
    this.chargeSize(l);
    this.chargeSize(r);
    switch (node.op) {
      case '==':
        return equal(l, r, this.visit);
      case '!=':
        return !equal(l, r, this.visit);
      case '<':
      case '>':
      case '<=':
      case '>=':
        return compare(node.op, l, r);
      case '+': {
        const v = add(l, r);
        if (typeof v === 'string') this.budget.chars(v.length);
        return v;
      }
      case '-':
      case '*':
        return arithmetic(node.op, l, r);
      case '/':
        return divide(l, r);
      case '%':
        return modulo(l, r);
      case '**':
      case '^':
        return exponent(l, r);
      case 'in':
        return contains(l, r, this.visit);
      case 'matches': {
        const pattern = asString(r);
        return this.match(this.regex(pattern), asString(l));
      }
      case 'contains':
        return asString(l).includes(asString(r));
      case 'startsWith':
        return asString(l).startsWith(asString(r));
      case 'endsWith':
        return asString(l).endsWith(asString(r));
      case '..':
        return range(l, r, (n) => this.budget.alloc(n));
      default:
        throw new Fault(`unknown operator (${node.op})`);
    }
  }

  private regex(pattern: string): Regex {
    let re = this.regexCache.get(pattern);
    if (!re) {
      try {
        re = compileRegex(pattern);
      } catch (e) {
        if (!(e instanceof RegexError)) throw e;
        re = e;
      }
      if (this.regexCache.size < MAX_REGEX_CACHE) this.regexCache.set(pattern, re);
    }
    if (re instanceof RegexError) throw new Fault(re.message);
    return re;
  }

  private match(re: Regex, input: string): boolean {
    return re.test(input, (work) => {
      // one evaluation step per 4 NFA thread visits (about the same time)
      this.regexWork += work;
      if (this.regexWork >= 4) {
        this.tick(this.regexWork >> 2);
        this.regexWork &= 3;
      }
    });
  }

  private builtin(node: NodeOf<'Builtin'>): unknown {
    const pred = PREDICATE_BUILTINS[node.name];
    if (pred) {
      const items = iterable(node.name, this.eval(node.args[0]!));
      const closure = node.args[1];
      const extra = node.args.slice(2).map((a) => this.eval(a));
      let predicate: Predicate | undefined;
      if (closure && closure.type === 'Closure') {
        const body = closure.body;
        predicate = (item, index, acc) => {
          this.scopes.push({ item, index, acc });
          try {
            return this.eval(body);
          } finally {
            this.scopes.pop();
          }
        };
      } else {
        this.tick(items.length);
      }
      return pred(items, predicate, extra, this.budget);
    }
    const b = BUILTINS[node.name];
    if (!b) throw new Fault(`unknown builtin ${node.name}`);
    const args = node.args.map((a) => this.eval(a));
    for (const a of args) this.chargeSize(a);
    if (args.length < b.min || args.length > b.max) {
      throw new Fault(`invalid number of arguments for ${node.name}`);
    }
    return b.fn(args, this.budget);
  }

  private call(node: NodeOf<'Call'>): unknown {
    const args = node.args.map((a) => this.eval(a));
    if (node.name !== 'link') throw new Fault(`unknown func ${node.name}`);
    if (!this.options.link || !this.links) throw new Fault('link is not available');
    if (args.length !== 2) {
      throw new Fault(`expect two arguments, got ${args.length}`, { plain: true, link: true });
    }
    const i = this.linkIndex++;
    if (i >= this.limits.maxLinks) {
      throw new Fault(`too many link() calls (at most ${this.limits.maxLinks} per evaluation)`);
    }
    const record = this.links[i];
    if (!record) throw new LinkSuspend(exportValue(args[0]), exportValue(args[1]));
    if (record.ok) return record.value;
    const error = record.error;
    const message = error instanceof Error ? error.message : String(error);
    throw new Fault(message, { plain: true, link: true, cause: error });
  }
}

/** Converts internal values for callers: integers become numbers when they are safe integers
 * (bigints otherwise), and maps built by the expression become plain objects. */
export function exportValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  if (depth > MAX_VALUE_DEPTH || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x) => {
      const y = exportValue(x, depth + 1);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  if (isMap(v)) {
    let changed = Object.getPrototypeOf(v) === null;
    const entries = Object.keys(v).map((k) => {
      const x = v[k];
      const y = exportValue(x, depth + 1);
      if (y !== x) changed = true;
      return [k, y] as const;
    });
    return changed ? Object.fromEntries(entries) : v;
  }
  return v;
}

function checkProgram(program: Program): void {
  if (!program || typeof program.source !== 'string' || !program.ast) {
    throw new TypeError('evaluate() expects a program returned by compile()');
  }
}

async function evaluateInternal(program: Program, env: Env, options: EvaluateOptions): Promise<unknown> {
  checkProgram(program);
  const links: LinkRecord[] = [];
  let steps = 0;
  for (;;) {
    const evaluation = new Evaluation(program, env, options, links, steps);
    try {
      return evaluation.run();
    } catch (e) {
      if (!(e instanceof LinkSuspend)) throw e;
      steps = evaluation.steps;
      try {
        links.push({ ok: true, value: await options.link!(e.obj, e.rel) });
      } catch (error) {
        links.push({ ok: false, error });
      }
    }
  }
}

/**
 * Evaluates a compiled expression with `event` bound to the payload. Resolves to the result
 * (integers as numbers, or bigints beyond 2^53), rejects with an ExprRuntimeError.
 */
export async function evaluate(program: Program, env: Env, options: EvaluateOptions = {}): Promise<unknown> {
  return exportValue(await evaluateInternal(program, env, options));
}

/** Evaluates a trigger var and converts the result to its string form (docs/compatibility.md: trigger vars). Unlike
 * `formatVarValue(await evaluate(...))` this keeps Go's int/float distinction inside arrays and
 * maps (`[1000000]` rather than `[1e+06]`). */
export async function evaluateVar(program: Program, env: Env, options: EvaluateOptions = {}): Promise<string> {
  return formatVarValue(await evaluateInternal(program, env, options));
}

/** Synchronous evaluation for expressions that do not call link() (link() then fails with
 * `link is not available`). */
export function evaluateSync(program: Program, env: Env, options: Omit<EvaluateOptions, 'link'> = {}): unknown {
  checkProgram(program);
  const { maxSteps, maxMemory, maxChars, maxLinks } = options;
  const opts: EvaluateOptions = {};
  if (maxSteps !== undefined) opts.maxSteps = maxSteps;
  if (maxMemory !== undefined) opts.maxMemory = maxMemory;
  if (maxChars !== undefined) opts.maxChars = maxChars;
  if (maxLinks !== undefined) opts.maxLinks = maxLinks;
  return exportValue(new Evaluation(program, env, opts, undefined, 0).run());
}
