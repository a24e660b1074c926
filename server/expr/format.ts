// Go-compatible renderings of values:
//   goFormat        fmt's `%v` (string(), messages, nested values of vars)
//   jsonNumber      encoding/json's float64 form (top-level float vars)
//   formatVarValue  how a var's result becomes a string
//   marshalIndent   json.MarshalIndent(v, "", "  ") (toJSON)

import { ExprRuntimeError, Fault } from './errors.js';
import { getOwn, isNil, kindOf, mapKeys, MAX_VALUE_DEPTH, type MapValue } from './values.js';

/** Shortest round-trip digits of a finite non-zero |x| and its decimal exponent. */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

function expForm(digits: string, exp: number): string {
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exp < 0 ? '-' : '+';
  return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fixedForm(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return frac ? `${intPart}.${frac}` : intPart;
}

/** Go's `%v` of a float64 (strconv 'g' with shortest digits): the exponent form is used when the
 * decimal exponent is < -4 or >= 6, so 1e6 prints as `1e+06`, 123456 as `123456`, 1e-5 as
 * `1e-05`. */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(x);
  const body = exp < -4 || exp >= 6 ? expForm(digits, exp) : fixedForm(digits, exp);
  return x < 0 ? `-${body}` : body;
}

/** encoding/json's float64: plain decimal unless |x| < 1e-6 or >= 1e21, then `1e+21`, `1e-7`.
 * JavaScript's Number#toString follows the very same rule. */
export function jsonNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Fault(`json: unsupported value: ${goFloat(x)}`);
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** Go's `fmt.Sprint` / `%v`: `<nil>`, `true`, `1.5`, `[1 2]`, `map[a:1 b:x]` (keys sorted). */
export function goFormat(v: unknown, depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw new Fault('value is nested too deeply');
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
    case 'int':
      return String(v);
    case 'float':
      return goFloat(v as number);
    case 'string':
      return v as string;
    case 'array':
      return `[${(v as unknown[]).map((x) => goFormat(x, depth + 1)).join(' ')}]`;
    case 'map': {
      const m = v as MapValue;
      const parts = sortedKeys(m).map((k) => `${k}:${goFormat(getOwn(m, k), depth + 1)}`);
      return `map[${parts.join(' ')}]`;
    }
    default:
      return String(v);
  }
}

function sortedKeys(m: MapValue): string[] {
  return mapKeys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * How the result of a trigger var becomes a string, as upstream does it (`json.Marshal` for
 * floats, `fmt.Sprint` otherwise):
 *   string → unchanged; integer → decimal; float → shortest JSON form (`3.5`, `1200000`, `1e+21`,
 *   `1e-7`); bool → `true`/`false`; nil → `<nil>`; arrays/maps → Go formatting (`[1 2]`, `map[a:1]`).
 * JavaScript numbers are float64 here (whole ones print without decimals); bigints are integers.
 * NaN and ±Inf cannot be encoded (upstream: `json: unsupported value`): an ExprRuntimeError.
 */
export function formatVarValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    try {
      return jsonNumber(value);
    } catch (e) {
      if (e instanceof Fault) throw new ExprRuntimeError(e.message);
      throw e;
    }
  }
  if (isNil(value)) return '<nil>';
  try {
    return goFormat(value);
  } catch (e) {
    if (e instanceof Fault) throw new ExprRuntimeError(e.message);
    throw e;
  }
}

/** Go's JSON string escaping (with HTML escaping, as json.Marshal does). */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else out += '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/** json.MarshalIndent(v, "", "  "): sorted keys, two-space indent, `null` for nil. */
export function marshalIndent(v: unknown, indent = '', depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw new Fault('json: unsupported value: encountered a cycle or too deep value');
  switch (kindOf(v)) {
    case 'nil':
      return 'null';
    case 'bool':
    case 'int':
      return String(v);
    case 'float':
      return jsonNumber(v as number);
    case 'string':
      return jsonString(v as string);
    case 'array': {
      const a = v as unknown[];
      if (a.length === 0) return '[]';
      const inner = `${indent}  `;
      return `[\n${a.map((x) => inner + marshalIndent(x, inner, depth + 1)).join(',\n')}\n${indent}]`;
    }
    case 'map': {
      const m = v as MapValue;
      const keys = sortedKeys(m);
      if (keys.length === 0) return '{}';
      const inner = `${indent}  `;
      const parts = keys.map((k) => `${inner}${jsonString(k)}: ${marshalIndent(getOwn(m, k), inner, depth + 1)}`);
      return `{\n${parts.join(',\n')}\n${indent}}`;
    }
    default:
      throw new Fault(`json: unsupported type: ${typeof v}`);
  }
}
