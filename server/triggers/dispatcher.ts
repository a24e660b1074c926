import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine.js';
import { WakeableSleep } from '../lib/wakeable-sleep.js';
import { errorFields, Logger } from '../lib/log.js';
import { Metrics } from '../lib/metrics.js';
import { envelope, type EventBus, type StoredEvent } from '../store/bus.js';
import type { LinkResolver } from '../expr/index.js';
import { json, type Db } from '../store/db.js';
import { DEDUPED_EVENT_TYPES } from './events.js';
import { evaluateFilter, evaluateVars } from './expressions.js';

const CONSUMER = 'triggers';
const BATCH = 200;
/** How long a hole in the event sequence is left to its writer before its transaction is looked at. */
const GAP_SETTLE_MS = 500;

interface TriggerRow {
  id: string;
  workflow_id: string;
  filter: string | null;
  vars: Record<string, string> | null;
}

type Decision = { trigger: TriggerRow; variables: Record<string, string> } | { trigger: TriggerRow; error: string };

/**
 * Reads the event log in order and fires matching triggers. The consumer offset advances in the
 * same transaction as the instances and occurrences an event produced, so each event is handled
 * exactly once per trigger, also across crashes and restarts.
 */
export class TriggerDispatcher {
  private running = false;
  private readonly sleeper = new WakeableSleep();
  private loopDone: Promise<void> | null = null;
  private readonly onPublished = () => this.sleeper.wake();

  private readonly log: Logger;
  private readonly metrics: Metrics;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly engine: Engine,
    private readonly link?: LinkResolver,
    opts: { pollMs?: number; log?: Logger; metrics?: Metrics } = {},
  ) {
    this.pollMs = opts.pollMs ?? 1_000;
    this.log = opts.log ?? new Logger({ level: 'warn' });
    this.metrics = opts.metrics ?? new Metrics();
  }

  private readonly pollMs: number;

  /** Reading the event log (between start() and stop()). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Events published and not yet read by the dispatcher (for the backlog gauge). */
  async eventsBehind(): Promise<number> {
    const [r] = await this.db.query<{ behind: number }>(
      `select greatest(0, coalesce((select max(seq) from events), 0) - coalesce((select seq from consumer_offsets where name = $1), 0))::int as behind`,
      [CONSUMER],
    );
    return r.behind;
  }

  async start(): Promise<void> {
    await this.db.query(`insert into consumer_offsets (name, seq) values ($1, 0) on conflict (name) do nothing`, [CONSUMER]);
    this.running = true;
    this.bus.on('published', this.onPublished);
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.bus.off('published', this.onPublished);
    this.sleeper.wake();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let busy = false;
      try {
        busy = await this.step();
      } catch (err) {
        if (this.running) {
          this.metrics.triggerErrors.inc();
          this.log.error('triggers: dispatch failed; retried on the next turn', errorFields(err));
        }
      }
      if (!busy) await this.sleeper.sleep(this.pollMs);
    }
  }

  /** Handles one batch; true when there may be more. */
  async step(): Promise<boolean> {
    const [{ seq: offset }] = await this.db.query<{ seq: number }>(`select seq from consumer_offsets where name = $1`, [CONSUMER]);
    // Taken before the read: see gapFree().
    const xmin = this.db.kind === 'postgres' ? (await this.db.query<{ x: string }>(`select pg_snapshot_xmin(pg_current_snapshot())::text as x`))[0].x : undefined;
    const read = await this.bus.read(this.db, Number(offset), BATCH);
    if (read.length === 0) return false;
    const events = await this.gapFree(Number(offset), read, xmin);
    if (events.length === 0) return false;
    const types = new Set((await this.db.query<{ event: string }>(`select distinct event from triggers where deleted_at is null`)).map((r) => r.event));
    for (const event of events) {
      if (!this.running) return false;
      if (types.has(event.type)) await this.handle(event);
    }
    // Events no trigger listens to only move the offset forward.
    await this.db.query(`update consumer_offsets set seq = greatest(seq, $2) where name = $1`, [CONSUMER, events[events.length - 1].seq]);
    return events.length === read.length && read.length === BATCH;
  }

  /** A hole in the sequence numbers after the offset, being waited out (PostgreSQL). */
  private gap: { seq: number; seenAt: number; xmax?: bigint } | null = null;

  /**
   * The events that may be handled now: the prefix of `events` without a hole in the sequence.
   * Numbers are taken when a row is inserted, but transactions commit in their own order: on
   * PostgreSQL event 101 can be visible while 100 is still in flight, and moving the offset past
   * 100 would lose it for good. A hole is also what a rolled-back transaction leaves (sequences
   * are not transactional), so it is waited out only until every transaction that was running
   * once the hole was seen has ended before a read: the hole is then known to stay empty. On
   * PGlite (one connection) nothing is in flight during a read: a hole is always a rollback.
   */
  private async gapFree(offset: number, events: StoredEvent[], xminBeforeRead: string | undefined): Promise<StoredEvent[]> {
    let expected = offset + 1;
    const ready: StoredEvent[] = [];
    for (const event of events) {
      if (event.seq > expected && !(await this.mayPassGap(expected, xminBeforeRead))) break;
      ready.push(event);
      expected = event.seq + 1;
    }
    return ready;
  }

  private async mayPassGap(seq: number, xminBeforeRead: string | undefined): Promise<boolean> {
    if (this.db.kind !== 'postgres' || xminBeforeRead === undefined) return true;
    if (this.gap?.seq !== seq) {
      this.gap = { seq, seenAt: Date.now() };
      return false;
    }
    // The writer holding `seq` may take a moment to get its transaction id: look at the running
    // transactions a little later, then wait until they have all ended.
    if (Date.now() - this.gap.seenAt < GAP_SETTLE_MS) return false;
    if (this.gap.xmax === undefined) {
      const [{ x }] = await this.db.query<{ x: string }>(`select pg_snapshot_xmax(pg_current_snapshot())::text as x`);
      this.gap.xmax = BigInt(x);
      return false;
    }
    if (BigInt(xminBeforeRead) < this.gap.xmax) return false;
    this.gap = null;
    return true;
  }

  private async handle(event: StoredEvent): Promise<void> {
    const triggers = await this.db.query<TriggerRow>(
      `select t.id, t.workflow_id, t.filter, t.vars from triggers t join workflows w on w.id = t.workflow_id
       where t.event = $1 and t.deleted_at is null and w.deleted_at is null and (t.version is null or t.version = $2)
       order by t.seq`,
      [event.type, event.version],
    );
    // Expressions are evaluated outside the transaction (link() may do I/O).
    const decisions: Decision[] = [];
    for (const trigger of triggers) {
      if (trigger.filter) {
        const f = await evaluateFilter(trigger.filter, event.payload, this.link);
        if (!f.match) continue; // no match, non-boolean or error: skipped without an occurrence
      }
      const results = await evaluateVars(trigger.vars ?? {}, event.payload, this.link);
      const failed = Object.entries(results).find(([, r]) => r.error !== undefined);
      if (failed) decisions.push({ trigger, error: `vars.${failed[0]}: ${failed[1].error}` });
      else decisions.push({ trigger, variables: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.value ?? ''])) });
    }

    let started = false;
    const recorded: { triggerId: string; occurrenceId: string; instanceId: string | null; error: string | null }[] = [];
    await this.db.transaction(async (tx) => {
      recorded.length = 0;
      const [off] = await tx.query<{ seq: number }>(`select seq from consumer_offsets where name = $1 for update`, [CONSUMER]);
      if (Number(off.seq) >= event.seq) return; // another worker handled it
      const now = new Date();
      for (const d of decisions) {
        if (DEDUPED_EVENT_TYPES.has(event.type)) {
          const key = String((event.payload as Record<string, unknown>).id ?? '');
          const slot = await tx.query(`insert into trigger_dedupe (trigger_id, key) values ($1, $2) on conflict do nothing returning key`, [d.trigger.id, key]);
          if (slot.length === 0) continue;
        }
        const occurrenceId = randomUUID();
        let instanceId: string | null = null;
        let error = 'error' in d ? d.error : null;
        if ('variables' in d) {
          instanceId =
            (await this.engine.startInstanceIn(tx, {
              id: randomUUID(),
              workflowId: d.trigger.workflow_id,
              variables: d.variables,
              triggerId: d.trigger.id,
              occurrenceId,
            })) ?? null;
          if (instanceId) started = true;
          else error = 'starting workflow: Workflow not found';
        }
        await tx.query(
          `insert into trigger_occurrences (id, trigger_id, date, event, event_seq, workflow_instance_id, error) values ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
          [occurrenceId, d.trigger.id, now, json(envelope(event)), event.seq, instanceId, error],
        );
        recorded.push({ triggerId: d.trigger.id, occurrenceId, instanceId, error });
        await this.bus.publish(tx, {
          app: 'orchestration',
          version: 'v2',
          type: instanceId ? 'SUCCEEDED_TRIGGER' : 'FAILED_TRIGGER',
          payload: instanceId ? { id: occurrenceId, triggerID: d.trigger.id, workflowInstanceID: instanceId } : { id: occurrenceId, triggerID: d.trigger.id, error },
          date: now,
        });
      }
      await tx.query(`update consumer_offsets set seq = $2 where name = $1`, [CONSUMER, event.seq]);
    });
    for (const r of recorded) {
      this.metrics.triggerOccurrences.inc({ result: r.instanceId ? 'started' : 'failed' });
      const fields = { triggerId: r.triggerId, occurrenceId: r.occurrenceId, eventSeq: event.seq, eventType: event.type, instanceId: r.instanceId ?? undefined };
      if (r.instanceId) {
        this.metrics.instancesStarted.inc();
        this.log.info('trigger fired', fields);
      } else this.log.warn('trigger failed', { ...fields, error: r.error ?? undefined });
    }
    if (decisions.length) this.bus.notify();
    if (started) this.engine.wake();
  }
}
