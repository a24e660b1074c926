import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/harness.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface SseEvent {
  event: string;
  id?: string;
  data: any;
}

/** Opens the live stream and reads its events as they come; `close()` drops the connection. */
async function openStream(topics: string[], lastEventId?: string, url = server.url) {
  const controller = new AbortController();
  const query = topics.map((t) => `topic=${encodeURIComponent(t)}`).join('&');
  const res = await fetch(`${url}/api/console/live?${query}`, {
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
          );
          if (fields.data !== undefined) events.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    async until(check: (events: SseEvent[]) => boolean, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(events)) {
        if (Date.now() > deadline) throw new Error(`stream: condition not met; got ${JSON.stringify(events).slice(0, 2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

const topicEvents = (events: SseEvent[], topic: string) => events.filter((e) => e.event === 'topic' && e.data.topic === topic);
const lastBody = (events: SseEvent[], topic: string) => topicEvents(events, topic).at(-1)?.data.body;

describe('live updates (GET /api/console/live)', () => {
  it('pushes an instance as it runs; a stream dropped mid-run and resumed with Last-Event-ID ends on the final state', async () => {
    const wf = await server.api.post('/api/orchestration/v2/workflows', {
      name: 'live',
      stages: [{ delay: { duration: '300ms' } }, { delay: { duration: '300ms' } }, { delay: { duration: '300ms' } }, { delay: { duration: '300ms' } }],
    });
    const run = await server.api.post(`/api/orchestration/v2/workflows/${wf.body.data.id}/instances`, {});
    const topic = `/api/orchestration/v2/instances/${run.body.data.id}`;
    const history = `${topic}/history`;

    const first = await openStream([topic, history]);
    await first.until((events) => events[0]?.event === 'ready' && topicEvents(events, topic).length > 0);
    expect(first.events[0]!.data.topics).toEqual([topic, history]);
    // Drop the stream while the instance still runs.
    await first.until((events) => (lastBody(events, topic)?.data.status?.length ?? 0) >= 2);
    const lastId = first.events.filter((e) => e.id).at(-1)!.id!;
    await first.close();
    expect(lastBody(first.events, topic).data.terminated).toBe(false);

    const resumed = await openStream([topic, history], lastId);
    await resumed.until((events) => lastBody(events, topic)?.data.terminated === true);
    const final = await server.api.get(topic);
    expect(lastBody(resumed.events, topic)).toEqual(final.body);
    await resumed.until((events) => JSON.stringify(lastBody(events, history)) === JSON.stringify(final.body.data.terminated && lastBody(events, history)));
    const finalHistory = await server.api.get(history);
    await resumed.until((events) => JSON.stringify(lastBody(events, history)) === JSON.stringify(finalHistory.body));
    // Every id the resumed stream sent is newer than the one it resumed from.
    const seq = (id: string) => Number(id.split('-')[1]);
    for (const e of resumed.events.filter((x) => x.id)) expect(seq(e.id!)).toBeGreaterThan(seq(lastId));
    await resumed.close();
  });

  it('pushes each stage the engine records at once, not at the next round of reads (LIVE_INTERVAL_MS=60000)', async () => {
    const slow = await startTestServer({ LIVE_INTERVAL_MS: '60000' });
    try {
      const wf = await slow.api.post('/api/orchestration/v2/workflows', {
        name: 'live-nudged',
        stages: [{ delay: { duration: '200ms' } }, { delay: { duration: '200ms' } }, { delay: { duration: '200ms' } }],
      });
      const run = await slow.api.post(`/api/orchestration/v2/workflows/${wf.body.data.id}/instances`, {});
      const topic = `/api/orchestration/v2/instances/${run.body.data.id}`;
      const stream = await openStream([topic, '/api/orchestration/v2/instances?running=true'], undefined, slow.url);
      // Within the 20 s the helper waits, a round of reads (a minute apart) never comes: each
      // stage and the end can only have been pushed because the engine signalled its commit.
      await stream.until((events) => lastBody(events, topic)?.data.terminated === true);
      const stages = new Set(topicEvents(stream.events, topic).map((e) => e.data.body.data.status?.length ?? 0));
      expect([...stages].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
      await stream.close();
    } finally {
      await slow.close();
    }
  });

  it('sends an unknown instance as its 404, and refuses topics it cannot watch with a 400 naming the field', async () => {
    const missing = '/api/orchestration/v2/instances/00000000-0000-0000-0000-000000000000';
    const stream = await openStream([missing]);
    await stream.until((events) => topicEvents(events, missing).length === 1);
    expect(topicEvents(stream.events, missing)[0]!.data).toMatchObject({ status: 404, body: { errorCode: 'NOT_FOUND' } });
    await stream.close();

    for (const query of [
      '',
      'topic=/api/auth/session',
      'topic=/etc/passwd',
      'topic=/api/orchestration/../auth/session',
      Array.from({ length: 51 }, (_, i) => `topic=/api/orchestration/v2/instances/${i}`).join('&'),
    ]) {
      const res = await server.api.get(`/api/console/live?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errorCode).toBe('VALIDATION');
      expect(res.body.errorMessage).toMatch(/^topic/);
    }
  });

  it('ends a stream when the token that opened it expires (AUTH_TOKEN_TTL=1); reopening it is refused', async () => {
    const short = await startTestServer({ AUTH_CLIENTS: 'console:live-secret', AUTH_TOKEN_TTL: '1' });
    try {
      const tokenRes = await fetch(`${short.url}/api/auth/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'console', client_secret: 'live-secret' }),
      });
      const token = ((await tokenRes.json()) as { access_token: string }).access_token;
      const url = `${short.url}/api/console/live?topic=${encodeURIComponent('/api/orchestration/v2/workflows')}`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      // Read to the end: the server closes the stream once the token has expired (about a second).
      const text = await res.text();
      expect(text).toContain('event: ready');
      const again = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(again.status).toBe(401);
      await again.body?.cancel();
    } finally {
      await short.close();
    }
  });

  it('ends open streams when the server shuts down (no wait for the shutdown grace); last: it closes the server', async () => {
    const res = await fetch(`${server.url}/api/console/live?topic=${encodeURIComponent('/api/orchestration/v2/workflows')}`);
    const reader = res.body!.getReader();
    await reader.read(); // the `ready` event
    const closing = server.close();
    // The stream ends (done) rather than hanging until the grace period cuts the socket.
    for (;;) if ((await reader.read()).done) break;
    await closing;
  });
});
