import { parseJsonLossless, stringifyJson } from '../../common/json.js';

/**
 * JSON with arbitrary-size integers. Money travels as JSON numbers (the SDKs read them with
 * BigInt), so the sandbox must write bigints as bare number literals and read integer literals
 * beyond 2^53 without losing digits.
 */

/** Parses JSON; integer literals that do not fit a double exactly come back as bigint. */
export function parseJson(text: string): unknown {
  return parseJsonLossless(text, BigInt);
}

export { stringifyJson };

/**
 * Deep copy as JSON will hold it (stored activity data, events): dates become RFC 3339 text and
 * `undefined` keys are dropped; bigints stay bigints, written as exact numbers by stringifyJson.
 */
export function toJsonSafe<T = unknown>(value: unknown): T {
  if (value instanceof Date) return value.toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonSafe(v);
    return out as T;
  }
  return value as T;
}
