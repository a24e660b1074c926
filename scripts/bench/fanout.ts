import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST, spawnServer } from './lib.js';

export interface FanoutFigures {
  /** requests the stack received per second for the watched instance, with one open page */
  onePagePerSecond: number;
  /** the same with `pages` open pages */
  manyPagesPerSecond: number;
  pages: number;
  windowMs: number;
}

/**
 * Remote mode with many viewers: a console in remote mode in front of a stack (our embedded
 * server, behind a proxy that counts what reaches it); `pages` tabs keep an instance page open
 * (each tab's live stream watching the instance and its history, as the page does). Counted over a
 * steady window after every tab got its first answer, once with one tab and once with `pages`.
 */
export async function remoteFanout(pages = 50, windowMs = 10_000): Promise<FanoutFigures> {
  const stack = await spawnServer({ DATA_DIR: 'memory' });
  let counted = 0;
  let watch = '';
  const counter = http.createServer((req, res) => {
    if (watch && req.url?.includes(watch)) counted++;
    const target = new URL(req.url ?? '/', stack.url);
    const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => counter.listen(0, HOST, r));
  const stackUrl = `http://${HOST}:${(counter.address() as AddressInfo).port}`;
  const console_ = await spawnServer({ FORMANCE_URL: stackUrl, DATA_DIR: 'memory' });
  try {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(stack.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return ((await res.json()) as { data: { id: string } }).data;
    };
    const wf = await post('/api/orchestration/v2/workflows', { name: 'bench-fanout', stages: [{ wait_event: { event: 'never' } }] });
    const instance = await post(`/api/orchestration/v2/workflows/${wf.id}/instances`, {});
    watch = `/instances/${instance.id}`;
    const topics = [`/api/orchestration/v2/instances/${instance.id}`, `/api/orchestration/v2/instances/${instance.id}/history`];
    const query = topics.map((t) => `topic=${encodeURIComponent(t)}`).join('&');

    const measure = async (tabs: number) => {
      const controllers = Array.from({ length: tabs }, () => new AbortController());
      await Promise.all(
        controllers.map(async (controller) => {
          const res = await fetch(`${console_.url}/api/console/live?${query}`, { signal: controller.signal });
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          let text = '';
          // Wait for both topics' first answers, then keep reading in the background.
          while ((text.match(/event: topic/g) ?? []).length < topics.length) text += (await reader.read()).value ?? '';
          void (async () => {
            try {
              while (!(await reader.read()).done);
            } catch {
              // aborted at the end
            }
          })();
        }),
      );
      counted = 0;
      await new Promise((r) => setTimeout(r, windowMs));
      const perSecond = counted / (windowMs / 1000);
      for (const c of controllers) c.abort();
      await new Promise((r) => setTimeout(r, 500));
      return perSecond;
    };
    const onePagePerSecond = await measure(1);
    const manyPagesPerSecond = await measure(pages);
    return { onePagePerSecond, manyPagesPerSecond, pages, windowMs };
  } finally {
    await console_.stop();
    counter.close();
    await stack.stop();
  }
}
