import { randomUUID } from 'node:crypto';

/** What a topic's read answered: the HTTP status and the body as text (compared as is). */
export interface TopicRead {
  status: number;
  text: string;
}

/** One pushed update: the topic's latest answer, with the id a reconnecting stream resumes from. */
export interface LiveMessage {
  id: string;
  topic: string;
  status: number;
  /** the answer's body as read: passed on untouched (amounts beyond 2^53 stay exact) */
  text: string;
  /** the SSE `data` line sent for it (`{ topic, status, body }`), made once per change for every viewer */
  data: string;
}

export interface LiveListener {
  (message: LiveMessage): void;
  /** called when the hub closes (the server shuts down) */
  end?: () => void;
}

interface TopicState {
  listeners: Set<LiveListener>;
  /** the last answer, once read */
  last?: TopicRead;
  /** its SSE data line */
  data?: string;
  /** the hub's sequence number when the answer last changed (0: never read) */
  version: number;
  reading: boolean;
  /** a change was signalled while it was being read: read it again once that read ends */
  again: boolean;
  /** a change was signalled: read it at the next nudged read (see `changed`) */
  dirty: boolean;
}

/**
 * Nudged reads start at most this often. A burst of commits (a group commit ends the stages of
 * every instance in flight at once) then costs one read per watched topic, not one per commit;
 * an isolated commit is read at once.
 */
const NUDGE_GAP_MS = 20;

/** 0 for an instance itself (`…/instances/<id>`), 1 for anything else. */
const pageFirst = (topic: string) => (/\/instances\/[^/?]+$/.test(topic) ? 0 : 1);

/** The instance a topic is about (`…/instances/<id>` or `…/instances/<id>/…`), if any. */
const INSTANCE_PATH = /\/instances\/([^/?]+)/;

/**
 * Live updates for every open tab, read once per watched topic and fanned out.
 *
 * A topic is a GET path of the console's API (an instance, its history, a list, the events). The
 * hub reads each watched topic once per interval through the server's own API (embedded: the
 * local service; remote: the proxy, so the stack sees one read per topic whatever the number of
 * viewers) and pushes the answer to every subscriber when it changed. Ids are `<boot>-<sequence>`:
 * a stream that reconnects with its last id gets exactly the topics that changed since, and after a
 * restart of the server (another boot) it gets them all — an update is never lost, at worst repeated.
 */
export class LiveHub {
  readonly boot = randomUUID().slice(0, 8);
  private readonly topics = new Map<string, TopicState>();
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private nudge: NodeJS.Timeout | undefined;
  private nudgeQueued = false;
  private lastNudge = 0;
  private closed = false;

  constructor(
    private readonly read: (topic: string) => Promise<TopicRead>,
    private readonly intervalMs: number,
  ) {}

  /**
   * Watches `topics` for `listener`. Topics already read are sent at once unless unchanged since
   * `since` (a sequence number of this boot); new ones are read at once. Returns the unsubscribe.
   */
  subscribe(topics: readonly string[], listener: LiveListener, since = 0): () => void {
    if (this.closed) {
      listener.end?.();
      return () => {};
    }
    for (const topic of topics) {
      let state = this.topics.get(topic);
      if (!state) {
        state = { listeners: new Set(), version: 0, reading: false, again: false, dirty: false };
        this.topics.set(topic, state);
      }
      state.listeners.add(listener);
      if (state.last && state.version > since) listener(this.message(topic, state));
      if (!state.last) void this.readTopic(topic, state);
    }
    this.arm();
    return () => {
      for (const topic of topics) {
        const state = this.topics.get(topic);
        if (!state) continue;
        state.listeners.delete(listener);
        if (state.listeners.size === 0) this.topics.delete(topic);
      }
    };
  }

  /**
   * Something was committed that watched topics may show, and those are read now instead of at
   * the next round (embedded mode). With `instanceId` (the engine changed that instance): its
   * topics (page, history, stages, progress) and those not about one instance (lists, events).
   * Without (a platform event was published): only those not about one instance. The rounds go
   * on regardless: they catch whatever no one signals (remote mode, activities within a stage).
   */
  changed(instanceId?: string): void {
    if (this.closed || this.topics.size === 0) return;
    let any = false;
    for (const [topic, state] of this.topics) {
      if (INSTANCE_PATH.test(topic) && (instanceId === undefined || !topic.includes(instanceId))) continue;
      state.dirty = true;
      any = true;
    }
    if (!any || this.nudge || this.nudgeQueued) return;
    const wait = this.lastNudge + NUDGE_GAP_MS - Date.now();
    if (wait <= 0) {
      // Before any timer or I/O: the read queues on the database ahead of the engine's next step.
      this.nudgeQueued = true;
      queueMicrotask(() => this.readDirty());
      return;
    }
    this.nudge = setTimeout(() => this.readDirty(), wait);
    this.nudge.unref();
  }

  /** The sequence number a `Last-Event-ID` stands for in this boot (0 when from another boot or malformed). */
  since(lastEventId: string | undefined): number {
    const match = /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastEventId ?? '');
    if (!match || match[1] !== this.boot) return 0;
    const n = Number(match[2]);
    return n <= this.sequence ? n : 0;
  }

  /** Topics watched now (for tests and the health view). */
  watched(): string[] {
    return [...this.topics.keys()];
  }

  /** Stops reading and ends every subscriber (their streams close). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.nudge);
    const listeners = new Set([...this.topics.values()].flatMap((state) => [...state.listeners]));
    this.topics.clear();
    for (const listener of listeners) listener.end?.();
  }

  // One timer for all topics, re-armed after a round ends, so slow reads never pile up.
  private arm(): void {
    if (this.timer || this.closed || this.topics.size === 0) return;
    this.timer = setTimeout(() => {
      void this.round().finally(() => {
        this.timer = undefined;
        this.arm();
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const due = [...this.topics.entries()];
    // A few reads at a time: enough for many topics per interval, gentle on the stack.
    for (let i = 0; i < due.length; i += 8) {
      await Promise.all(due.slice(i, i + 8).map(([topic, state]) => this.readTopic(topic, state)));
    }
  }

  private readDirty(): void {
    this.nudge = undefined;
    this.nudgeQueued = false;
    if (this.closed) return;
    this.lastNudge = Date.now();
    const due = [...this.topics.entries()].filter(([, state]) => state.dirty);
    for (const [, state] of due) state.dirty = false;
    // An instance's own page first: its reads would otherwise queue behind the others' on the
    // database (PGlite runs one query at a time), and it is what an open page shows first.
    due.sort(([a], [b]) => pageFirst(a) - pageFirst(b));
    void (async () => {
      const first = due[0];
      if (due.length > 1 && first && pageFirst(first[0]) === 0) {
        due.shift();
        await this.readTopic(first[0], first[1], true);
      }
      for (let i = 0; i < due.length; i += 8) {
        await Promise.all(due.slice(i, i + 8).map(([topic, state]) => this.readTopic(topic, state, true)));
      }
    })();
  }

  /**
   * Reads a topic and pushes its answer if it changed. A read already under way may have started
   * before the change: a `signalled` read then runs again right after it, never skipped.
   */
  private async readTopic(topic: string, state: TopicState, signalled = false): Promise<void> {
    if (this.closed) return;
    if (state.reading) {
      if (signalled) state.again = true;
      return;
    }
    state.reading = true;
    state.again = false;
    try {
      const answer = await this.read(topic);
      if (state.last && state.last.status === answer.status && state.last.text === answer.text) return;
      state.last = answer;
      state.data = eventData(topic, answer);
      state.version = ++this.sequence;
      if (this.topics.get(topic) !== state) return; // nobody watches it any more
      const message = this.message(topic, state);
      for (const listener of state.listeners) listener(message);
    } catch {
      // The read failed (the stack unreachable, a timeout): keep the last answer; the next round retries.
    } finally {
      state.reading = false;
      if (state.again && this.topics.get(topic) === state) void this.readTopic(topic, state, true);
    }
  }

  private message(topic: string, state: TopicState): LiveMessage {
    const { status, text } = state.last!;
    return { id: `${this.boot}-${state.version}`, topic, status, text, data: state.data! };
  }
}

/** `{ topic, status, body }` with the read's JSON body spliced in as is (never re-encoded: exact numbers). */
function eventData(topic: string, { status, text }: TopicRead): string {
  let json = true;
  try {
    JSON.parse(text);
  } catch {
    json = false;
  }
  // One line: an SSE data field ends at a line break (JSON's whitespace may hold some).
  const body = json ? text.replace(/[\r\n]+/g, ' ') : JSON.stringify(text);
  return `{"topic":${JSON.stringify(topic)},"status":${status},"body":${body}}`;
}
