import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { parseJsonLossless, stringifyJson } from '../../common/json.js';
import { ApiError } from '../errors.js';

/**
 * JSON body from a request: malformed JSON and non-JSON content types are 400 VALIDATION.
 * Integers beyond 2^53 (amounts) are kept exact, as bigint.
 */
export async function readJson(c: Context, opts: { optional?: boolean } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (opts.optional) return undefined;
    throw new ApiError(400, 'VALIDATION', 'request body: expected a JSON object, got an empty body');
  }
  try {
    return parseJsonLossless(text, BigInt);
  } catch (err) {
    throw new ApiError(400, 'VALIDATION', `request body: invalid JSON: ${(err as Error).message}`);
  }
}

/** Upstream answers every response with a JSON content type, 204s included (docs/compatibility.md: HTTP details). */
export function noContent(c: Context) {
  c.header('Content-Type', 'application/json');
  return c.body(null, 204);
}

export function errorBody(err: ApiError) {
  return { errorCode: err.code, errorMessage: err.message };
}

/**
 * What `sendJson` answered, by response: the audit's outcome (access.ts) reads what a write
 * created from it instead of parsing the response again. A clone of the response to read it made
 * the Node adapter turn its light response into a stream (measured: about a fifth of the server's
 * CPU per run request).
 */
const answers = new WeakMap<Response, unknown>();

/** A JSON response in which bigints (amounts beyond 2^53) are written as exact numbers. */
export function sendJson(c: Context, body: unknown, status: ContentfulStatusCode = 200) {
  const res = c.body(stringifyJson(body), status, { 'Content-Type': 'application/json' });
  answers.set(res, body);
  return res;
}

/** The value `sendJson` wrote into `res`, if it made it (`found: false` otherwise). */
export function answerOf(res: Response): { found: true; value: unknown } | { found: false } {
  return answers.has(res) ? { found: true, value: answers.get(res) } : { found: false };
}
