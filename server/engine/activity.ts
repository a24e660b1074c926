import type { Db } from '../store/db.js';
import { json } from '../store/db.js';
import { ActivityError, StageError, StageSuspended } from './types.js';

interface ActivityRow {
  seq: number;
  name: string;
  output: unknown;
  error: string | null;
  terminated: boolean;
  attempt: number;
  started_at: Date;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 100_000;

/** Retry back-off of upstream: 1 s doubling up to 100 s, unlimited attempts. */
export function retryDelayMs(failedAttempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(failedAttempt - 1, 20));
}

/**
 * Records the activities of one stage execution and replays completed ones, so re-running a
 * stage after a crash or a retry wait never repeats an effect: completed calls return their
 * recorded output; a call in progress is retried with the same idempotency key.
 */
export class ActivityRecorder {
  private next = 0;

  private constructor(
    private readonly db: Db,
    private readonly instanceId: string,
    private readonly stage: number,
    private readonly rows: Map<number, ActivityRow>,
  ) {}

  /** For a stage that was just started: nothing recorded yet, so nothing to read. */
  static empty(db: Db, instanceId: string, stage: number): ActivityRecorder {
    return new ActivityRecorder(db, instanceId, stage, new Map());
  }

  static async load(db: Db, instanceId: string, stage: number): Promise<ActivityRecorder> {
    const rows = await db.query<ActivityRow>(`select seq, name, output, error, terminated, attempt, started_at from activities where instance_id = $1 and stage = $2`, [
      instanceId,
      stage,
    ]);
    return new ActivityRecorder(db, instanceId, stage, new Map(rows.map((r) => [r.seq, r])));
  }

  async run<T>(name: string, input: unknown, execute: (idempotencyKey: string) => Promise<T>): Promise<T> {
    const seq = this.next++;
    const previous = this.rows.get(seq);
    if (previous?.terminated) {
      if (previous.error !== null) throw new StageError(previous.error);
      return previous.output as T;
    }
    const attempt = previous?.attempt ?? 1;
    const startedAt = previous?.started_at ?? new Date();
    const key = `${this.instanceId}-${this.stage}-${seq}`;
    let output: T;
    try {
      output = await execute(key);
    } catch (err) {
      const retryable = err instanceof ActivityError ? err.retryable : false;
      const message = err instanceof Error ? err.message : String(err);
      if (retryable) {
        const nextExecution = new Date(Date.now() + retryDelayMs(attempt));
        await this.save({ seq, name, input, startedAt, attempt: attempt + 1, lastFailure: message, nextExecution });
        throw new StageSuspended(nextExecution, undefined, true);
      }
      await this.save({ seq, name, input, startedAt, attempt, error: message, terminatedAt: new Date() });
      throw err instanceof ActivityError || err instanceof StageError ? err : new StageError(message);
    }
    await this.save({ seq, name, input, startedAt, attempt, output, terminatedAt: new Date() });
    return output;
  }

  private async save(a: {
    seq: number;
    name: string;
    input: unknown;
    startedAt: Date;
    attempt: number;
    output?: unknown;
    error?: string;
    terminatedAt?: Date;
    lastFailure?: string;
    nextExecution?: Date;
  }) {
    await this.db.query(
      `insert into activities (instance_id, stage, seq, name, input, output, error, terminated, started_at, terminated_at, attempt, last_failure, next_execution)
       values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, $12, $13)
       on conflict (instance_id, stage, seq) do update set
         output = excluded.output, error = excluded.error, terminated = excluded.terminated,
         terminated_at = excluded.terminated_at, attempt = excluded.attempt,
         last_failure = excluded.last_failure, next_execution = excluded.next_execution`,
      [
        this.instanceId,
        this.stage,
        a.seq,
        a.name,
        json(a.input ?? {}),
        a.output === undefined || a.output === null ? null : json(a.output),
        a.error ?? null,
        a.terminatedAt !== undefined,
        a.startedAt,
        a.terminatedAt ?? null,
        a.attempt,
        a.lastFailure ?? null,
        a.nextExecution ?? null,
      ],
    );
  }
}
