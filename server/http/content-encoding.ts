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
  const vary = headers.get('Vary');
  if (vary === '*' || (vary && /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))) return;
  headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}
