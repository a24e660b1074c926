import { json, type Db, type Queryable } from '../store/db.js';

/** What starting an instance writes: the instance row (its provenance when a trigger starts it). */
export interface InstanceStart {
  id: string;
  workflowId: string;
  variables: Record<string, string>;
  triggerId?: string;
  occurrenceId?: string;
}

/** The `instances` row as inserted (snake case, as the database returns it). */
export type InstanceRow = Record<string, any>;

interface PendingStart {
  req: InstanceStart;
  resolve(row: InstanceRow | undefined): void;
  reject(err: unknown): void;
}

/**
 * Inserts instances of workflows that exist and are not deleted, with their task and
 * STARTED_WORKFLOW, in one statement; returns the inserted rows (missing: no such workflow).
 */
export async function insertInstances(q: Queryable, reqs: InstanceStart[]): Promise<InstanceRow[]> {
  const rows = reqs.map((r) => ({ id: r.id, workflow_id: r.workflowId, variables: r.variables, trigger_id: r.triggerId ?? null, occurrence_id: r.occurrenceId ?? null }));
  return q.query(
    `with req as (
       select * from jsonb_to_recordset($2::jsonb) as r(id text, workflow_id text, variables jsonb, trigger_id text, occurrence_id text)),
     inst as (
       insert into instances (id, workflow_id, variables, created_at, updated_at, trigger_id, occurrence_id)
       select r.id, w.id, r.variables, $1, $1, r.trigger_id, r.occurrence_id
       from req r join workflows w on w.id = r.workflow_id and w.deleted_at is null
       returning *),
     task as (insert into tasks (instance_id, run_at) select id, $1 from inst),
     ev as (
       insert into events (app, version, type, payload, date, idempotency_key)
       select 'orchestration', 'v2', 'STARTED_WORKFLOW', jsonb_build_object('id', workflow_id, 'instanceID', id), $1, '' from inst)
     select * from inst`,
    [new Date(), json(rows)],
  );
}

/**
 * Group commit of instance starts: a start waits while a batch is being written, then goes with
 * the next batch in one statement (atomic, committed on its own); each caller gets its row
 * (undefined: no such workflow, or deleted) once it is committed. Concurrent runs (many clients,
 * bursts) cost one statement per batch rather than one each.
 */
export class InstanceStarts {
  private pending: PendingStart[] = [];
  private flushing = 0;
  private flushScheduled = false;

  constructor(private readonly db: Db) {}

  start(req: InstanceStart): Promise<InstanceRow | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ req, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    });
  }

  private flush(): void {
    const maxBatches = this.db.kind === 'pglite' ? 1 : 4;
    while (this.flushing < maxBatches && this.pending.length > 0) {
      const batch = this.pending.splice(0, 128);
      this.flushing++;
      void this.writeBatch(batch).finally(() => {
        this.flushing--;
        this.flush();
      });
    }
  }

  private async writeBatch(batch: PendingStart[]): Promise<void> {
    try {
      const rows = await insertInstances(
        this.db,
        batch.map((p) => p.req),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const p of batch) p.resolve(byId.get(p.req.id));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      // One bad start (say, a duplicate id) must not fail the others: one by one.
      for (const p of batch) {
        try {
          const [row] = await insertInstances(this.db, [p.req]);
          p.resolve(row);
        } catch (e) {
          p.reject(e);
        }
      }
    }
  }
}
