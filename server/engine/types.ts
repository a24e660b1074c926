import type { StageServices } from '../sandbox/services.js';
import type { Queryable } from '../store/db.js';

/**
 * Thrown (never caught by runners) to park a stage until `runAt`, or until the event
 * `waitingEvent`. `retrying`: parked because an activity failed and is retried at `runAt`.
 */
export class StageSuspended {
  constructor(
    readonly runAt: Date | null,
    readonly waitingEvent?: string,
    readonly retrying = false,
  ) {}
}

/**
 * An activity failure. `retryable` ones are retried with back-off (1 s doubling to 100 s,
 * unlimited, as upstream); the others fail the stage with `message`.
 */
export class ActivityError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string,
    /** the service's own error (a dry-run reads an INSUFFICIENT_FUND's numbers from it) */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** A failure of the stage logic itself (not retried): the stage and the instance fail with it. */
export class StageError extends Error {}

export interface StageContext<Input = any> {
  readonly instanceId: string;
  readonly workflowId: string;
  readonly stage: number;
  /** when this stage started (durable: timers are computed from it) */
  readonly startedAt: Date;
  readonly variables: Record<string, string>;
  /** The resolved stage config (variables substituted, defaults filled). */
  readonly input: Input;
  /**
   * Runs an activity (a named remote call recorded in stage history), or replays its recorded
   * output when it already completed. `run` receives an idempotency key stable across retries
   * and replays of this call (instance + stage + activity sequence). It returns the activity's
   * output object (recorded as `{[name]: output}`) or undefined for activities without output.
   */
  activity<T = unknown>(name: string, input: unknown, run: (idempotencyKey: string) => Promise<T>): Promise<T>;
  /** Returns once `at` has passed; otherwise parks the stage durably until then. */
  sleepUntil(at: Date): Promise<void>;
  /** Returns once an event named `name` was delivered to this stage; otherwise parks it. */
  waitEvent(name: string): Promise<void>;
  /** Services stages act on (the embedded sandbox). */
  readonly deps: EngineDeps;
}

/** What stage runners may use besides their context. */
export interface EngineDeps {
  db: Queryable;
  /** the ledger, wallets and payments stages act on: the embedded sandbox, or a dry-run's overlay (absent: such stages fail) */
  sandbox?: StageServices;
}

export interface StageRunner<Input = any> {
  run(ctx: StageContext<Input>): Promise<void>;
}
