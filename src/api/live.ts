/**
 * Live updates: one server-sent-events stream per tab (`GET /api/console/live`) carrying every
 * topic the open views watch. A live query names its topic in `meta.live` (the GET path the
 * server re-reads for it; see `liveQuery`); while the stream is up and carries that topic, the
 * query stops polling and takes each pushed answer. When the stream cannot be kept (a proxy
 * that buffers, the server gone), queries poll again as before: nothing is missed, and a
 * reconnect resumes with `Last-Event-ID` (the server re-sends what changed meanwhile).
 */
import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';
import { parseJsonLossless } from '../lib/json';

export interface LiveMeta {
  /** the GET path (with its query string) whose answers update this query */
  topic: string;
  /** the query's data from a 2xx answer's body; without it, an answer only triggers a refetch */
  select?: (body: unknown) => unknown;
}

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: { live?: LiveMeta };
  }
}

type AnyQuery = Query<unknown, Error, unknown, QueryKey>;

/** The most topics one stream carries (the server's limit, and a URL that stays short); the rest poll. */
const MAX_TOPICS = 40;
const MAX_QUERY_LENGTH = 6000;

class LiveStream {
  private source: EventSource | undefined;
  /** the stream being replaced: kept until its successor is ready, so no update falls in between */
  private previous: EventSource | undefined;
  private topics = '';
  /** topics the open stream carries (confirmed by its `ready` event) */
  private carried = new Set<string>();
  private failures = 0;
  /** after a refused stream: not before this time (ms since epoch) */
  private retryAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;
  private client: QueryClient | undefined;

  attach(client: QueryClient): () => void {
    if (typeof EventSource === 'undefined') return () => {};
    this.detach();
    this.client = client;
    this.unsubscribe = client.getQueryCache().subscribe((event) => {
      if (event.type === 'observerAdded' || event.type === 'observerRemoved' || event.type === 'observerOptionsUpdated' || event.type === 'removed') this.schedule();
    });
    this.schedule();
    return () => this.detach();
  }

  /** Whether pushed answers keep this topic fresh now (its query need not poll). */
  carries(topic: string): boolean {
    return this.carried.has(topic);
  }

  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.timer);
    this.close();
    this.client = undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sync(), 30);
  }

  /**
   * Queries an open view watches live, with their topic. Read from the observers' own options:
   * the query's `meta` is whichever observer set it last, and a view that reads the same query
   * once (no live wish) must not stop another from watching it.
   */
  private watched(topic?: string): { query: AnyQuery; live: LiveMeta }[] {
    const found: { query: AnyQuery; live: LiveMeta }[] = [];
    for (const query of this.client?.getQueryCache().getAll() ?? []) {
      const live = query.observers.map((o) => o.options.meta?.live).find((m) => m !== undefined);
      if (live && (topic === undefined || live.topic === topic)) found.push({ query, live });
    }
    return found;
  }

  /** Opens, reopens or closes the stream to carry the topics open views watch (up to MAX_TOPICS). */
  private sync(): void {
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.sync(), wait);
      return;
    }
    const wanted = this.pick([...new Set(this.watched().map((w) => w.live.topic))]);
    const key = wanted.join('\n');
    if (key === this.topics && this.source) return;
    this.topics = key;
    this.previous?.close();
    this.previous = this.source;
    this.source = undefined;
    if (wanted.length === 0) {
      this.previous?.close();
      this.previous = undefined;
      return this.setCarried([]);
    }
    const source = new EventSource(`/api/console/live?${wanted.map((t) => `topic=${encodeURIComponent(t)}`).join('&')}`);
    this.source = source;
    source.addEventListener('ready', () => {
      if (this.source !== source) return;
      this.failures = 0;
      this.previous?.close();
      this.previous = undefined;
      this.setCarried(wanted);
    });
    source.addEventListener('topic', (event) => {
      if (this.source === source || this.previous === source) this.receive((event as MessageEvent<string>).data);
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      // The browser retries by itself (the server's `retry`, resuming from the last id); meanwhile
      // the views poll. A stream refused outright (CLOSED) is opened again later, backing off.
      this.setCarried([]);
      this.failures++;
      if (source.readyState === EventSource.CLOSED) {
        this.close();
        this.retryAt = Date.now() + Math.min(30_000, 1000 * this.failures);
        this.schedule();
      }
    });
  }

  /** The topics one stream carries: lists and events first (one topic serves many rows), then the rest. */
  private pick(topics: string[]): string[] {
    const rank = (t: string) => (t.includes('?') ? 0 : 1);
    const picked: string[] = [];
    let length = 0;
    for (const topic of topics.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) {
      const cost = encodeURIComponent(topic).length + 7;
      if (picked.length >= MAX_TOPICS || length + cost > MAX_QUERY_LENGTH) break;
      picked.push(topic);
      length += cost;
    }
    return picked.sort();
  }

  private close(): void {
    this.source?.close();
    this.source = undefined;
    this.previous?.close();
    this.previous = undefined;
    this.topics = '';
    this.setCarried([]);
  }

  /** Which topics are carried changed: live queries re-evaluate whether to poll. */
  private setCarried(topics: string[]): void {
    const before = this.carried;
    this.carried = new Set(topics);
    // Visible to tests and to anyone inspecting the page: how the open views stay fresh.
    if (typeof document !== 'undefined') document.documentElement.dataset.live = topics.length ? 'streaming' : 'polling';
    const changed = new Set([...topics.filter((t) => !before.has(t)), ...[...before].filter((t) => !this.carried.has(t))]);
    for (const topic of changed) {
      for (const { query } of this.watched(topic)) {
        // Re-reads the query's refetchInterval: polling starts or stops with the stream. Losing
        // the stream refetches at once, so a change missed while it was down shows now.
        if (!this.carried.has(topic)) void query.fetch().catch(() => undefined);
        else for (const observer of query.observers) observer.setOptions(observer.options);
      }
    }
  }

  private receive(data: string): void {
    let message: { topic: string; status: number; body: unknown };
    try {
      message = parseJsonLossless(data) as typeof message;
    } catch {
      return;
    }
    for (const { query, live } of this.watched(message.topic)) {
      const select = live.select;
      if (message.status >= 200 && message.status < 300 && select) {
        this.client!.setQueryData(query.queryKey, select(message.body));
      } else {
        // An answer the query turns into data itself (pages, errors): it refetches.
        void this.client!.invalidateQueries({ queryKey: query.queryKey, exact: true });
      }
    }
  }
}

export const liveStream = new LiveStream();

/**
 * The options a live query adds: while `every` is set it is watched through the stream (topic
 * `topic`), polling every `every` ms only while the stream does not carry it.
 */
export function liveOptions(topic: string, every: number | false | undefined, select?: (body: unknown) => unknown) {
  if (!every) return { refetchInterval: false as const };
  return {
    meta: { live: { topic, select } },
    refetchInterval: () => (liveStream.carries(topic) ? false : every),
  };
}
