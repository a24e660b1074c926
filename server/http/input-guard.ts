import type { MiddlewareHandler } from 'hono';

/**
 * Text the database cannot store is refused at the door (400 VALIDATION) instead of failing deep
 * inside a query (500): PostgreSQL (and PGlite) reject NUL characters in text and in jsonb, and
 * unpaired UTF-16 surrogates in jsonb. Checked on `/api/*`: the decoded path and query, and JSON
 * bodies (strings and keys, plus a nesting limit, since deeply nested values overflow the stack
 * of the code that walks them and of jsonb itself). Found by server/reliability/fuzz.test.ts.
 */

export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

/** Why a parsed JSON (or YAML) value cannot be stored, naming where; undefined when it can. */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const walk = (v: unknown, path: string, depth: number): string | undefined => {
    if (typeof v === 'string') {
      const p = textProblem(v);
      return p && `${path || 'value'}: text ${p}`;
    }
    if (v === null || typeof v !== 'object') return undefined;
    if (depth >= maxDepth) return `${path || 'value'}: nested deeper than ${maxDepth} levels`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = walk(v[i], `${path}[${i}]`, depth + 1);
        if (p) return p;
      }
      return undefined;
    }
    for (const [k, x] of Object.entries(v)) {
      const kp = textProblem(k);
      if (kp) return `${path ? `${path}.` : ''}${JSON.stringify(k).slice(0, 40)}: key ${kp}`;
      const p = walk(x, path ? `${path}.${k}` : k, depth + 1);
      if (p) return p;
    }
    return undefined;
  };
  return walk(value, '', 0);
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** Install on `/api/*` after the body limit. */
export function inputGuard(): MiddlewareHandler {
  return async (c, next) => {
    const reject = (message: string) => c.json({ errorCode: 'VALIDATION', errorMessage: message }, 400);
    const url = new URL(c.req.url);
    for (const segment of url.pathname.split('/')) {
      const p = textProblem(decoded(segment));
      if (p) return reject(`path: ${p}`);
    }
    for (const part of url.search.slice(1).split('&')) {
      if (!part) continue;
      const p = textProblem(decoded(part));
      if (p) return reject(`query parameter '${decoded(part.split('=')[0]).slice(0, 40)}': ${p}`);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.raw.body) {
      // Whatever the content type says: routes read JSON from the text. A body that is not JSON
      // is the route's to refuse (400), or YAML (workflows), checked once parsed there.
      const text = await c.req.text();
      let value: unknown;
      let parsed = false;
      try {
        value = JSON.parse(text);
        parsed = true;
      } catch {
        // not JSON
      }
      if (parsed) {
        const p = jsonValueProblem(value);
        if (p) return reject(`request body: ${p}`);
      }
    }
    await next();
  };
}
