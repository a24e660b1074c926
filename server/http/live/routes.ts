import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { validation } from '../../errors.js';
import { requestPrincipal } from '../principal.js';
import type { LiveHub, LiveListener, LiveMessage } from './hub.js';

/** Reads a tab may watch: the Flows API, the events list and instances' progress, GET only (the hub reads them). */
const WATCHABLE = /^\/api\/(orchestration\/|console\/events(\?|$)|console\/instances\/progress\?)/;
const MAX_TOPICS = 50;
const MAX_TOPIC_LENGTH = 2000;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;

/** The `topic` query parameters of a stream, each a watchable GET path; a 400 naming the bad one otherwise. */
export function parseTopics(values: string[] | undefined): string[] {
  const topics = [...new Set(values ?? [])];
  if (topics.length === 0) throw validation('topic: give at least one topic (a GET path of the API, e.g. /api/orchestration/v2/instances/<id>)');
  if (topics.length > MAX_TOPICS) throw validation(`topic: at most ${MAX_TOPICS} topics per stream (got ${topics.length})`);
  for (const topic of topics) {
    if (topic.length > MAX_TOPIC_LENGTH) throw validation(`topic: longer than ${MAX_TOPIC_LENGTH} characters`);
    if (!WATCHABLE.test(topic) || /(^|\/)\.\.?(\/|\?|$)|[#\s]/.test(topic)) {
      throw validation(
        `topic: ${JSON.stringify(topic.slice(0, 200))} is not watchable: give a path under /api/orchestration/, /api/console/events or /api/console/instances/progress`,
      );
    }
  }
  return topics;
}

/**
 * `GET /api/console/live?topic=…&topic=…`: one server-sent-events stream per tab. Each `topic`
 * event carries a watched read's latest answer (`{ topic, status, body }`); a reconnect with
 * `Last-Event-ID` resumes (see LiveHub). The first event, `ready`, confirms the topics.
 *
 * A stream opened with a token or a session ends when that token expires: it was checked once, at
 * the start, and must not outlive it. The browser reconnects, is refused (401), and the console
 * asks to sign in again.
 */
export function liveRoutes(hub: LiveHub): Hono {
  const app = new Hono();
  app.get('/live', (c) => {
    const topics = parseTopics(c.req.queries('topic'));
    const since = hub.since(c.req.header('Last-Event-ID') ?? c.req.query('lastEventId'));
    // A reverse proxy must pass each event on at once (nginx buffers responses by default).
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const queue: LiveMessage[] = [];
      let wake: (() => void) | undefined;
      let ended = false;
      const listener: LiveListener = (message) => {
        queue.push(message);
        wake?.();
      };
      listener.end = () => {
        ended = true;
        wake?.();
      };
      const unsubscribe = hub.subscribe(topics, listener, since);
      const expiresAt = requestPrincipal(c).expiresAt;
      // setTimeout's longest delay is 2^31 - 1 ms (~24.8 days; tokens live at most 30 days).
      const expiry = expiresAt === undefined ? undefined : setTimeout(() => listener.end?.(), Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1));
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        // `retry`: how soon the browser reconnects after the stream drops.
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ topics, boot: hub.boot }), retry: 1000 });
        while (!ended && !stream.aborted && !stream.closed) {
          while (queue.length > 0) {
            const message = queue.shift()!;
            await stream.writeSSE({ event: 'topic', id: message.id, data: message.data });
          }
          // Checked and armed in one synchronous step: a message pushed in between cannot be missed.
          const woken =
            queue.length > 0 ||
            ended ||
            stream.aborted ||
            (await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(false), KEEP_ALIVE_MS);
              wake = () => {
                clearTimeout(timer);
                resolve(true);
              };
            }));
          wake = undefined;
          if (!woken && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        clearTimeout(expiry);
        unsubscribe();
      }
    });
  });
  return app;
}
