/**
 * The codec of every list cursor: base64url of a JSON token, opaque to clients. Each list checks
 * the token it gets back (a forged one must not reach SQL) and answers its own error.
 */
export function encodeCursor(token: unknown): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The token, or an Error when the text is not one this codec wrote (alphabet, size, JSON). */
export function decodeCursor(raw: string, maxLength = 16 * 1024): unknown {
  if (raw.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('not a cursor');
  return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
}
