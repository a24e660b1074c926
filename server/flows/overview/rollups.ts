import type { Db } from '../../store/db.js';

/**
 * Reads and folds the outcome rollups of migration 004_overview: triggers append signed counts
 * to `overview_deltas` (5-minute buckets) as instances start and end; `compact()` moves them into
 * `overview_stats` at the 5 min, 1 h and 1 day grains, and records in `overview_folds`
 * (migration 009_overview_folds) which buckets each compaction changed. Every read sums both
 * tables, so a figure never waits for a compaction: compacting only keeps the reads short. The
 * end-keyed reads also keep what they read of buckets that are over, for as long as no
 * compaction changes them (`endKeyed`).
 */
export const METRIC = { started: 1, ended: 2, failure: 3, duration: 4 } as const;
export const OUTCOMES = ['running', 'succeeded', 'failed', 'aborted'] as const;

export const GRAINS = [300, 3600, 86400] as const;

/**
 * Rows of one metric whose bucket lies in [from, to), at `grain` (deltas are 5-minute rows,
 * and every grain is a multiple of 5 minutes). Params: $1 metric, $2 grain, $3 from, $4 to.
 */
const ROW = 'bucket, outcome, workflow_id, reason, bin, n, first_at, last_at, last_instance';
const STATS = `select ${ROW} from overview_stats where metric = $1 and grain = $2 and bucket >= $3 and bucket < $4`;
const DELTAS = `select ${ROW} from overview_deltas where metric = $1 and bucket >= $3 and bucket < $4`;
const SOURCE = `(${STATS} union all ${DELTAS})`;

/**
 * An end-keyed metric (ended, failure, duration) over a window: `columns` grouped by `groupBy`
 * over rows of SOURCE's shape (`r`), and how two such groupings of disjoint row sets add up.
 */
interface EndKeyed<T> {
  metric: number;
  columns: string;
  groupBy: string;
  key: (row: T) => string;
  add: (a: T, b: T) => T;
}

/**
 * Closed-bucket reads kept (a few per window and metric; the current bucket moves on, so older
 * keys stop being asked for).
 */
const CLOSED_CACHE_SIZE = 64;

export class Rollups {
  /**
   * The stats of the closed buckets of a window (those before the current bucket of its grain),
   * grouped, with the greatest compaction number (`overview_folds`) over those buckets when read.
   */
  private readonly closed = new Map<string, { fold: string; rows: unknown[] }>();

  constructor(private readonly db: Db) {}

  /**
   * An end-keyed read over [from, to) at `grain`, exact whatever the cache holds.
   *
   * Most of a window lies in buckets that are over (a 30-day window: 29 whole days, today's
   * whole hours, this hour's whole 5 minutes), and their stats change only when a compaction
   * folds a late delta into one (an instance that ended just before a bucket's end and committed
   * after it; a deleted workflow). So each such segment is read once, grouped, and kept with the
   * greatest compaction number over its buckets (`overview_folds`). Each read asks, in one
   * statement (one snapshot): those numbers now, and the live rows (the current 5 minutes'
   * stats and every delta of the window, which no compaction has folded yet). A segment whose
   * number is the one kept has the same stats, so kept + live is what reading every row would
   * give in that snapshot; a segment whose number moved is read again by the same statement (a
   * subquery run only then), and kept instead.
   */
  private async endKeyed<T>(q: EndKeyed<T>, grain: number, from: Date, to: Date): Promise<T[]> {
    const params: unknown[] = [q.metric, from, to];
    const $ = (v: unknown) => `$${params.push(v)}`;
    const grouped = (source: string) => `(select coalesce(json_agg(g), '[]') from (select ${q.columns} from ${source} r group by ${q.groupBy}) g)`;
    let lo = from;
    const segments: { key: string; kept: { fold: string; rows: unknown[] } | undefined; fold: string; rows: string }[] = [];
    for (const g of [...GRAINS].reverse().filter((g) => g <= grain)) {
      const hi = new Date(Math.max(lo.getTime(), Math.floor(to.getTime() / (g * 1000)) * g * 1000));
      if (hi <= lo) continue;
      const key = `${q.metric}:${g}:${lo.toISOString()}:${hi.toISOString()}`;
      const kept = this.closed.get(key);
      const range = `metric = $1 and grain = ${$(g)} and bucket >= ${$(lo)} and bucket < ${$(hi)}`;
      const i = segments.length;
      segments.push({
        key,
        kept,
        fold: `(select coalesce(max(fold), 0)::text from overview_folds where ${range}) as fold${i}`,
        rows: `case when fold${i} is distinct from ${$(kept?.fold ?? null)}::text then ${grouped(`(select ${ROW} from overview_stats where ${range})`)} end as rows${i}`,
      });
      lo = hi;
    }
    const live = grouped(
      `(select ${ROW} from overview_stats where metric = $1 and grain = 300 and bucket >= ${$(lo)} and bucket < $3
        union all select ${ROW} from overview_deltas where metric = $1 and bucket >= $2 and bucket < $3)`,
    );
    const [row] = await this.db.query<Record<string, unknown>>(
      segments.length === 0
        ? `select ${live} as live`
        : `select ${segments.map((s, i) => `fold${i}, ${s.rows}`).join(', ')}, ${live} as live from (select ${segments.map((s) => s.fold).join(', ')}) f`,
      params,
    );
    const all: T[] = [];
    segments.forEach((s, i) => {
      let rows = s.kept?.rows as T[] | undefined;
      const fresh = row![`rows${i}`] as T[] | null;
      if (fresh) {
        rows = fresh;
        this.closed.delete(s.key);
        this.closed.set(s.key, { fold: row![`fold${i}`] as string, rows });
        if (this.closed.size > CLOSED_CACHE_SIZE) this.closed.delete(this.closed.keys().next().value!);
      }
      all.push(...rows!);
    });
    all.push(...(row!.live as T[]));
    const byKey = new Map<string, T>();
    for (const r of all) {
      const k = q.key(r);
      const seen = byKey.get(k);
      byKey.set(k, seen ? q.add(seen, r) : r);
    }
    return [...byKey.values()];
  }

  /**
   * Folds the deltas into the stats, in one transaction (on PostgreSQL one process at a time:
   * the others skip). Returns how many delta rows were folded.
   *
   * Then, on PGlite, vacuums the deltas: PGlite has no autovacuum, so the rows each compaction
   * deletes stayed as dead tuples for good, and every read of the deltas (`running()`, the live
   * part of each window) and every compaction scanned ever more dead pages (after 500
   * compactions: 935 heap pages and 25,000 index entries for 20 live rows). The table is near
   * empty then, so the vacuum takes a few ms. The stats and folds, updated in place, grow far
   * less (page pruning reclaims most old versions). On PostgreSQL autovacuum does it.
   */
  async compact(): Promise<number> {
    const moved = await this.fold();
    // Outside the transaction (VACUUM cannot run in one); PGlite's one connection runs it alone.
    if (moved > 0 && this.db.kind === 'pglite') await this.db.exec('vacuum overview_deltas');
    return moved;
  }

  /** The fold itself: one transaction. */
  private async fold(): Promise<number> {
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
         fold as (
           select nextval('overview_fold_seq') as fold),
         marked as (
           insert into overview_folds (metric, grain, bucket, fold)
           select distinct metric, grain, bucket, (select fold from fold) from folded
           on conflict (metric, grain, bucket) do update set fold = excluded.fold
           returning 1),
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
         select (select count(*) from moved)::int as n, (select count(*) from upserted)::int as upserted, (select count(*) from marked)::int as marked`,
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
    const rows = await this.endKeyed<{ outcome: number; n: number }>(
      { metric: METRIC.ended, columns: 'outcome, sum(n)::int as n', groupBy: 'outcome', key: (r) => String(r.outcome), add: (a, b) => ({ ...a, n: a.n + b.n }) },
      grain,
      from,
      to,
    );
    return new Map(rows.map((r) => [r.outcome, r.n]));
  }

  /** Failures that ended in [from, to), per reason and workflow. */
  async failures(grain: number, from: Date, to: Date) {
    const rows = await this.endKeyed<{ reason: string; workflow_id: string; n: number; first_at: string | null; last_at: string | null; last_instance: string | null }>(
      {
        metric: METRIC.failure,
        columns: `reason, workflow_id, sum(n)::int as n, min(first_at) as first_at, max(last_at) as last_at,
                  (array_agg(last_instance order by last_at desc nulls last))[1] as last_instance`,
        groupBy: 'reason, workflow_id',
        key: (r) => `${r.reason}\u0000${r.workflow_id}`,
        add: (a, b) => {
          const later = b.last_at !== null && (a.last_at === null || Date.parse(b.last_at) > Date.parse(a.last_at)) ? b : a;
          const first = [a.first_at, b.first_at].filter((t) => t !== null).sort((x, y) => Date.parse(x!) - Date.parse(y!))[0] ?? null;
          return { ...a, n: a.n + b.n, first_at: first, last_at: later.last_at, last_instance: later.last_instance };
        },
      },
      grain,
      from,
      to,
    );
    return rows.filter((r) => r.n > 0).map((r) => ({ ...r, first_at: new Date(r.first_at!), last_at: new Date(r.last_at!), last_instance: r.last_instance! }));
  }

  /** Succeeded runs that ended in [from, to), per workflow and duration bin. */
  async durations(grain: number, from: Date, to: Date) {
    const rows = await this.endKeyed<{ workflow_id: string; bin: number; n: number }>(
      {
        metric: METRIC.duration,
        columns: 'workflow_id, bin, sum(n)::int as n',
        groupBy: 'workflow_id, bin',
        key: (r) => `${r.workflow_id}\u0000${r.bin}`,
        add: (a, b) => ({ ...a, n: a.n + b.n }),
      },
      grain,
      from,
      to,
    );
    return rows.filter((r) => r.n > 0);
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
