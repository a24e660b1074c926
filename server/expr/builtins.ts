// Builtin functions, after expr-lang's builtin package. Plain builtins receive evaluated
// arguments; predicate builtins (all, any, filter, map, ...) receive the collection and a callback
// evaluating the predicate for one element (`#`, `#index`, `#acc`).

import { Fault } from './errors.js';
import { goFormat, marshalIndent } from './format.js';
import { add, compare, fetch } from './operators.js';
import {
  asBool,
  asString,
  codePointLength,
  equal,
  floatToInt,
  getOwn,
  goKind,
  goType,
  INT64_MAX,
  INT64_MIN,
  isMap,
  isNil,
  isNumber,
  kindOf,
  mapKeys,
  newMap,
  toFloat,
  toInt,
  utf8,
  utf8Length,
  wrapInt,
  type MapValue,
} from './values.js';

/** Budget hooks provided by the evaluator. */
export interface Budget {
  /** Elements of arrays and maps created. */
  alloc(elements: number): void;
  /** Characters of strings created. */
  chars(count: number): void;
  /** Extra work (sorting, scanning), in evaluation steps. */
  work(steps: number): void;
}

export interface Builtin {
  min: number;
  max: number;
  fn(args: unknown[], budget: Budget): unknown;
}

const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function trimSpace(s: string): string {
  const cps = Array.from(s);
  let a = 0;
  let b = cps.length;
  while (a < b && GO_SPACE.test(cps[a]!)) a++;
  while (b > a && GO_SPACE.test(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

function trimCutset(s: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const cps = Array.from(s);
  let a = 0;
  let b = cps.length;
  while (a < b && set.has(cps[a]!)) a++;
  while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

/** Go's strings.genSplit: Split (keep=false) and SplitAfter (keep=true) with a count n. */
function goSplit(s: string, sep: string, keep: boolean, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    // explode into characters; the last part keeps the rest
    const cps = Array.from(s);
    if (n < 0 || n > cps.length) n = cps.length;
    if (n === 0) return [];
    return [...cps.slice(0, n - 1), cps.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let start = 0;
  while (n < 0 || out.length < n - 1) {
    const i = s.indexOf(sep, start);
    if (i < 0) break;
    out.push(s.slice(start, keep ? i + sep.length : i));
    start = i + sep.length;
  }
  out.push(s.slice(start));
  return out;
}

/** Go's strings.Replace(s, old, new, n); n < 0 replaces all. */
function goReplace(s: string, old: string, rep: string, n: number): string {
  if (n === 0 || old === rep) return s;
  if (old === '') {
    const cps = Array.from(s);
    let out = '';
    let done = 0;
    for (let i = 0; i <= cps.length; i++) {
      if (n < 0 || done < n) {
        out += rep;
        done++;
      }
      if (i < cps.length) out += cps[i];
    }
    return out;
  }
  let out = '';
  let start = 0;
  let done = 0;
  while (n < 0 || done < n) {
    const i = s.indexOf(old, start);
    if (i < 0) break;
    out += s.slice(start, i) + rep;
    start = i + old.length;
    done++;
  }
  return out + s.slice(start);
}

function goAtoi(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function goParseFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function byteIndex(s: string, i: number): bigint {
  return i < 0 ? -1n : BigInt(utf8Length(s.slice(0, i)));
}

function numbersOf(name: string, args: unknown[]): Array<bigint | number> {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return list.map((v) => {
    if (!isNumber(v)) throw new Fault(`invalid argument for ${name} (type ${goType(v)})`);
    return v;
  });
}

function extreme(name: 'max' | 'min', args: unknown[]): unknown {
  const nums = numbersOf(name, args);
  if (nums.length === 0) throw new Fault(`not enough arguments to call ${name}`);
  let best = nums[0]!;
  for (const v of nums.slice(1)) if (compare(name === 'max' ? '>' : '<', v, best)) best = v;
  return best;
}

function arrayArg(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Fault(`invalid argument for ${name} (type ${goType(v)})`);
  return v;
}

function flatten(items: unknown[], out: unknown[], depth: number): void {
  if (depth > 1000) throw new Fault('value is nested too deeply');
  for (const x of items) {
    if (Array.isArray(x)) flatten(x, out, depth + 1);
    else out.push(x);
  }
}

/** Orders numbers or strings (not mixed), as expr-lang's sort and sortBy accept. */
function sortValues(name: string, keys: unknown[], desc: boolean): number[] {
  const order = keys.map((_, i) => i);
  const allNumbers = keys.every(isNumber);
  const allStrings = keys.every((k) => typeof k === 'string');
  if (!allNumbers && !allStrings) {
    const bad = keys.find((k) => !isNumber(k) && typeof k !== 'string');
    throw new Fault(`invalid argument for ${name} (type ${goType(bad ?? keys[0])})`);
  }
  order.sort((i, j) => {
    const a = keys[i];
    const b = keys[j];
    const c = compare('<', a, b) ? -1 : compare('>', a, b) ? 1 : 0;
    return desc ? -c : c;
  });
  return order;
}

function sortOrder(v: unknown): boolean {
  if (v === undefined || v === 'asc') return false;
  if (v === 'desc') return true;
  throw new Fault('unknown order, use asc or desc');
}

function toBase64(s: string): string {
  let bin = '';
  for (const b of utf8(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(s: string): string {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    const bad = s.search(/[^A-Za-z0-9+/=]/);
    throw new Fault(`illegal base64 data at input byte ${bad >= 0 ? bad : s.length}`, { plain: true });
  }
  const bin = atob(s);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function fromJSON(s: string, budget: Budget): unknown {
  budget.work(Math.ceil(s.length / 16));
  try {
    return JSON.parse(s) as unknown;
  } catch (e) {
    throw new Fault((e as Error).message, { plain: true });
  }
}

function typeName(v: unknown): string {
  const k = kindOf(v);
  return k === 'other' ? 'func' : k;
}

function builtins(): Record<string, Builtin> {
  const t: Record<string, Builtin> = Object.create(null) as Record<string, Builtin>;
  const def = (name: string, min: number, max: number, fn: Builtin['fn']) => {
    t[name] = { min, max, fn };
  };
  const str = (budget: Budget, s: string) => {
    budget.chars(s.length);
    return s;
  };

  def('len', 1, 1, ([v]) => {
    if (typeof v === 'string') return BigInt(codePointLength(v));
    if (Array.isArray(v)) return BigInt(v.length);
    if (isMap(v)) return BigInt(mapKeys(v).length);
    throw new Fault(`invalid argument for len (type ${goType(v)})`);
  });
  def('type', 1, 1, ([v]) => typeName(v));
  def('abs', 1, 1, ([v]) => {
    if (typeof v === 'bigint') return wrapInt(v < 0n ? -v : v);
    if (typeof v === 'number') return Math.abs(v);
    throw new Fault(`invalid argument for abs (type ${goType(v)})`);
  });
  def('int', 1, 1, ([v]) => {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number') return floatToInt(v);
    if (typeof v === 'string') {
      const n = goAtoi(v);
      if (n === undefined) throw new Fault(`invalid operation: int(${JSON.stringify(v)})`);
      return n;
    }
    throw new Fault(`invalid operation: int(${goType(v)})`);
  });
  def('float', 1, 1, ([v]) => {
    if (isNumber(v)) return toFloat(v);
    if (typeof v === 'string') {
      const f = goParseFloat(v);
      if (f === undefined) throw new Fault(`invalid operation: float(${JSON.stringify(v)})`);
      return f;
    }
    throw new Fault(`invalid operation: float(${goType(v)})`);
  });
  def('string', 1, 1, ([v], b) => str(b, goFormat(v)));
  def('trim', 1, 2, ([s, cut], b) => str(b, cut === undefined ? trimSpace(asString(s)) : trimCutset(asString(s), asString(cut))));
  def('trimPrefix', 1, 2, ([s, p]) => {
    const x = asString(s);
    const pre = p === undefined ? ' ' : asString(p);
    return x.startsWith(pre) ? x.slice(pre.length) : x;
  });
  def('trimSuffix', 1, 2, ([s, p]) => {
    const x = asString(s);
    const suf = p === undefined ? ' ' : asString(p);
    return suf !== '' && x.endsWith(suf) ? x.slice(0, x.length - suf.length) : x;
  });
  def('upper', 1, 1, ([s], b) => str(b, asString(s).toUpperCase()));
  def('lower', 1, 1, ([s], b) => str(b, asString(s).toLowerCase()));
  for (const [name, keep] of [
    ['split', false],
    ['splitAfter', true],
  ] as const) {
    def(name, 2, 3, ([s, sep, n], b) => {
      const parts = goSplit(asString(s), asString(sep), keep, n === undefined ? -1 : Number(toInt(n)));
      b.alloc(parts.length);
      return parts;
    });
  }
  def('replace', 3, 4, ([s, old, rep, n], b) => str(b, goReplace(asString(s), asString(old), asString(rep), n === undefined ? -1 : Number(toInt(n)))));
  def('repeat', 2, 2, ([s, n], b) => {
    const x = asString(s);
    const count = toInt(n);
    if (count < 0n) throw new Fault('strings: negative Repeat count');
    if (count > 1_000_000n) throw new Fault('memory budget exceeded');
    b.chars(x.length * Number(count));
    return x.repeat(Number(count));
  });
  def('join', 1, 2, ([arr, glue], b) => {
    if (!Array.isArray(arr)) {
      throw new Fault(`invalid argument for join (type ${goType(arr)})`, { plain: true });
    }
    return str(b, arr.map(asString).join(glue === undefined ? '' : asString(glue)));
  });
  def('indexOf', 2, 2, ([s, sub]) => {
    const x = asString(s);
    return byteIndex(x, x.indexOf(asString(sub)));
  });
  def('lastIndexOf', 2, 2, ([s, sub]) => {
    const x = asString(s);
    return byteIndex(x, x.lastIndexOf(asString(sub)));
  });
  def('hasPrefix', 2, 2, ([s, p]) => asString(s).startsWith(asString(p)));
  def('hasSuffix', 2, 2, ([s, p]) => asString(s).endsWith(asString(p)));
  def('max', 1, Infinity, (args) => extreme('max', args));
  def('min', 1, Infinity, (args) => extreme('min', args));
  def('mean', 1, Infinity, (args) => {
    const nums = numbersOf('mean', args);
    return nums.length === 0 ? 0 : nums.reduce<number>((acc, v) => acc + toFloat(v), 0) / nums.length;
  });
  def('median', 1, Infinity, (args) => {
    const nums = numbersOf('median', args)
      .map(toFloat)
      .sort((a, b) => a - b);
    if (nums.length === 0) return 0;
    const mid = Math.floor(nums.length / 2);
    return nums.length % 2 ? nums[mid]! : (nums[mid - 1]! + nums[mid]!) / 2;
  });
  const rounding = (name: string, f: (x: number) => number) =>
    def(name, 1, 1, ([v]) => {
      if (!isNumber(v)) throw new Fault(`invalid argument for ${name} (type ${goType(v)})`);
      return f(toFloat(v));
    });
  rounding('ceil', Math.ceil);
  rounding('floor', Math.floor);
  rounding('round', (x) => (x < 0 ? -Math.round(-x) : Math.round(x)));
  def('toJSON', 1, 1, ([v], b) => str(b, marshalIndent(v)));
  def('fromJSON', 1, 1, ([s], b) => fromJSON(asString(s), b));
  def('toBase64', 1, 1, ([s], b) => str(b, toBase64(asString(s))));
  def('fromBase64', 1, 1, ([s]) => fromBase64(asString(s)));
  const safeFetch = (from: unknown, key: unknown) => {
    try {
      return fetch(from, key);
    } catch (e) {
      if (e instanceof Fault) return null;
      throw e;
    }
  };
  def('first', 1, 1, ([v]) => safeFetch(v, 0n));
  def('last', 1, 1, ([v]) => safeFetch(v, -1n));
  def('get', 2, 2, ([v, k]) => safeFetch(v, k));
  def('keys', 1, 1, ([v], b) => {
    if (!isMap(v)) throw new Fault(`cannot get keys from ${goKind(v)}`, { plain: true });
    const out = mapKeys(v);
    b.alloc(out.length);
    return out;
  });
  def('values', 1, 1, ([v], b) => {
    if (!isMap(v)) throw new Fault(`cannot get values from ${goKind(v)}`, { plain: true });
    const out = mapKeys(v).map((k) => getOwn(v, k));
    b.alloc(out.length);
    return out;
  });
  def('concat', 1, Infinity, (args, b) => {
    const out: unknown[] = [];
    for (const a of args) out.push(...arrayArg('concat', a));
    b.alloc(out.length);
    return out;
  });
  def('flatten', 1, 1, ([v], b) => {
    const out: unknown[] = [];
    flatten(arrayArg('flatten', v), out, 0);
    b.alloc(out.length);
    return out;
  });
  def('uniq', 1, 1, ([v], b) => {
    const items = arrayArg('uniq', v);
    b.work(items.length);
    const out: unknown[] = [];
    for (const x of items) {
      if (!out.some((y) => equal(x, y))) out.push(x);
      b.work(out.length);
    }
    b.alloc(out.length);
    return out;
  });
  def('reverse', 1, 1, ([v], b) => {
    const out = [...arrayArg('reverse', v)].reverse();
    b.alloc(out.length);
    return out;
  });
  def('sort', 1, 2, ([v, order], b) => {
    const items = arrayArg('sort', v);
    b.work(items.length * Math.max(1, Math.ceil(Math.log2(items.length + 1))));
    const out = sortValues('sort', items, sortOrder(order)).map((i) => items[i]);
    b.alloc(out.length);
    return out;
  });
  return t;
}

export const BUILTINS = builtins();

export function isBuiltinName(name: string): boolean {
  return name in BUILTINS;
}

/** Evaluates the predicate for one element; `acc` is `#acc` in reduce. */
export type Predicate = (item: unknown, index: number, acc?: unknown) => unknown;

export type PredicateBuiltin = (items: unknown[], pred: Predicate | undefined, extra: unknown[], budget: Budget) => unknown;

export const PREDICATE_BUILTINS: Record<string, PredicateBuiltin> = {
  all: (items, p) => items.every((x, i) => asBool(p!(x, i))),
  any: (items, p) => items.some((x, i) => asBool(p!(x, i))),
  none: (items, p) => !items.some((x, i) => asBool(p!(x, i))),
  one: (items, p) => items.filter((x, i) => asBool(p!(x, i))).length === 1,
  filter: (items, p, _e, b) => {
    const out = items.filter((x, i) => asBool(p!(x, i)));
    b.alloc(out.length);
    return out;
  },
  map: (items, p, _e, b) => {
    b.alloc(items.length);
    return items.map((x, i) => p!(x, i));
  },
  count: (items, p) => BigInt(items.filter((x, i) => asBool(p ? p(x, i) : x)).length),
  sum: (items, p) => items.reduce<unknown>((acc, x, i) => add(acc, p ? p(x, i) : x), 0n),
  find: (items, p) => {
    const i = items.findIndex((x, j) => asBool(p!(x, j)));
    return i < 0 ? null : items[i];
  },
  findIndex: (items, p) => {
    const i = items.findIndex((x, j) => asBool(p!(x, j)));
    return i < 0 ? null : BigInt(i);
  },
  findLast: (items, p) => {
    for (let i = items.length - 1; i >= 0; i--) if (asBool(p!(items[i], i))) return items[i];
    return null;
  },
  findLastIndex: (items, p) => {
    for (let i = items.length - 1; i >= 0; i--) if (asBool(p!(items[i], i))) return BigInt(i);
    return null;
  },
  groupBy: (items, p, _e, b) => {
    const out: MapValue = newMap();
    items.forEach((x, i) => {
      const k = p!(x, i);
      const key = typeof k === 'string' ? k : goFormat(k);
      const group = Object.prototype.hasOwnProperty.call(out, key) ? (out[key] as unknown[]) : (out[key] = []);
      group.push(x);
    });
    b.alloc(items.length);
    return out;
  },
  sortBy: (items, p, [order], b) => {
    const keys = items.map((x, i) => p!(x, i));
    b.work(items.length * Math.max(1, Math.ceil(Math.log2(items.length + 1))));
    const out = sortValues('sortBy', keys, sortOrder(order)).map((i) => items[i]);
    b.alloc(out.length);
    return out;
  },
  reduce: (items, p, extra) => {
    let start = 0;
    let acc: unknown;
    if (extra.length > 0) acc = extra[0];
    else {
      if (items.length === 0) throw new Fault('reduce of empty array with no initial value');
      acc = items[0];
      start = 1;
    }
    for (let i = start; i < items.length; i++) acc = p!(items[i], i, acc);
    return acc;
  },
};

export function iterable(name: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  throw new Fault(`invalid argument for ${name} (type ${isNil(v) ? '<nil>' : goType(v)})`);
}
