import type { InstanceRow } from '../../common/instance-columns.js';
import { ApiError } from '../errors.js';
import { toTrigger } from '../triggers/shapes.js';
import type { Db } from '../store/db.js';
import type { InstanceFilters } from './instance-list.js';
import type { ActionOutcome, InstanceRecord, InstanceSource } from './instance-source.js';
import { readProgress, type InstanceProgress } from './instance-progress.js';
import type { FlowsService } from './service.js';

/** The console's work on many runs over the embedded service (see instance-source.ts). */
export class EmbeddedInstances implements InstanceSource<InstanceFilters> {
  readonly mode = 'embedded';
  readonly provenance = true;

  constructor(
    private readonly db: Db,
    private readonly flows: FlowsService,
  ) {}

  async count(filters: InstanceFilters, opts: { upTo?: string } = {}) {
    return { count: await this.flows.instances.count(filters, opts.upTo), exact: true };
  }

  batches(filters: InstanceFilters, opts: { upTo?: string; size?: number } = {}): AsyncIterable<InstanceRow[]> {
    return this.flows.instances.batches(filters, opts);
  }

  endedSince(filters: InstanceFilters, at: string): AsyncIterable<InstanceRow[]> | undefined {
    const { running: _running, status, sort: _sort, ...rest } = filters;
    // Conditions on a running state (waiting, retrying, money in flight) or on an ending cannot be
    // judged as of `at`: leave those filters as they are (their ended runs are not in the job).
    const runningState = ['state', 'stageStartedBefore', 'minRetries', 'resumesAfter', 'pendingAsset', 'pendingSource', 'reason', 'endedAfter', 'endedBefore'] as const;
    if (runningState.some((k) => rest[k] !== undefined)) return undefined;
    if (status && !status.includes('running')) return undefined;
    return this.flows.instances.batches({ ...rest, endedAfter: at }, { upTo: at });
  }

  async triggerNames(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ id: string; name: string; event: string }>(`select id, name, event from triggers`);
    return new Map(rows.map((r) => [r.id, r.name || r.event]));
  }

  async record(id: string): Promise<InstanceRecord> {
    const instance = await this.flows.instances.get(id);
    const history = await this.flows.instances.history(id);
    const stages = [];
    for (const s of instance.status ?? []) stages.push({ stage: s.stage, activities: await this.flows.instances.stageHistory(id, String(s.stage)) });
    const provenance: InstanceRecord['provenance'] = { startedBy: instance.triggerID ? 'trigger' : 'manual' };
    if (instance.triggerID) {
      // Deleted triggers too: the record says what started the run, whatever happened since.
      const [trigger] = await this.db.query(`select * from triggers where id = $1`, [instance.triggerID]);
      if (trigger) provenance.trigger = { ...toTrigger(trigger), ...(trigger.deleted_at ? { deletedAt: new Date(trigger.deleted_at).toISOString() } : {}) };
      if (instance.occurrenceID) {
        const [occurrence] = await this.db.query(`select id, date, event, error from trigger_occurrences where id = $1`, [instance.occurrenceID]);
        if (occurrence)
          provenance.occurrence = {
            id: occurrence.id,
            date: new Date(occurrence.date).toISOString(),
            event: occurrence.event,
            ...(occurrence.error ? { error: occurrence.error } : {}),
          };
      }
    }
    return { exportedAt: new Date().toISOString(), source: { mode: 'embedded' }, instance, history, stages, provenance };
  }

  progress(ids: readonly string[]): Promise<InstanceProgress[]> {
    const instances = this.flows.instances;
    return readProgress(ids, {
      instance: async (id) => {
        try {
          return await instances.get(id);
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return undefined; // no such instance: left out
          throw err;
        }
      },
      history: (id) => instances.history(id) as Promise<{ name: string; input: unknown; startedAt: string }[]>,
      activities: (id, stage) => instances.stageHistory(id, String(stage)) as Promise<{ name: string; terminated: boolean; attempt: number }[]>,
    });
  }

  async abort(id: string): Promise<ActionOutcome> {
    try {
      await this.flows.instances.abort(id);
      return { outcome: 'done' };
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return { outcome: 'skipped', message: 'already finished' };
      if (err instanceof ApiError) return { outcome: 'failed', message: err.message };
      return { outcome: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
  }
}
