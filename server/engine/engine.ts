import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { CANCELED } from '../../common/status.js';
import { notFound, validation } from '../errors.js';
import type { EventBus } from '../store/bus.js';
import { historyInput, resolveStage, type ResolvedStage } from '../stages/index.js';
import type { Db, Queryable } from '../store/db.js';
import { json } from '../store/db.js';
import { WakeableSleep } from '../lib/wakeable-sleep.js';
import { errorFields, Logger } from '../lib/log.js';
import { Metrics, type StageOutcome } from '../lib/metrics.js';
import { ActivityRecorder } from './activity.js';
import { stageRunners } from './runners/index.js';
import { InstanceStarts, insertInstances, type InstanceRow as StartedInstanceRow, type InstanceStart } from './starts.js';
import { ActivityError, StageError, StageSuspended, type EngineDeps, type StageContext } from './types.js';

export interface EngineOptions {
  /**
   * instances processed at once by this process (64): their stage transitions share group
   * commits, so more in flight means fewer, larger batches
   */
  concurrency?: number;
  /** how long a claimed task stays ours without a heartbeat */
  leaseMs?: number;
  /** longest sleep of the loop between checks for due tasks (other processes may add work) */
  pollMs?: number;
  /** lifecycle events (info: instances; debug: every stage transition) and errors */
  log?: Logger;
  metrics?: Metrics;
}

/** Tasks in the database, for the queue gauges (see queueStats). */
export interface QueueStats {
  due: number;
  leased: number;
  scheduled: number;
  /** seconds the oldest due, unleased task has waited (0: none) */
  oldestDueSeconds: number;
}

interface InstanceRow {
  id: string;
  workflow_id: string;
  variables: Record<string, string>;
  terminated: boolean;
  current_stage: number;
  config: { stages: Record<string, unknown>[] };
}

/** A step that failed unexpectedly (e.g. its database connection died) is tried again after this. */
const STEP_RETRY_MS = 1_000;
/** Event consumers (triggers) are woken at most this often by engine commits. */
const NOTIFY_COALESCE_MS = 25;

interface ClaimRow {
  task_id: string | null;
  workflow_id: string | null;
  variables: Record<string, string> | null;
  terminated: boolean | null;
  current_stage: number | null;
  config: InstanceRow['config'] | null;
  stage_started_at: Date | null;
  stage_terminated_at: Date | null;
  stage_state: Record<string, unknown> | null;
  next_run_at: Date | null;
}

/** A leased task with what running it needs (undefined: the instance or stage row is missing). */
interface ClaimedTask {
  id: string;
  instance?: InstanceRow;
  stage?: { started_at: Date; terminated_at: Date | null; state: Record<string, unknown> | null };
}

/** Most transitions written by one statement. */
const MAX_BATCH = 128;

/** A stage transition waiting for its group commit (see Engine.commitTransition). */
interface PendingTransition {
  kind: 'advance' | 'end';
  id: string;
  /** advance: the stage to start */
  stage: number | null;
  /** the stage to complete, if any */
  prev: number | null;
  run_name?: string;
  input?: unknown;
  events: { type: string; payload: Record<string, unknown> }[];
  resolve(result: { running: boolean; at: Date }): void;
  reject(err: unknown): void;
}

/** A started, unterminated stage about to run, with the durable fields its runner reads. */
interface StartedStage {
  index: number;
  startedAt: Date;
  state: Record<string, unknown>;
  /** started by this very process() call: no activity can be recorded for it yet */
  fresh: boolean;
}

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
  /** shutdown has begun: waits for termination end at once */
  private releasing = false;
  private inFlight = new Map<string, Promise<void>>();
  private readonly sleeper = new WakeableSleep();
  /** set by wake(): new work may be due, claim before sleeping */
  private wakePending = false;
  private notifyTimer: NodeJS.Timeout | null = null;
  /** told at once of each commit that changed an instance (live views re-read it; see onCommitted) */
  private readonly commitListeners = new Set<(instanceId: string) => void>();
  /** transitions waiting for the next group commit, and batches being written */
  private pending: PendingTransition[] = [];
  private flushing = 0;
  private flushScheduled = false;
  private loopDone: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly starts: InstanceStarts;
  private readonly log: Logger;
  private readonly metrics: Metrics;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly deps: EngineDeps,
    opts: EngineOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 64;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.log = opts.log ?? new Logger({ level: 'warn' });
    this.metrics = opts.metrics ?? new Metrics();
    this.terminated.setMaxListeners(0);
    this.starts = new InstanceStarts(db);
  }

  async start(): Promise<void> {
    // PGlite is owned by this one process: leases left by a crashed run are stale now. Only leased
    // rows are written (every task row rewritten made a start with many parked tasks slow).
    if (this.db.kind === 'pglite')
      await this.db.query(`update tasks set lease_owner = null, lease_until = null where lease_owner is not null or lease_until is not null`);
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
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.inFlight.values()), new Promise((r) => (bound = setTimeout(r, timeoutMs)))]);
    // (a pending bound would keep the process alive for timeoutMs after the engine stopped)
    clearTimeout(bound);
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.notifyTimer) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = null;
      this.bus.notify();
    }
    await this.db.query(`update tasks set lease_owner = null, lease_until = null where lease_owner = $1`, [this.owner]).catch(() => {});
  }

  wake(): void {
    this.wakePending = true;
    this.sleeper.wake();
  }

  /**
   * Starts an instance: its row, its first task and STARTED_WORKFLOW, atomically (group commit,
   * see InstanceStarts), then wakes the loop and the event consumers. Resolves once committed,
   * with the row; undefined when the workflow does not exist or is deleted.
   */
  async startInstance(req: InstanceStart): Promise<StartedInstanceRow | undefined> {
    const row = await this.starts.start(req);
    if (!row) return undefined;
    this.metrics.instancesStarted.inc();
    this.log.info('instance started', { instanceId: row.id, workflowId: req.workflowId });
    this.committed(row.id);
    this.wake();
    return row;
  }

  /**
   * The same inside the caller's transaction (a trigger records its occurrence in the same one);
   * the caller calls wake() once it has committed. Undefined when the workflow does not exist or
   * is deleted.
   */
  async startInstanceIn(tx: Queryable, req: InstanceStart): Promise<string | undefined> {
    const [row] = await insertInstances(tx, [req]);
    return row?.id;
  }

  /**
   * Delivers an event to the instance's current stage only (upstream): a wait_event stage
   * waiting for `name` records it (`state.eventReceived`, read back by its runner) and is
   * scheduled at once; any other name, or a stage that is not waiting, drops it. Unknown
   * instance: 404; terminated: 400.
   */
  async deliverEvent(id: string, name: string): Promise<void> {
    const delivered = await this.db.transaction(async (tx) => {
      const [inst] = await tx.query(`select terminated, current_stage from instances where id = $1 for update`, [id]);
      if (!inst) throw notFound('Instance not found');
      if (inst.terminated) throw validation('instance already terminated: events can only be sent to a running instance');
      const [stage] = await tx.query(`select input from stages where instance_id = $1 and stage = $2 and terminated_at is null and run_name = 'RunWaitEvent'`, [
        id,
        inst.current_stage,
      ]);
      if (!stage || stage.input?.event !== name) return false;
      await tx.query(`update stages set state = state || '{"eventReceived": true}'::jsonb where instance_id = $1 and stage = $2`, [id, inst.current_stage]);
      await tx.query(`update instances set waiting_event = null, updated_at = $2 where id = $1`, [id, new Date()]);
      await tx.query(`insert into tasks (instance_id, run_at) values ($1, $2) on conflict (instance_id) do update set run_at = excluded.run_at`, [id, new Date()]);
      return true;
    });
    if (!delivered) return;
    this.committed(id, { publishedEvents: false });
    this.wake();
  }

  /**
   * `listener` is called, synchronously and at once, with the id of each instance a commit just
   * changed (started, a stage started or ended, an event delivered, ended, aborted): the live views re-read
   * what they watch of it now instead of at their next round. Returns the unsubscribe.
   */
  onCommitted(listener: (instanceId: string) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * After a commit that changed `instanceId`: tells the commit listeners, and, when the commit
   * published events (all but an event's delivery), wakes the bus consumers.
   */
  private committed(instanceId: string, { publishedEvents = true } = {}): void {
    for (const listener of this.commitListeners) {
      try {
        listener(instanceId);
      } catch (err) {
        this.log.warn('commit listener failed', { instanceId, error: String(err) });
      }
    }
    if (publishedEvents) this.notifyCommitted();
  }

  /**
   * Call after a commit that published events: wakes the bus consumers (triggers), coalesced so
   * a burst of stage transitions wakes them once per few milliseconds rather than per commit
   * (they read the event log in batches; the events themselves are already durable).
   */
  notifyCommitted(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.bus.notify();
    }, NOTIFY_COALESCE_MS);
    this.notifyTimer.unref();
  }

  /** Shutdown: every waitForTermination returns now (the instances carry on after a restart). */
  releaseWaiters(): void {
    this.releasing = true;
    for (const id of this.terminated.eventNames()) this.terminated.emit(id);
  }

  /** Resolves when the instance is terminated, after `timeoutMs`, or at shutdown (releaseWaiters). */
  async waitForTermination(id: string, timeoutMs: number): Promise<void> {
    const isDone = async () => (await this.db.query(`select terminated from instances where id = $1`, [id]))[0]?.terminated === true;
    if (await isDone()) return;
    if (this.releasing) return;
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
      const poll = setInterval(
        () =>
          void isDone().then(
            (d) => d && finish(),
            () => {},
          ),
        500,
      );
      this.terminated.on(id, finish);
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.wakePending = false;
      const free = this.concurrency - this.inFlight.size;
      let claimed: ClaimedTask[] = [];
      let delay = this.pollMs;
      if (free > 0) {
        try {
          const c = await this.claim(free);
          claimed = c.tasks;
          if (c.nextRunAt) delay = Math.max(0, Math.min(this.pollMs, c.nextRunAt.getTime() - Date.now()));
          // A full batch: more may be due at once.
          if (c.rows >= free) delay = 0;
        } catch (err) {
          if (this.running) this.log.error('engine: claiming tasks failed', errorFields(err));
        }
      }
      for (const task of claimed) {
        const id = task.id;
        const p = this.process(task)
          .catch(async (err) => {
            this.log.error('engine: a step failed; retried shortly', { instanceId: id, ...errorFields(err, true) });
            // Hand the task back, to be tried again shortly. Should that fail too (the database
            // is away), the lease, no longer renewed, runs out instead.
            for (let attempt = 0; attempt < 3; attempt++) {
              const handedBack = await this.db
                .query(`update tasks set lease_owner = null, lease_until = null, run_at = $3 where instance_id = $1 and lease_owner = $2`, [
                  id,
                  this.owner,
                  new Date(Date.now() + STEP_RETRY_MS),
                ])
                .then(
                  () => true,
                  () => false,
                );
              if (handedBack) break;
              await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
            }
          })
          .finally(() => {
            this.inFlight.delete(id);
            this.wake();
          });
        this.inFlight.set(id, p);
      }
      const full = this.inFlight.size >= this.concurrency;
      // Woken while claiming (a new task, a finished instance): claim again rather than sleep.
      if (!full && (delay === 0 || this.wakePending)) continue;
      await this.sleeper.sleep(full ? this.pollMs : delay);
    }
  }

  /**
   * Leases up to `limit` due tasks and returns them with what running them needs (instance,
   * workflow config, current stage row); in the same statement, finds when the next not yet due
   * (unleased) task is due, so the loop knows how long it may sleep. One round trip.
   */
  private async claim(limit: number): Promise<{ tasks: ClaimedTask[]; rows: number; nextRunAt: Date | null }> {
    const now = new Date();
    const rows = await this.db.query<ClaimRow>(
      `with claimed as (
         update tasks set lease_owner = $1, lease_until = $2
         where instance_id in (
           select instance_id from tasks
           where run_at <= $3 and (lease_until is null or lease_until < $3)
           order by run_at limit $4 for update skip locked)
         returning instance_id)
       select c.instance_id as task_id, i.workflow_id, i.variables, i.terminated, i.current_stage, w.config,
              s.started_at as stage_started_at, s.terminated_at as stage_terminated_at, s.state as stage_state,
              null::timestamptz as next_run_at
       from claimed c
       left join instances i on i.id = c.instance_id
       left join workflows w on w.id = i.workflow_id
       left join stages s on s.instance_id = i.id and s.stage = i.current_stage
       union all
       select null, null, null, null, null, null, null, null, null,
              (select min(run_at) from tasks where run_at > $3 and (lease_until is null or lease_until < $3))`,
      [this.owner, new Date(now.getTime() + this.leaseMs), now, limit],
    );
    const tasks: ClaimedTask[] = [];
    let nextRunAt: Date | null = null;
    for (const r of rows) {
      if (r.task_id === null) {
        if (r.next_run_at) nextRunAt = new Date(r.next_run_at);
        continue;
      }
      if (this.inFlight.has(r.task_id)) continue;
      tasks.push({
        id: r.task_id,
        instance:
          r.workflow_id === null
            ? undefined
            : { id: r.task_id, workflow_id: r.workflow_id, variables: r.variables ?? {}, terminated: r.terminated!, current_stage: r.current_stage!, config: r.config! },
        stage: r.stage_started_at === null ? undefined : { started_at: r.stage_started_at, terminated_at: r.stage_terminated_at, state: r.stage_state },
      });
    }
    return { tasks, rows: rows.length - 1, nextRunAt };
  }

  /** Renews the leases of the steps in flight — only those: a step that failed lets its lease run out. */
  private async renewLeases(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.db
      .query(`update tasks set lease_until = $2 where lease_owner = $1 and instance_id = any($3::text[])`, [
        this.owner,
        new Date(Date.now() + this.leaseMs),
        [...this.inFlight.keys()],
      ])
      .catch(() => {});
  }

  /** Runs an instance stage after stage until it suspends, fails or terminates. */
  private async process(task: ClaimedTask): Promise<void> {
    const { id, instance: inst } = task;
    if (!inst || inst.terminated) {
      await this.db.query(`delete from tasks where instance_id = $1`, [id]);
      return;
    }
    const stages = inst.config.stages ?? [];
    let current: StartedStage | null;
    if (inst.current_stage >= 0) {
      // Completing a stage and starting the next are one transaction, so a terminated current
      // stage of a running instance is not expected; move on past it all the same.
      const index = inst.current_stage;
      const row = task.stage;
      if (!row || row.terminated_at) current = await this.transition(inst, { complete: null, start: index + 1, stages });
      else current = { index, startedAt: new Date(row.started_at), state: row.state ?? {}, fresh: false };
    } else {
      current = await this.transition(inst, { complete: null, start: 0, stages });
    }
    while (current !== null) {
      const index = current.index;
      const outcome = await this.runStage(inst, current, stages[index]);
      if (outcome.kind === 'suspended') {
        await this.suspend(inst, index, outcome.suspension);
        return;
      }
      if (outcome.kind === 'failed') {
        await this.fail(inst, index, outcome.error);
        return;
      }
      current = await this.transition(inst, { complete: index, start: index + 1, stages });
      if (current === null) return;
      if (!this.running) {
        // Shutting down: leave the started stage to the next claim.
        await this.release(id);
        return;
      }
    }
  }

  /**
   * One transaction: complete stage `complete` (if any), then start stage `start` — or terminate
   * the instance successfully when there is none. A stage whose resolution fails is started and
   * failed at once (no history entry), failing the instance. Returns the started stage, or null
   * when nothing is left to run (terminated, or aborted concurrently).
   *
   * The hot paths (start the next stage, succeed the instance) are each ONE statement: data-
   * modifying CTEs guarded by the update of the instance row `where not terminated`, which locks
   * it (a concurrent abort waits, or has won and then nothing at all is written). A single
   * statement is atomic and committed on its own, so the durability is that of a transaction,
   * at a third of the round trips.
   */
  private async transition(inst: InstanceRow, step: { complete: number | null; start: number; stages: Record<string, unknown>[] }): Promise<StartedStage | null> {
    const now = new Date();
    const hasNext = step.start < step.stages.length;
    const resolved = hasNext ? resolveStage(step.stages[step.start], inst.variables) : null;
    const payload = (extra: Record<string, unknown> = {}) => ({ id: inst.workflow_id, instanceID: inst.id, ...extra });
    const events: { type: string; payload: Record<string, unknown> }[] = [];
    if (step.complete !== null) events.push({ type: 'SUCCEEDED_WORKFLOW_STAGE', payload: payload({ number: step.complete }) });

    if (!hasNext || !resolved) {
      events.push({ type: 'SUCCEEDED_WORKFLOW', payload: payload() });
      const done = await this.commitTransition({ kind: 'end', id: inst.id, stage: null, prev: step.complete, events });
      this.committed(inst.id);
      if (done.running) {
        this.ended(inst, 'succeeded');
        this.terminated.emit(inst.id);
      }
      return null;
    }

    if ('error' in resolved) {
      let ended = false;
      await this.db.transaction(async (tx) => {
        if (!(await this.markTerminated(tx, inst.id, now, resolved.error, step.start))) return;
        const ev = (type: string, extra: Record<string, unknown> = {}) =>
          this.bus.publish(tx, { app: 'orchestration', version: 'v2', type, payload: payload(extra), date: now });
        if (step.complete !== null) {
          await tx.query(`update stages set terminated_at = $3 where instance_id = $1 and stage = $2`, [inst.id, step.complete, now]);
          await ev('SUCCEEDED_WORKFLOW_STAGE', { number: step.complete });
        }
        await ev('STARTED_WORKFLOW_STAGE', { number: step.start });
        await tx.query(`insert into stages (instance_id, stage, started_at, terminated_at, error) values ($1, $2, $3, $3, $4)`, [
          inst.id,
          step.start,
          now,
          resolved.error,
        ]);
        await ev('FAILED_WORKFLOW_STAGE', { number: step.start, error: resolved.error });
        await this.finishTermination(tx, inst, now, resolved.error);
        ended = true;
      });
      this.committed(inst.id);
      if (ended) {
        this.ended(inst, 'failed', resolved.error);
        this.terminated.emit(inst.id);
      }
      return null;
    }

    events.push({ type: 'STARTED_WORKFLOW_STAGE', payload: payload({ number: step.start }) });
    const done = await this.commitTransition({
      kind: 'advance',
      id: inst.id,
      stage: step.start,
      prev: step.complete,
      run_name: resolved.runName,
      input: historyInput(resolved.input),
      events,
    });
    this.committed(inst.id);
    if (!done.running) return null;
    this.log.debug('stage started', { instanceId: inst.id, stage: step.start, kind: resolved.kind });
    return { index: step.start, startedAt: done.at, state: {}, fresh: true };
  }

  /**
   * Group commit of the hot transitions: a transition waits in `pending` while a batch is being
   * written, then goes with the next batch — one statement for all of them (data-modifying CTEs
   * over a JSON array of transitions; atomic, committed on its own). Each caller resumes only
   * once its own transition is committed, so every stage transition is still durable before the
   * next stage runs; under load a batch carries the transitions of every instance in flight, at
   * the cost of one. One batch at a time on PGlite (one connection), a few on PostgreSQL.
   */
  private commitTransition(t: Omit<PendingTransition, 'resolve' | 'reject'>): Promise<{ running: boolean; at: Date }> {
    return new Promise((resolve, reject) => {
      this.pending.push({ ...t, resolve, reject });
      // Yield to the event loop first: PGlite runs queries synchronously inside promise chains,
      // so without this the engine would starve I/O (new requests, other instances' wake-ups)
      // and every batch would hold a single transition.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flushTransitions();
        });
      }
    });
  }

  private flushTransitions(): void {
    const maxBatches = this.db.kind === 'pglite' ? 1 : 4;
    while (this.flushing < maxBatches && this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      this.flushing++;
      void this.writeBatch(batch).finally(() => {
        this.flushing--;
        this.flushTransitions();
      });
    }
  }

  private async writeBatch(batch: PendingTransition[]): Promise<void> {
    try {
      const { running, at } = await this.writeTransitions(batch);
      for (const t of batch) t.resolve({ running: running.has(t.id), at });
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      // One bad transition must not fail the others: write them one by one.
      for (const t of batch) {
        try {
          const { running, at } = await this.writeTransitions([t]);
          t.resolve({ running: running.has(t.id), at });
        } catch (e) {
          t.reject(e);
        }
      }
    }
  }

  /**
   * Writes transitions in one statement. Each is applied only while its instance is running: the
   * update of the instance row `where not terminated` locks it (a concurrent abort waits, or has
   * won and then nothing at all is written for that instance). `advance`: complete `prev` (if
   * any), start `stage`; `end`: complete `prev` (if any), terminate successfully, drop the task.
   * Events are written in the given order (an ordered subquery feeds the insert, so their seq
   * follow it). Returns the ids of the instances that were running, and the commit date used.
   */
  private async writeTransitions(batch: Omit<PendingTransition, 'resolve' | 'reject'>[]): Promise<{ running: Set<string>; at: Date }> {
    const at = new Date();
    const transitions = batch.map((t) => ({ id: t.id, kind: t.kind, stage: t.stage, prev: t.prev, run_name: t.run_name ?? null, input: t.input ?? null }));
    const events = batch.flatMap((t) => t.events.map((e) => ({ id: t.id, type: e.type, payload: e.payload })));
    const rows = await this.db.query<{ id: string }>(
      `with req as (
         select * from jsonb_to_recordset($2::jsonb) as r(id text, kind text, stage int, prev int, run_name text, input jsonb)),
       inst as (
         update instances i set
           current_stage = coalesce(r.stage, i.current_stage),
           updated_at = $1,
           terminated = r.kind = 'end',
           terminated_at = case when r.kind = 'end' then $1 else i.terminated_at end,
           error = case when r.kind = 'end' then null else i.error end,
           waiting_event = case when r.kind = 'end' then null else i.waiting_event end
         from req r where i.id = r.id and not i.terminated
         returning i.id, r.kind),
       done as (
         update stages s set terminated_at = $1 from req r
         where s.instance_id = r.id and s.stage = r.prev and r.id in (select id from inst)),
       task as (delete from tasks where instance_id in (select id from inst where kind = 'end')),
       ev as (
         insert into events (app, version, type, payload, date, idempotency_key)
         select 'orchestration', 'v2', e.type, e.payload, $1, '' from (
           select e.value->>'type' as type, e.value->'payload' as payload
           from jsonb_array_elements($3::jsonb) with ordinality as e(value, ord)
           where e.value->>'id' in (select id from inst) order by e.ord) e),
       started as (
         insert into stages (instance_id, stage, started_at, run_name, input)
         select r.id, r.stage, $1, r.run_name, r.input from req r where r.kind = 'advance' and r.id in (select id from inst))
       select id from inst`,
      [at, json(transitions), json(events)],
    );
    return { running: new Set(rows.map((r) => r.id)), at };
  }

  /** Locks the instance row; false when it is gone or already terminated (e.g. aborted). */
  private async lockRunning(tx: Queryable, id: string): Promise<boolean> {
    const [row] = await tx.query(`select terminated from instances where id = $1 for update`, [id]);
    return !!row && !row.terminated;
  }

  /**
   * Terminates the instance row if it is still running (locking it); false when it is gone or
   * already terminated. `currentStage`: also record that this stage was started.
   */
  private async markTerminated(tx: Queryable, id: string, now: Date, error: string | undefined, currentStage?: number): Promise<boolean> {
    const rows = await tx.query(
      `update instances set terminated = true, terminated_at = $2, updated_at = $2, error = $3, waiting_event = null,
         current_stage = coalesce($4, current_stage)
       where id = $1 and not terminated returning id`,
      [id, now, error ?? null, currentStage ?? null],
    );
    return rows.length > 0;
  }

  /** The rest of a termination, after markTerminated: no more task, SUCCEEDED/FAILED_WORKFLOW. */
  private async finishTermination(tx: Queryable, inst: Pick<InstanceRow, 'id' | 'workflow_id'>, now: Date, error: string | undefined) {
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
    current: StartedStage,
    stage: Record<string, unknown>,
  ): Promise<{ kind: 'done' } | { kind: 'failed'; error: string } | { kind: 'suspended'; suspension: StageSuspended }> {
    const index = current.index;
    const resolution = resolveStage(stage, inst.variables);
    // A stage stored before today's rules (say, a delay longer than Go allows) now fails to
    // resolve: it fails clearly rather than running with a config its runner cannot use.
    if ('error' in resolution) return { kind: 'failed', error: resolution.error };
    const resolved: ResolvedStage = resolution;
    const runner = stageRunners[resolved.kind];
    if (!runner) return { kind: 'failed', error: `no runner for stage kind '${resolved.kind}' in this server` };
    // A stage started by this process() call has no recorded activities yet: nothing to read.
    const recorder = current.fresh ? ActivityRecorder.empty(this.db, inst.id, index) : await ActivityRecorder.load(this.db, inst.id, index);
    const state = current.state;
    const ctx: StageContext = {
      instanceId: inst.id,
      workflowId: inst.workflow_id,
      stage: index,
      startedAt: current.startedAt,
      variables: inst.variables,
      input: resolved.input,
      deps: this.deps,
      activity: (name, input, run) => recorder.run(name, input, run),
      sleepUntil: async (at) => {
        if (Number.isNaN(at.getTime())) throw new StageError('invalid wake-up time: the delay does not resolve to a date');
        if (Date.now() >= at.getTime()) return;
        throw new StageSuspended(at);
      },
      waitEvent: async (name) => {
        // An event delivered after this stage was read is caught by suspend(), which re-reads.
        if (state.eventReceived === true) return;
        throw new StageSuspended(null, name);
      },
    };
    try {
      await runner.run(ctx);
      this.stageRan(inst.id, index, resolved.kind, 'succeeded');
      return { kind: 'done' };
    } catch (err) {
      if (err instanceof StageSuspended) {
        this.stageRan(inst.id, index, resolved.kind, err.retrying ? 'retrying' : 'suspended');
        return { kind: 'suspended', suspension: err };
      }
      this.stageRan(inst.id, index, resolved.kind, 'failed');
      if (err instanceof StageError || err instanceof ActivityError) return { kind: 'failed', error: err.message };
      // A bug in a runner fails the stage with its message (upstream does the same with panics).
      this.log.error('engine: a stage runner crashed', { instanceId: inst.id, stage: index, kind: resolved.kind, ...errorFields(err, true) });
      return { kind: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** One execution of a stage's runner: counted by kind and outcome, logged at debug (a retry at warn). */
  private stageRan(instanceId: string, stage: number, kind: string, outcome: StageOutcome): void {
    this.metrics.stageExecutions.inc({ kind: kind in stageRunners ? kind : 'unknown', outcome });
    if (outcome === 'retrying') this.log.warn('stage retrying: an activity failed', { instanceId, stage, kind });
    else this.log.debug(`stage ${outcome === 'suspended' ? 'parked' : outcome}`, { instanceId, stage, kind });
  }

  /** An instance ended in this process. */
  private ended(inst: Pick<InstanceRow, 'id' | 'workflow_id'>, status: 'succeeded' | 'failed' | 'canceled', error?: string): void {
    this.metrics.instancesFinished.inc({ status });
    const fields = { instanceId: inst.id, workflowId: inst.workflow_id, error };
    if (status === 'failed') this.log.warn('instance failed', fields);
    else this.log.info(`instance ${status}`, fields);
  }

  /** Claiming and running tasks (between start() and stop()). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Instances this process is running a step of. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** The task queue as the database holds it (shared by every process on the same PostgreSQL). */
  async queueStats(): Promise<QueueStats> {
    const now = new Date();
    const [r] = await this.db.query<{ due: number; leased: number; scheduled: number; oldest: Date | null }>(
      `select count(*) filter (where run_at <= $1 and (lease_until is null or lease_until < $1))::int as due,
              count(*) filter (where lease_until >= $1)::int as leased,
              count(*) filter (where run_at > $1 and (lease_until is null or lease_until < $1))::int as scheduled,
              min(run_at) filter (where run_at <= $1 and (lease_until is null or lease_until < $1)) as oldest
       from tasks`,
      [now],
    );
    return { due: r.due, leased: r.leased, scheduled: r.scheduled, oldestDueSeconds: r.oldest ? Math.max(0, (now.getTime() - new Date(r.oldest).getTime()) / 1000) : 0 };
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
      if (!(await this.markTerminated(tx, inst.id, now, error))) return;
      await tx.query(`update stages set terminated_at = $3, error = $4 where instance_id = $1 and stage = $2`, [inst.id, index, now, error]);
      await this.bus.publish(tx, {
        app: 'orchestration',
        version: 'v2',
        type: 'FAILED_WORKFLOW_STAGE',
        payload: { id: inst.workflow_id, instanceID: inst.id, number: index, error },
        date: now,
      });
      await this.finishTermination(tx, inst, now, error);
      ended = true;
    });
    this.committed(inst.id);
    if (ended) {
      this.ended(inst, 'failed', error);
      this.terminated.emit(inst.id);
    }
  }

  /**
   * Abort: stops the instance at once, also while delayed, waiting for an event or retrying.
   * The current stage, its unfinished activity and the instance end with error `canceled`
   * (docs/compatibility.md: abort).
   */
  async abort(id: string): Promise<void> {
    const now = new Date();
    const workflowId = await this.db.transaction(async (tx) => {
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
          `update activities set terminated = true, terminated_at = $3, error = $4, next_execution = null
           where instance_id = $1 and stage = $2 and not terminated`,
          [id, inst.current_stage, now, CANCELED],
        );
        if (stageRows.length) {
          await this.bus.publish(tx, {
            app: 'orchestration',
            version: 'v2',
            type: 'FAILED_WORKFLOW_STAGE',
            payload: { ...payload, number: inst.current_stage, error: CANCELED },
            date: now,
          });
        }
      }
      await this.markTerminated(tx, id, now, CANCELED);
      await this.finishTermination(tx, { id, workflow_id: inst.workflow_id }, now, CANCELED);
      return inst.workflow_id as string;
    });
    this.committed(id);
    this.ended({ id, workflow_id: workflowId }, 'canceled');
    this.terminated.emit(id);
  }
}
