import type { Db } from '../../store/db.js';

/**
 * Reads and folds the outcome rollups of migration 004_overview: triggers append signed counts
 * to `overview_deltas` (5-minute buckets) as instances start and end; `compact()` moves them into
 * `overview_stats` at the 5 min, 1 h and 1 day grains. Every read sums both tables, so a figure
 * never waits for a compaction: compacting only keeps the reads short.
 */
export const METRIC = { started: 1, ended: 2, failure: 3, duration: 4 } as const;
export const OUTCOMES = ['running', 'succeeded', 'failed', 'aborted'] as const;

export const GRAINS = [300, 3600, 86400] as const;

/**
 * Rows of one metric whose bucket lies in [from, to), at `grain` (deltas are 5-minute rows,
 * and every grain is a multiple of 5 minutes). Params: $1 metric, $2 grain, $3 from, $4 to.
 */
const SOURCE = `(
  select bucket, outcome, workflow_id, reason, bin, n, first_at, last_at, last_instance
  from overview_stats where metric = $1 and grain = $2 and bucket >= $3 and bucket < $4
  union all
  select bucket, outcome, workflow_id, reason, bin, n, first_at, last_at, last_instance
  from overview_deltas where metric = $1 and bucket >= $3 and bucket < $4)`;

/**
 * Rows of an end-keyed metric (ended, failure, duration) in buckets that are over never change:
 * an instance ends now, so only the current bucket grows (deleting a workflow is the exception,
 * hence the generation in the key). Those closed buckets are read once and kept here.
 */
const CLOSED_CACHE_SIZE = 32;

export class Rollups {
  private readonly closed = new Map<string, Promise<unknown[]>>();

  constructor(private readonly db: Db) {}

  /**
   * An end-keyed read over [from, to) at `grain`: the closed buckets [from, start of the current
   * one) from the cache, the current one from the tables; `merge` adds the two row sets up.
   */
  private async endKeyed<T>(metric: number, grain: number, from: Date, to: Date, read: (from: Date, to: Date) => Promise<T[]>, merge: (rows: T[]) => T[]): Promise<T[]> {
    const current = new Date(Math.floor(to.getTime() / (grain * 1000)) * grain * 1000);
    if (current <= from) return read(from, to);
    const [{ generation }] = await this.db.query<{ generation: string }>(
      `select coalesce(max(deleted_at)::text, '') || ':' || count(deleted_at)::text as generation from workflows`,
    );
    const key = `${metric}:${grain}:${from.toISOString()}:${current.toISOString()}:${generation}`;
    let closed = this.closed.get(key) as Promise<T[]> | undefined;
    if (!closed) {
      closed = read(from, current);
      closed.catch(() => this.closed.delete(key));
      this.closed.set(key, closed);
      if (this.closed.size > CLOSED_CACHE_SIZE) this.closed.delete(this.closed.keys().next().value!);
    }
    return merge([...(await closed), ...(await read(current, to))]);
  }

  /**
   * Folds the deltas into the stats, in one transaction (on PostgreSQL one process at a time:
   * the others skip). Returns how many delta rows were folded.
   */
  async compact(): Promise<number> {
    return this.db.transaction(async (tx) => {
      if (this.db.kind === 'postgres') {
        const [lock] = await tx.query<{ ok: boolean }>(`select pg_try_advisory_xact_lock(7204612) as ok`);
        if (!lock?.ok) return 0;
      }
      const [moved] = await tx.query<{ n: number }>(
        `with moved as (
           delete from overview_deltas returning metric, bucket, outcome, workflow_id, reason, bin, n, first_at, last_at, last_instance),
         grained as (
           select m.*, g.grain, flows_bucket(m.bucket, g.grain) as gbucket
           from moved m cross join (values (300), (3600), (86400)) as g(grain)),
         folded as (
           select metric, grain, gbucket as bucket, outcome, workflow_id, reason, bin, sum(n) as n,
                  min(first_at) as first_at, max(last_at) as last_at,
                  (array_agg(last_instance order by last_at desc nulls last))[1] as last_instance
           from grained group by metric, grain, gbucket, outcome, workflow_id, reason, bin
           order by metric, grain, gbucket, outcome, workflow_id, reason, bin),
         upserted as (
           insert into overview_stats as s (metric, grain, bucket, outcome, workflow_id, reason, bin, n, first_at, last_at, last_instance)
           select * from folded
           on conflict (metric, grain, bucket, outcome, workflow_id, reason, bin) do update set
             n = s.n + excluded.n,
             first_at = least(s.first_at, excluded.first_at),
             last_at = greatest(s.last_at, excluded.last_at),
             last_instance = case when excluded.last_at is not null and (s.last_at is null or excluded.last_at >= s.last_at)
                                  then excluded.last_instance else s.last_instance end
           returning 1)
         select (select count(*) from moved)::int as n, (select count(*) from upserted)::int as upserted`,
      );
      // Buckets whose instances all ended (running counts), or whose workflow was deleted.
      await tx.query(`delete from overview_stats where n = 0`);
      return moved?.n ?? 0;
    });
  }

  /** Started runs per chart bucket and outcome: bucket index k from `from`, every `bucketSeconds`. */
  async startedByBucket(grain: number, from: Date, to: Date, bucketSeconds: number): Promise<{ k: number; outcome: number; n: number }[]> {
    return this.db.query(
      `select floor(extract(epoch from (bucket - $3::timestamptz)) / $5)::int as k, outcome, sum(n)::int as n
       from ${SOURCE} r group by 1, 2 having sum(n) <> 0`,
      [METRIC.started, grain, from, to, bucketSeconds],
    );
  }

  /** Instances still running (every start bucket). */
  async running(): Promise<number> {
    const [row] = await this.db.query<{ n: number | null }>(
      `select sum(n)::int as n from (
         select n from overview_stats where metric = 1 and grain = 86400 and outcome = 0
         union all select n from overview_deltas where metric = 1 and outcome = 0) r`,
    );
    return row?.n ?? 0;
  }

  /** Instances that ended in [from, to), per outcome. */
  async endedByOutcome(grain: number, from: Date, to: Date): Promise<Map<number, number>> {
    const rows = await this.db.query<{ outcome: number; n: number }>(`select outcome, sum(n)::int as n from ${SOURCE} r group by 1`, [METRIC.ended, grain, from, to]);
    return new Map(rows.map((r) => [r.outcome, r.n]));
  }

  /** Failures that ended in [from, to), per reason and workflow. */
  async failures(grain: number, from: Date, to: Date) {
    return this.db.query<{ reason: string; workflow_id: string; n: number; first_at: Date; last_at: Date; last_instance: string }>(
      `select reason, workflow_id, sum(n)::int as n, min(first_at) as first_at, max(last_at) as last_at,
              (array_agg(last_instance order by last_at desc nulls last))[1] as last_instance
       from ${SOURCE} r group by 1, 2 having sum(n) > 0`,
      [METRIC.failure, grain, from, to],
    );
  }

  /** Succeeded runs that ended in [from, to), per workflow and duration bin. */
  async durations(grain: number, from: Date, to: Date) {
    return this.db.query<{ workflow_id: string; bin: number; n: number }>(`select workflow_id, bin, sum(n)::int as n from ${SOURCE} r group by 1, 2 having sum(n) > 0`, [
      METRIC.duration,
      grain,
      from,
      to,
    ]);
  }
}

/** Percentile of a duration histogram (bins of flows_duration_bin): the bin's middle, in ms. */
export function binPercentile(bins: { bin: number; n: number }[], p: number): number {
  const sorted = [...bins].sort((a, b) => a.bin - b.bin);
  const total = sorted.reduce((s, b) => s + b.n, 0);
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const b of sorted) {
    seen += b.n;
    if (seen >= rank) return binMiddleMs(b.bin);
  }
  return binMiddleMs(sorted[sorted.length - 1]?.bin ?? 0);
}

/** Middle of bin b ([1.1^b, 1.1^(b+1)) ms); bin 0 also holds everything under 1 ms. */
export function binMiddleMs(bin: number): number {
  return Math.round(Math.pow(1.1, bin + 0.5));
}
