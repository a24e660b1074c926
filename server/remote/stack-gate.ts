/**
 * Remote mode: at most `maxInFlight` calls to the stack at once, at most `maxQueued` more waiting
 * for a slot (each for at most `maxWaitMs`). A slow stack then holds a bounded number of the
 * console server's sockets and memory, and a browser that keeps asking gets a prompt 503 instead
 * of a request that hangs behind hundreds of others.
 */

/** Longest wait for one answer of the stack (FORMANCE_TIMEOUT_MS). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** FORMANCE_MAX_CALLS calls in flight; four times as many may wait, each at most the time-out. */
export const DEFAULT_GATE = { maxInFlight: 16, maxQueued: 64, maxWaitMs: DEFAULT_TIMEOUT_MS };

export interface StackGateOptions {
  maxInFlight: number;
  maxQueued: number;
  /** longest a call waits for a slot */
  maxWaitMs: number;
}

/** The gate refused a call: the stack is already busy with the console's other calls. */
export class StackBusyError extends Error {
  constructor(
    message: string,
    readonly inFlight: number,
    readonly queued: number,
  ) {
    super(message);
  }
}

interface Waiter {
  grant: () => void;
  refuse: (err: Error) => void;
}

export class StackGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  /** highest number of calls in flight at once (reported by tests and the bench) */
  peakInFlight = 0;

  constructor(private readonly opts: StackGateOptions) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `call` once a slot is free; `signal` (the browser went away) takes it out of the queue. */
  async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await call();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.running < this.opts.maxInFlight) {
      this.take();
      return Promise.resolve();
    }
    if (this.waiting.length >= this.opts.maxQueued) {
      return Promise.reject(
        new StackBusyError(
          `the console already has ${this.running} calls in flight to the stack and ${this.waiting.length} waiting (the stack is slow or not answering)`,
          this.running,
          this.waiting.length,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          this.take();
          resolve();
        },
        refuse: (err) => {
          leave();
          reject(err);
        },
      };
      const onAbort = () => waiter.refuse(new DOMException('the client went away', 'AbortError'));
      const timer = setTimeout(
        () =>
          waiter.refuse(
            new StackBusyError(
              `waited ${Math.round(this.opts.maxWaitMs / 1000)} s for one of the ${this.opts.maxInFlight} calls in flight to the stack to end (the stack is slow or not answering)`,
              this.running,
              this.waiting.length,
            ),
          ),
        this.opts.maxWaitMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private take() {
    this.running++;
    this.peakInFlight = Math.max(this.peakInFlight, this.running);
  }

  private release() {
    this.running--;
    this.waiting[0]?.grant();
  }
}
