import type { MiddlewareHandler } from 'hono';
import { jsonValueProblem, textProblem } from '../store/storable.js';

/**
 * Text the database cannot store (server/store/storable.ts) is refused at the door: 400
 * VALIDATION instead of a failure deep inside a query (500). Checked on `/api/*`: the decoded path
 * and query, and JSON bodies. Found by server/reliability/fuzz.test.ts.
 */

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
    // Not `c.req.raw.body`: asking for the stream makes the Node adapter build a full Request
    // (security.ts, apiBodyLimit); an absent body reads as '' here, which is not JSON.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
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
