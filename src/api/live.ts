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

/** Streams that failed this many times in a row give way to polling until the page reloads. */
const MAX_FAILURES = 5;

class LiveStream {
  private source: EventSource | undefined;
  private topics = '';
  /** topics the open stream carries (confirmed by its `ready` event) */
  private carried = new Set<string>();
  private failures = 0;
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

  private watchedQueries(topic?: string): AnyQuery[] {
    return (this.client?.getQueryCache().getAll() ?? []).filter((q) => q.getObserversCount() > 0 && q.meta?.live && (topic === undefined || q.meta.live.topic === topic));
  }

  /** Opens, reopens or closes the stream to carry exactly the topics open views watch. */
  private sync(): void {
    const wanted = [...new Set(this.watchedQueries().map((q) => q.meta!.live!.topic))].sort();
    const key = wanted.join('\n');
    if (key === this.topics && this.source) return;
    // Reopened with the new set: topics stay marked as carried until the new stream is ready
    // (it starts with the latest answer of each, so nothing falls between the two streams).
    this.source?.close();
    this.source = undefined;
    this.topics = key;
    if (wanted.length === 0 || this.failures >= MAX_FAILURES) return this.setCarried([]);
    const query = wanted.map((t) => `topic=${encodeURIComponent(t)}`).join('&');
    const source = new EventSource(`/api/console/live?${query}`);
    this.source = source;
    source.addEventListener('ready', () => {
      if (this.source !== source) return;
      this.failures = 0;
      this.setCarried(wanted);
    });
    source.addEventListener('topic', (event) => {
      if (this.source === source) this.receive((event as MessageEvent<string>).data);
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      // The browser retries by itself (the server's `retry`, resuming from the last id); meanwhile
      // the views poll. A stream refused outright (CLOSED) is opened again a little later.
      this.setCarried([]);
      this.failures++;
      if (source.readyState === EventSource.CLOSED || this.failures >= MAX_FAILURES) {
        this.close();
        if (this.failures < MAX_FAILURES) this.timer = setTimeout(() => this.sync(), 1000 * this.failures);
      }
    });
  }

  private close(): void {
    this.source?.close();
    this.source = undefined;
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
      for (const query of this.watchedQueries(topic)) {
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
    for (const query of this.watchedQueries(message.topic)) {
      const select = query.meta!.live!.select;
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
