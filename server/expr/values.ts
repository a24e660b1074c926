// The value model. Values are plain JavaScript data, with Go's int/float distinction kept the way
// expr-lang sees a JSON payload:
//   nil     null / undefined
//   bool    boolean
//   int     bigint (64-bit, wraps on overflow like Go): integer literals, len(), int(), ...
//   float   number (float64): every JSON number of the payload, float literals, `/`, `**`
//   string  string
//   array   Array            ([]interface {})
//   map     any other object (map[string]interface {}); only own properties are visible
// The names in error messages are Go's (`%T`), e.g. `invalid operation: string + float64`.

import { Fault } from './errors.js';

export type Kind = 'nil' | 'bool' | 'int' | 'float' | 'string' | 'array' | 'map' | 'other';
export type MapValue = Record<string, unknown>;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    case 'object':
      return Array.isArray(v) ? 'array' : 'map';
    default:
      return 'other';
  }
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function isNumber(v: unknown): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

export function isMap(v: unknown): v is MapValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's `%T` of the value as expr-lang would hold it. */
export function goType(v: unknown): string {
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'array':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    default:
      return 'func';
  }
}

/** Go's `reflect.Kind` name, used by a few builtin messages (`cannot get keys from slice`). */
export function goKind(v: unknown): string {
  switch (kindOf(v)) {
    case 'nil':
      return 'invalid';
    case 'float':
      return 'float64';
    case 'array':
      return 'slice';
    case 'other':
      return 'func';
    default:
      return kindOf(v);
  }
}

export function wrapInt(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

export function toFloat(v: bigint | number): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Go's `int(f)` for a float64: truncation; NaN, infinities and out-of-range values give the
 * minimum int64, as on amd64. */
export function floatToInt(f: number): bigint {
  if (!Number.isFinite(f)) return INT64_MIN;
  const t = BigInt(Math.trunc(f));
  return t < INT64_MIN || t > INT64_MAX ? INT64_MIN : t;
}

/** A fresh map for values built by expressions (no prototype, so any key is an own key). */
export function newMap(): MapValue {
  return Object.create(null) as MapValue;
}

export function hasOwn(m: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** The value under `key`, nil when absent (inherited properties are never visible). */
export function getOwn(m: MapValue, key: string): unknown {
  if (!hasOwn(m, key)) return null;
  const v = m[key];
  return v === undefined ? null : v;
}

export function mapKeys(m: MapValue): string[] {
  return Object.keys(m);
}

/** Go's message for a failed type assertion `x.(T)`. */
export function interfaceConversion(v: unknown, want: string): Fault {
  const have = isNil(v) ? 'nil' : goType(v);
  return new Fault(`interface conversion: interface {} is ${have}, not ${want}`);
}

export function asString(v: unknown): string {
  if (typeof v !== 'string') throw interfaceConversion(v, 'string');
  return v;
}

export function asBool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw interfaceConversion(v, 'bool');
  return v;
}

/** expr-lang's runtime.ToInt (indexes, slice bounds, repeat counts, ranges). */
export function toInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt(v);
  throw new Fault(`invalid operation: int(${goType(v)})`);
}

/** Same as `toInt` but as a JavaScript number (saturated), for lengths and positions. */
export function toIndex(v: unknown): number {
  return Number(toInt(v));
}

/** expr-lang's runtime.Equal: numbers compare across int/float, nil equals nil, and containers
 * are compared like Go's reflect.DeepEqual (where int 1 and float64 1 differ). */
export function equal(a: unknown, b: unknown, visit?: () => void): boolean {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return toFloat(a) === toFloat(b);
  }
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (isNil(a) && isNil(b)) return true;
  return deepEqual(a, b, 0, visit);
}

export const MAX_VALUE_DEPTH = 1000;

/** `visit` is called for every compared element so the caller can charge its budget. */
function deepEqual(a: unknown, b: unknown, depth: number, visit?: () => void): boolean {
  if (depth > MAX_VALUE_DEPTH) throw new Fault('value is nested too deeply');
  visit?.();
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  switch (ka) {
    case 'nil':
      return true;
    case 'float':
      return (a as number) === (b as number);
    case 'array': {
      const x = a as unknown[];
      const y = b as unknown[];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i], depth + 1, visit)) return false;
      return true;
    }
    case 'map': {
      const x = a as MapValue;
      const y = b as MapValue;
      const keys = mapKeys(x);
      if (keys.length !== mapKeys(y).length) return false;
      for (const k of keys) {
        if (!hasOwn(y, k) || !deepEqual(getOwn(x, k), getOwn(y, k), depth + 1, visit)) return false;
      }
      return true;
    }
    default:
      return a === b;
  }
}

const encoder = new TextEncoder();

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Number of UTF-8 bytes of a string (Go's len of a string, and its string indexes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
