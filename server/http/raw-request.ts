import { request } from 'node:http';
import { connect } from 'node:net';

/** Test helper: an HTTP/1.1 request where every header (Host included) is ours to choose. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** the body's bytes as received (still encoded when the answer has a Content-Encoding) */
  body: Buffer;
  text: string;
  json(): any;
}

export function rawRequest(
  baseUrl: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] } = {},
): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: url.pathname + url.search,
        method: opts.method ?? 'GET',
        headers: opts.body === undefined ? opts.headers : { 'content-length': String(Buffer.byteLength(opts.body)), ...opts.headers },
        agent: false, // a fresh connection each time: no reuse of a socket the server is closing
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const body = Buffer.concat(parts);
          const text = body.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.chunks) {
      // no Content-Length: Transfer-Encoding chunked
      const write = (i: number) => {
        if (i >= opts.chunks!.length) return req.end();
        if (req.destroyed) return;
        req.write(opts.chunks![i], () => write(i + 1));
      };
      write(0);
    } else {
      req.end(opts.body);
    }
  });
}

/** Test helper: sends `text` as is on a new connection; resolves with the status code. */
export function rawHttp(baseUrl: string, text: string): Promise<number> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname.replace(/^\[|\]$/g, ''), () => socket.end(text));
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)));
  });
}
