import type { Context } from 'hono';
import { accepts } from 'hono/accepts';

/** The content codings this server sends, in its order of preference (brotli is smaller). */
export type Encoding = 'br' | 'gzip';

/**
 * The coding to send, from `Accept-Encoding` (q-values and `*` honoured, `q=0` refuses); among
 * codings the client weighs alike, the first of `offered`. `identity` when none is acceptable.
 */
export function negotiateEncoding(c: Context, offered: readonly Encoding[]): Encoding | 'identity' {
  return accepts(c, {
    header: 'Accept-Encoding',
    supports: [...offered],
    default: 'identity',
    match: (list, { supports }) => {
      const wildcard = list.find((a) => a.type === '*')?.q ?? 0;
      let best = 'identity';
      let bestQ = 0;
      for (const coding of supports) {
        const q = list.find((a) => a.type.toLowerCase() === coding)?.q ?? wildcard;
        if (q > bestQ) [best, bestQ] = [coding, q];
      }
      return best;
    },
  }) as Encoding | 'identity';
}

/** Adds `Accept-Encoding` to `Vary` (once): a cache must not hand one client's coding to another. */
export function varyOnEncoding(headers: Headers): void {
  addVary(headers, 'Accept-Encoding');
}

/** Adds each request header `names` to `Vary`, once each (a `*` already covers them). */
export function addVary(headers: Headers, ...names: string[]): void {
  for (const name of names) {
    const vary = headers.get('Vary');
    if (vary === '*' || (vary && vary.split(',').some((v) => v.trim().toLowerCase() === name.toLowerCase()))) continue;
    headers.set('Vary', vary ? `${vary}, ${name}` : name);
  }
}
