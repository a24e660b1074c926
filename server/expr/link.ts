// The lookup half of `link(obj, rel)`, with upstream's messages, for LinkResolver
// implementations: find the one element of `obj.links` named `rel` and return its `uri`. The HTTP
// half (GET with the stack credentials, `{"data": ...}` envelope) belongs to the resolver.

/** `final` mirrors upstream: a missing or ambiguous link is a final failure (error occurrence),
 * a non-string `rel` or malformed `links` is retried as transient, as upstream does (docs/compatibility.md: trigger expressions). */
export class LinkLookupError extends Error {
  override readonly name = 'LinkLookupError';
  constructor(
    message: string,
    readonly final: boolean,
  ) {
    super(message);
  }
}

export function findLinkURI(obj: unknown, rel: unknown): string {
  const links: unknown = typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as Record<string, unknown>).links : undefined;
  if (links !== undefined && links !== null && !Array.isArray(links)) {
    throw new LinkLookupError('json: cannot unmarshal links into Go struct field object.links of type []api.Link', false);
  }
  if (typeof rel !== 'string') throw new LinkLookupError('second parameter must be a string', false);
  const matching = (Array.isArray(links) ? links : []).filter(
    (l): l is Record<string, unknown> => typeof l === 'object' && l !== null && (l as Record<string, unknown>).name === rel,
  );
  if (matching.length === 0) throw new LinkLookupError(`link '${rel}' not defined for object`, true);
  if (matching.length > 1) throw new LinkLookupError(`multiple link '${rel}' found for object`, true);
  const uri = matching[0]!.uri;
  return typeof uri === 'string' ? uri : '';
}
