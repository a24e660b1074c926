import { createServer, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener, RequestError } from '@hono/node-server';
import { discardUnreadBodies } from './unread-body.js';
import { defaultLogger, errorFields } from '../lib/log.js';

type FetchCallback = Parameters<typeof getRequestListener>[0];

/**
 * Requests Node's HTTP parser refuses before any route sees them (headers over 16 KiB, bytes
 * that are not HTTP) get a JSON error body like every other 4xx, instead of Node's bare status
 * line. Install with `server.on('clientError', answerClientError)`.
 */
export function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
  // As Node's default: nothing to answer on a dead socket or after a response has started.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'request headers (URL included) too large: the limit is 16 KiB']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request not received in time']
        : [400, 'Bad Request', `malformed HTTP request (${err.code ?? 'parse error'})`];
  const json = JSON.stringify({ errorCode: 'VALIDATION', errorMessage: message });
  // A HEAD request gets the headers only (its client reads no body).
  const body = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ' ? '' : json;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * `createServer` for `serve()`: the adapter's own request listener, except that a request target
 * it refuses before the app runs (a backslash in the path, a malformed Host) is answered with a
 * JSON 400 rather than an empty one, and a body left half-read by an early answer is discarded so
 * the kept-alive connection serves the client's next request (unread-body.ts).
 */
export function createServerWithJsonErrors(fetch: FetchCallback, hostname: string): typeof createServer {
  const listener = getRequestListener(fetch, {
    hostname,
    errorHandler: (err) => {
      const isClientMistake = err instanceof RequestError;
      if (!isClientMistake) defaultLogger().error('internal error', errorFields(err, true));
      const body = isClientMistake
        ? { errorCode: 'VALIDATION', errorMessage: `malformed request: ${err.message}` }
        : { errorCode: 'INTERNAL', errorMessage: 'internal error' };
      return new Response(JSON.stringify(body), { status: isClientMistake ? 400 : 500, headers: { 'Content-Type': 'application/json' } });
    },
  });
  return ((options: ServerOptions) => createServer(options ?? {}, discardUnreadBodies(listener))) as typeof createServer;
}
