import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Keeps a kept-alive connection usable after a request was answered before its body was read.
 *
 * Node discards an unread request body after the response (so the next request on the connection
 * can be parsed), but only when nothing has started reading it. Hono's body limit looks at
 * `c.req.raw.body`, which starts a web stream that pulls the first chunk and stops (backpressure);
 * when a later layer then answers without reading the rest (the input guard refusing a path,
 * authentication, …), the body stays half-read, the socket stays paused, and the client's next
 * request waits behind it. The Hono adapter's fallback closes such a socket 500 ms later — under
 * that next request, which fails with "other side closed" (server/http/keep-alive.test.ts).
 *
 * So once the response is finished, whatever of the body is still unread is discarded, as Node
 * does for an untouched one: the half-done reader is detached and the stream resumed. A client
 * that stops sending its body is still cut by the adapter's timeout, as before; a body over the
 * size limit is refused with `Connection: close` (security.ts) and not read at all.
 */
export function discardUnreadBodies(listener: (req: IncomingMessage, res: ServerResponse) => unknown) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.once('finish', () => {
      if (req.readableEnded || req.destroyed) return;
      req.removeAllListeners('data');
      req.resume();
    });
    void listener(req, res);
  };
}
