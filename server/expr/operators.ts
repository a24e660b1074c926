// Operators with expr-lang's runtime semantics (vm/runtime): int/float promotion, 64-bit integer
// wrap-around, `/` and `**` always float, `%` on integers only, strings compared and concatenated,
// and Go-worded failures such as `invalid operation: string + float64`.

import { Fault } from './errors.js';
import { goFormat } from './format.js';
import { equal, getOwn, goType, isMap, isNil, isNumber, kindOf, toFloat, toIndex, toInt, utf8, wrapInt } from './values.js';

function invalid(a: unknown, op: string, b: unknown): Fault {
  return new Fault(`invalid operation: ${goType(a)} ${op} ${goType(b)}`);
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return wrapInt(a + b);
  if (isNumber(a) && isNumber(b)) return toFloat(a) + toFloat(b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  throw invalid(a, '+', b);
}

export function arithmetic(op: '-' | '*', a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return wrapInt(op === '-' ? a - b : a * b);
  if (isNumber(a) && isNumber(b)) {
    const x = toFloat(a);
    const y = toFloat(b);
    return op === '-' ? x - y : x * y;
  }
  throw invalid(a, op, b);
}

export function divide(a: unknown, b: unknown): number {
  if (isNumber(a) && isNumber(b)) return toFloat(a) / toFloat(b);
  throw invalid(a, '/', b);
}

export function modulo(a: unknown, b: unknown): bigint {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b === 0n) throw new Fault('runtime error: integer divide by zero');
    return wrapInt(a % b);
  }
  throw invalid(a, '%', b);
}

function floatOperand(v: unknown): number {
  if (isNumber(v)) return toFloat(v);
  throw new Fault(`invalid operation: float(${goType(v)})`);
}

export function exponent(a: unknown, b: unknown): number {
  return Math.pow(floatOperand(a), floatOperand(b));
}

export function negate(v: unknown): unknown {
  if (typeof v === 'bigint') return wrapInt(-v);
  if (typeof v === 'number') return -v;
  throw new Fault(`invalid operation: - ${goType(v)}`);
}

export function compare(op: '<' | '>' | '<=' | '>=', a: unknown, b: unknown): boolean {
  let x: bigint | number | string;
  let y: bigint | number | string;
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    x = a;
    y = b;
  } else if (isNumber(a) && isNumber(b)) {
    x = toFloat(a);
    y = toFloat(b);
  } else if (typeof a === 'string' && typeof b === 'string') {
    x = a;
    y = b;
  } else {
    throw invalid(a, op, b);
  }
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
}

/** `needle in collection`: element of an array, key of a map; nil collection → false. */
export function contains(needle: unknown, coll: unknown, visit?: () => void): boolean {
  if (isNil(coll)) return false;
  if (Array.isArray(coll)) {
    return coll.some((x) => {
      visit?.();
      return equal(x, needle, visit);
    });
  }
  if (isMap(coll)) {
    const key = mapKey(needle);
    return Object.prototype.hasOwnProperty.call(coll, key);
  }
  throw new Fault(`operator "in" not defined on ${goType(coll)}`);
}

/** Maps only have string keys (like the map[string]interface {} of a JSON payload). */
function mapKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (isNil(key)) return '';
  throw new Fault(`reflect.Value.MapIndex: value of type ${goType(key)} is not assignable to type string`);
}

/** runtime.Fetch: `from.key` / `from[key]`. Arrays and strings take (negative) integer indexes,
 * maps return nil for a missing key, nil and scalars fail with `cannot fetch <key> from <type>`.
 * Like Go, indexing a string yields the byte at that position, as an integer. */
export function fetch(from: unknown, key: unknown): unknown {
  switch (kindOf(from)) {
    case 'array':
    case 'string': {
      const index = toIndex(key);
      const seq: ArrayLike<unknown> = typeof from === 'string' ? utf8(from) : (from as unknown[]);
      const len = seq.length;
      const i = index < 0 ? len + index : index;
      if (i < 0 || i >= len) throw new Fault(`index out of range: ${i} (array length is ${len})`);
      const v = seq[i];
      if (typeof v === 'number' && typeof from === 'string') return BigInt(v);
      return v === undefined ? null : v;
    }
    case 'map':
      return getOwn(from as Record<string, unknown>, mapKey(key));
    default:
      throw new Fault(`cannot fetch ${goFormat(key)} from ${goType(from)}`);
  }
}

/** runtime.Slice: `a[from:to]` with clamping; strings are sliced by bytes like Go. */
export function slice(from: unknown, lo: unknown, hi: unknown): unknown {
  const kind = kindOf(from);
  if (kind !== 'array' && kind !== 'string') throw new Fault(`cannot slice ${goFormat(lo)}`);
  const bytes = typeof from === 'string' ? utf8(from) : undefined;
  const length = bytes ? bytes.length : (from as unknown[]).length;
  let a = lo === undefined ? 0 : toIndex(lo);
  let b = hi === undefined ? length : toIndex(hi);
  if (a < 0) a = Math.max(0, length + a);
  if (b < 0) b = Math.max(0, length + b);
  if (b > length) b = length;
  if (a > b) a = b;
  if (bytes) return new TextDecoder().decode(bytes.subarray(a, b));
  return (from as unknown[]).slice(a, b);
}

/** `a..b`: the integers from a to b inclusive. */
export function range(lo: unknown, hi: unknown, charge: (size: number) => void): bigint[] {
  const a = toInt(lo);
  const b = toInt(hi);
  const size = b - a + 1n;
  if (size <= 0n) return [];
  if (size > 10_000_000n) throw new Fault('memory budget exceeded');
  charge(Number(size));
  const out: bigint[] = new Array(Number(size));
  for (let i = 0; i < out.length; i++) out[i] = a + BigInt(i);
  return out;
}
