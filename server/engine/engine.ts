import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { notFound, validation } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { historyInput, resolveStage, type ResolvedStage } from '../flows/stages/index.js';
import type { Db, Queryable } from '../store/db.js';
import { json } from '../store/db.js';
import { ActivityRecorder } from './activity.js';
import { stageRunners } from './stages/index.js';
import { ActivityError, StageError, StageSuspended, type EngineDeps, type StageContext } from './types.js';

export interface EngineOptions {
  /** tasks processed at once by this process */
  concurrency?: number;
  /** how long a claimed task stays ours without a heartbeat */
  leaseMs?: number;
  /** longest sleep of the loop between checks for due tasks (other processes may add work) */
  pollMs?: number;
}

interface InstanceRow {
  id: string;
  workflow_id: string;
  variables: Record<string, string>;
  terminated: boolean;
  current_stage: number;
  config: { stages: Record<string, unknown>[] };
}

const CANCELED = 'canceled';

/**
 * Durable executor. All state lives in the database: instances, stage rows, activity rows and
 * one task row per instance that has something to do (`run_at`). Workers claim due tasks with a
 * lease; a crash loses nothing because a restart reclaims expired (or, on PGlite, all) leases and
 * re-runs the current stage, replaying the activities it already completed.
 */
export class Engine {
  private readonly owner = randomUUID();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly terminated = new EventEmitter();
  private running = false;
  private inFlight = new Map<string, Promise<void>>();
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly deps: EngineDeps,
    opts: EngineOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 16;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.terminated.setMaxListeners(0);
  }

  async start(): Promise<void> {
    // PGlite is owned by this one process: leases left by a crashed run are stale now.
    if (this.db.kind === 'pglite') await this.db.query(`update tasks set lease_owner = null, lease_until = null`);
    this.running = true;
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(1000, this.leaseMs / 3));
    this.heartbeat.unref();
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets in-flight steps finish (bounded), releases leases. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.race([Promise.allSettled(this.inFlight.values()), new Promise((r) => setTimeout(r, timeoutMs))]);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.db.query(`update tasks set lease_owner = null, lease_until = null where lease_owner = $1`, [this.owner]).catch(() => {});
  }

  wake(): void {
    this.wakeUp?.();
  }

  /** Resolves when the instance is terminated, or after `timeoutMs`. */
  async waitForTermination(id: string, timeoutMs: number): Promise<void> {
    const isDone = async () => (await this.db.query(`select terminated from instances where id = $1`, [id]))[0]?.terminated === true;
    if (await isDone()) return;
    await new Promise<void>((resolve) => {
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.terminated.off(id, finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      // Another process sharing PostgreSQL may finish it: poll as well.
      const poll = setInterval(() => void isDone().then((d) => d && finish(), () => {}), 500);
      this.terminated.on(id, finish);
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const free = this.concurrency - this.inFlight.size;
      let claimed: string[] = [];
      if (free > 0) {
        try {
          claimed = await this.claim(free);
        } catch (err) {
          if (this.running) console.error('engine: claiming tasks failed:', (err as Error).message);
        }
      }
      for (const id of claimed) {
        const p = this.process(id)
          .catch((err) => console.error(`engine: instance ${id}:`, err))
          .finally(() => {
            this.inFlight.delete(id);
            this.wake();
          });
        this.inFlight.set(id, p);
      }
      if (claimed.length > 0 && this.inFlight.size < this.concurrency) continue;
      await this.sleep(await this.nextDueIn());
    }
  }

  private async nextDueIn(): Promise<number> {
    if (this.inFlight.size >= this.concurrency) return this.pollMs;
    try {
      const [row] = await this.db.query<{ run_at: Date }>(
        `select min(run_at) as run_at from tasks where lease_until is null or lease_until < $1`,
        [new Date()],
      );
      if (!row?.run_at) return this.pollMs;
      return Math.max(0, Math.min(this.pollMs, new Date(row.run_at).getTime() - Date.now()));
    } catch {
      return this.pollMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async claim(limit: number): Promise<string[]> {
    const now = new Date();
    const rows = await this.db.query<{ instance_id: string }>(
      `update tasks set lease_owner = $1, lease_until = $2
       where instance_id in (
         select instance_id from tasks
         where run_at <= $3 and (lease_until is null or lease_until < $3)
         order by run_at limit $4 for update skip locked)
       returning instance_id`,
      [this.owner, new Date(now.getTime() + this.leaseMs), now, limit],
    );
    return rows.map((r) => r.instance_id).filter((id) => !this.inFlight.has(id));
  }

  private async renewLeases(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.db
      .query(`update tasks set lease_until = $2 where lease_owner = $1`, [this.owner, new Date(Date.now() + this.leaseMs)])
      .catch(() => {});
  }

  /** Runs an instance stage after stage until it suspends, fails or terminates. */
  private async process(id: string): Promise<void> {
    const inst = await this.loadInstance(id);
    if (!inst || inst.terminated) {
      await this.db.query(`delete from tasks where instance_id = $1`, [id]);
      return;
    }
    const stages = inst.config.stages ?? [];
    let index: number | null = inst.current_stage;
    if (index >= 0) {
      // Completing a stage and starting the next are one transaction, so a terminated current
      // stage of a running instance is not expected; move on past it all the same.
      const [row] = await this.db.query(`select terminated_at from stages where instance_id = $1 and stage = $2`, [id, index]);
      if (!row || row.terminated_at) index = await this.transition(inst, { complete: null, start: index + 1, stages });
    } else {
      index = await this.transition(inst, { complete: null, start: 0, stages });
    }
    while (index !== null) {
      const outcome = await this.runStage(inst, index, stages[index]);
      if (outcome.kind === 'suspended') {
        await this.suspend(inst, index, outcome.suspension);
        return;
      }
      if (outcome.kind === 'failed') {
        await this.fail(inst, index, outcome.error);
        return;
      }
      const next = await this.transition(inst, { complete: index, start: index + 1, stages });
      if (next === null) return;
      index = next;
      if (!this.running) {
        // Shutting down: leave the started stage to the next claim.
        await this.release(id);
        return;
      }
    }
  }

  private async loadInstance(id: string): Promise<InstanceRow | undefined> {
    const [row] = await this.db.query<InstanceRow>(
      `select i.id, i.workflow_id, i.variables, i.terminated, i.current_stage, w.config
       from instances i join workflows w on w.id = i.workflow_id where i.id = $1`,
      [id],
    );
    return row;
  }

  /**
   * One transaction: complete stage `complete` (if any), then start stage `start` — or terminate
   * the instance successfully when there is none. A stage whose resolution fails is started and
   * failed at once (no history entry), failing the instance. Returns the started stage index, or
   * null when nothing is left to run (terminated, or aborted concurrently).
   */
  private async transition(
    inst: InstanceRow,
    step: { complete: number | null; start: number; stages: Record<string, unknown>[] },
  ): Promise<number | null> {
    const now = new Date();
    const hasNext = step.start < step.stages.length;
    const resolved = hasNext ? resolveStage(step.stages[step.start], inst.variables) : null;
    let result: number | null = null;
    let ended = false;
    await this.db.transaction(async (tx) => {
      if (!(await this.lockRunning(tx, inst.id))) return;
      const ev = (type: string, extra: Record<string, unknown> = {}) =>
        this.bus.publish(tx, { app: 'orchestration', version: 'v2', type, payload: { id: inst.workflow_id, instanceID: inst.id, ...extra }, date: now });
      if (step.complete !== null) {
        await tx.query(`update stages set terminated_at = $3 where instance_id = $1 and stage = $2`, [inst.id, step.complete, now]);
        await ev('SUCCEEDED_WORKFLOW_STAGE', { number: step.complete });
      }
      if (!hasNext || !resolved) {
        await this.terminate(tx, inst, now, undefined);
        ended = true;
        return;
      }
      await ev('STARTED_WORKFLOW_STAGE', { number: step.start });
      if ('error' in resolved) {
        await tx.query(
          `insert into stages (instance_id, stage, started_at, terminated_at, error) values ($1, $2, $3, $3, $4)`,
          [inst.id, step.start, now, resolved.error],
        );
        await tx.query(`update instances set current_stage = $2 where id = $1`, [inst.id, step.start]);
        await ev('FAILED_WORKFLOW_STAGE', { number: step.start, error: resolved.error });
        await this.terminate(tx, inst, now, resolved.error);
        ended = true;
        return;
      }
      await tx.query(
        `insert into stages (instance_id, stage, started_at, run_name, input) values ($1, $2, $3, $4, $5::jsonb)`,
        [inst.id, step.start, now, resolved.runName, json(historyInput(resolved.input))],
      );
      await tx.query(`update instances set current_stage = $2, updated_at = $3 where id = $1`, [inst.id, step.start, now]);
      result = step.start;
    });
    this.bus.notify();
    if (ended) this.terminated.emit(inst.id);
    return result;
  }

  /** Locks the instance row; false when it is gone or already terminated (e.g. aborted). */
  private async lockRunning(tx: Queryable, id: string): Promise<boolean> {
    const [row] = await tx.query(`select terminated from instances where id = $1 for update`, [id]);
    return !!row && !row.terminated;
  }

  private async terminate(tx: Queryable, inst: InstanceRow, now: Date, error: string | undefined) {
    await tx.query(
      `update instances set terminated = true, terminated_at = $2, updated_at = $2, error = $3, waiting_event = null where id = $1`,
      [inst.id, now, error ?? null],
    );
    await tx.query(`delete from tasks where instance_id = $1`, [inst.id]);
    await this.bus.publish(tx, {
      app: 'orchestration',
      version: 'v2',
      type: error === undefined ? 'SUCCEEDED_WORKFLOW' : 'FAILED_WORKFLOW',
      payload: error === undefined ? { id: inst.workflow_id, instanceID: inst.id } : { id: inst.workflow_id, instanceID: inst.id, error },
      date: now,
    });
  }

  private async runStage(
    inst: InstanceRow,
    index: number,
    stage: Record<string, unknown>,
  ): Promise<{ kind: 'done' } | { kind: 'failed'; error: string } | { kind: 'suspended'; suspension: StageSuspended }> {
    const resolved = resolveStage(stage, inst.variables) as ResolvedStage;
    const runner = stageRunners[resolved.kind];
    if (!runner) return { kind: 'failed', error: `no runner for stage kind '${resolved.kind}' in this server` };
    const [row] = await this.db.query(`select started_at, state from stages where instance_id = $1 and stage = $2`, [inst.id, index]);
    const recorder = await ActivityRecorder.load(this.db, inst.id, index);
    const state: Record<string, unknown> = row?.state ?? {};
    const ctx: StageContext = {
      instanceId: inst.id,
      workflowId: inst.workflow_id,
      stage: index,
      startedAt: new Date(row.started_at),
      variables: inst.variables,
      input: resolved.input,
      deps: this.deps,
      activity: (name, input, run) => recorder.run(name, input, run),
      sleepUntil: async (at) => {
        if (Date.now() >= at.getTime()) return;
        throw new StageSuspended(at);
      },
      waitEvent: async (name) => {
        if (state.eventReceived === true) return;
        throw new StageSuspended(null, name);
      },
    };
    try {
      await runner.run(ctx);
      return { kind: 'done' };
    } catch (err) {
      if (err instanceof StageSuspended) return { kind: 'suspended', suspension: err };
      if (err instanceof StageError || err instanceof ActivityError) return { kind: 'failed', error: err.message };
      // A bug in a runner fails the stage with its message (upstream does the same with panics).
      console.error(`engine: stage ${index} of ${inst.id} crashed:`, err);
      return { kind: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async suspend(inst: InstanceRow, index: number, s: StageSuspended): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.lockRunning(tx, inst.id))) return;
      if (s.waitingEvent !== undefined) {
        // An event may have arrived while this step ran: then go on at once instead of parking.
        const [row] = await tx.query(`select state from stages where instance_id = $1 and stage = $2`, [inst.id, index]);
        if (row?.state?.eventReceived === true) {
          await tx.query(`update tasks set run_at = $2, lease_owner = null, lease_until = null where instance_id = $1`, [inst.id, new Date()]);
          return;
        }
        await tx.query(`update instances set waiting_event = $2 where id = $1`, [inst.id, s.waitingEvent]);
        await tx.query(`delete from tasks where instance_id = $1`, [inst.id]);
        return;
      }
      await tx.query(
        `insert into tasks (instance_id, run_at) values ($1, $2)
         on conflict (instance_id) do update set run_at = excluded.run_at, lease_owner = null, lease_until = null`,
        [inst.id, s.runAt],
      );
    });
    this.wake();
  }

  private async release(id: string): Promise<void> {
    await this.db.query(`update tasks set lease_owner = null, lease_until = null where instance_id = $1 and lease_owner = $2`, [id, this.owner]);
  }

  private async fail(inst: InstanceRow, index: number, error: string): Promise<void> {
    const now = new Date();
    let ended = false;
    await this.db.transaction(async (tx) => {
      if (!(await this.lockRunning(tx, inst.id))) return;
      await tx.query(`update stages set terminated_at = $3, error = $4 where instance_id = $1 and stage = $2`, [inst.id, index, now, error]);
      await this.bus.publish(tx, {
        app: 'orchestration',
        version: 'v2',
        type: 'FAILED_WORKFLOW_STAGE',
        payload: { id: inst.workflow_id, instanceID: inst.id, number: index, error },
        date: now,
      });
      await this.terminate(tx, inst, now, error);
      ended = true;
    });
    this.bus.notify();
    if (ended) this.terminated.emit(inst.id);
  }

  /**
   * Abort: stops the instance at once, also while delayed, waiting for an event or retrying.
   * The current stage and the instance end with error `canceled` (fact sheet §5.11).
   */
  async abort(id: string): Promise<void> {
    const now = new Date();
    await this.db.transaction(async (tx) => {
      const [inst] = await tx.query(`select workflow_id, terminated, current_stage from instances where id = $1 for update`, [id]);
      if (!inst) throw notFound('Instance not found');
      if (inst.terminated) throw validation('instance already terminated: only running instances can be aborted');
      const payload = { id: inst.workflow_id, instanceID: id };
      if (inst.current_stage >= 0) {
        const stageRows = await tx.query(
          `update stages set terminated_at = $3, error = $4 where instance_id = $1 and stage = $2 and terminated_at is null returning stage`,
          [id, inst.current_stage, now, CANCELED],
        );
        await tx.query(
          `update activities set terminated = true, terminated_at = $3, error = 'cancelled', next_execution = null
           where instance_id = $1 and stage = $2 and not terminated`,
          [id, inst.current_stage, now],
        );
        if (stageRows.length) {
          await this.bus.publish(tx, { app: 'orchestration', version: 'v2', type: 'FAILED_WORKFLOW_STAGE', payload: { ...payload, number: inst.current_stage, error: CANCELED }, date: now });
        }
      }
      await this.terminate(tx, { id, workflow_id: inst.workflow_id } as InstanceRow, now, CANCELED);
    });
    this.bus.notify();
    this.terminated.emit(id);
  }
}
