import { findLinkURI, type LinkResolver } from '../expr/index.js';

const TIMEOUT_MS = 5_000;

/**
 * `link(obj, rel)`: follows the single `links` entry named `rel` with a GET and returns its
 * `data`, as upstream's `link()`. `authorize` adds stack credentials when the server has them.
 */
export function createLinkResolver(authorize?: () => Promise<Record<string, string>>): LinkResolver {
  return async (obj, rel) => {
    const uri = findLinkURI(obj, rel);
    if (!/^https?:\/\//.test(uri)) throw new Error(`link '${String(rel)}': invalid uri '${uri.slice(0, 100)}'`);
    const res = await fetch(uri, { headers: { accept: 'application/json', ...(await authorize?.()) }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.status >= 400) throw new Error(`unexpected status code when reading resource: ${res.status}`);
    const body = (await res.json()) as { data?: unknown };
    if (!body || typeof body !== 'object' || !('data' in body)) throw new Error('link: response has no data envelope');
    return body.data;
  };
}
