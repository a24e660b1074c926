import type { Db } from '../../store/db.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { liveFigures } from './live.js';
import { accountBalanceKey, moneyInFlight, type BalanceReader } from './money.js';
import { PendingSends, type PaymentLookup } from './pending-sends.js';
import { binPercentile, OUTCOMES, Rollups } from './rollups.js';
import type { AttentionFigures, Basis, FailureReason, FailuresFigures, MoneyFigures, NowFigures, RunsFigures, TriggerAttention, WindowInfo } from './shapes.js';
import { windowAt, type Window, type WindowKey } from './windows.js';

/** Embedded mode: every instance is counted. */
const EVERY_INSTANCE: Basis = { complete: true, label: 'every instance' };

/** How many workflows and reasons a panel lists. */
const TOP_WORKFLOWS = 10;
const TOP_REASONS = 20;
/** Occurrences of a trigger looked at for a failure streak. */
const STREAK = 10;

export interface AttentionThresholds {
  /** seconds */
  waitingLongerThan: number;
  waitingLabel: string;
  minRetries: number;
  /** seconds */
  delayedBeyond: number;
  delayedLabel: string;
}

/** What both modes answer (server/remote/overview.ts computes it from the stack's lists). */
export interface OverviewSource {
  now(window: WindowKey): Promise<NowFigures>;
  runs(window: WindowKey): Promise<RunsFigures>;
  failures(window: WindowKey): Promise<FailuresFigures>;
  attention(t: AttentionThresholds): Promise<AttentionFigures>;
  money(): Promise<MoneyFigures>;
}

export const windowInfo = (w: Window): WindowInfo => ({ key: w.key, from: w.from.toISOString(), to: w.to.toISOString(), bucketSeconds: w.bucketSeconds });

/**
 * The overview in embedded mode, computed in SQL. Windowed figures (runs over time, what ended,
 * failures by reason, durations) come from the rollups (rollups.ts), a few hundred rows whatever
 * the number of instances; live figures (waiting, delayed, retrying, needs attention) come from
 * `overview_live` (live.ts), the live instances' rows that the store keeps in step with the
 * engine's writes, with the instance list's own conditions (a test holds them together).
 */
export class Overview implements OverviewSource {
  readonly rollups: Rollups;
  readonly pendingSends: PendingSends;
  private readonly balances?: BalanceReader;
  private compactor: NodeJS.Timeout | null = null;
  private compacting: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    sandbox?: Sandbox,
  ) {
    this.rollups = new Rollups(db);
    const payments: PaymentLookup | undefined = sandbox
      ? async (id) => {
          const p = await sandbox.payments.getPayment(id);
          return { asset: p.asset, amount: p.initialAmount };
        }
      : undefined;
    this.pendingSends = new PendingSends(db, payments);
    if (sandbox) this.balances = sandboxBalances(sandbox);
  }

  /** Folds the rollups' deltas every few seconds (reads never depend on it). */
  start(everyMs = 5_000): void {
    if (this.compactor) return;
    this.compactor = setInterval(() => {
      if (this.compacting) return;
      this.compacting = this.rollups
        .compact()
        .catch((err) => console.error('overview: compacting rollups failed:', (err as Error).message))
        .finally(() => (this.compacting = null));
    }, everyMs);
    this.compactor.unref();
  }

  /** Stops compacting; resolves once a compaction under way is done (before the database closes). */
  async stop(): Promise<void> {
    if (this.compactor) clearInterval(this.compactor);
    this.compactor = null;
    await this.compacting;
  }

  async now(key: WindowKey): Promise<NowFigures> {
    const w = windowAt(key);
    const [running, live, ended] = await Promise.all([this.rollups.running(), liveFigures(this.db, {}), this.rollups.endedByOutcome(w.grain, w.from, w.to)]);
    return {
      window: windowInfo(w),
      running,
      waiting: live.waiting.count,
      delayed: live.delayed.count,
      retrying: live.retrying.count,
      succeeded: ended.get(1) ?? 0,
      failed: ended.get(2) ?? 0,
      aborted: ended.get(3) ?? 0,
      longestRetries: live.retrying.examples,
      basis: EVERY_INSTANCE,
    };
  }

  async runs(key: WindowKey): Promise<RunsFigures> {
    const w = windowAt(key);
    const [started, durations] = await Promise.all([
      this.rollups.startedByBucket(w.chartGrain, w.from, w.to, w.bucketSeconds),
      this.rollups.durations(w.grain, w.from, w.to),
    ]);
    const buckets = w.buckets.map((start) => {
      const end = new Date(Math.min(start.getTime() + w.bucketSeconds * 1000, w.to.getTime()));
      return { start: start.toISOString(), end: end.toISOString(), running: 0, succeeded: 0, failed: 0, aborted: 0 };
    });
    for (const r of started) {
      const b = buckets[r.k];
      if (b) b[OUTCOMES[r.outcome]!] += r.n;
    }
    const byWorkflow = new Map<string, { bin: number; n: number }[]>();
    for (const r of durations) (byWorkflow.get(r.workflow_id) ?? byWorkflow.set(r.workflow_id, []).get(r.workflow_id)!).push({ bin: r.bin, n: r.n });
    const ranked = [...byWorkflow.entries()]
      .map(([id, bins]) => ({ id, bins, runs: bins.reduce((s, b) => s + b.n, 0) }))
      .sort((a, b) => b.runs - a.runs || a.id.localeCompare(b.id));
    const top = ranked.slice(0, TOP_WORKFLOWS);
    const names = await this.workflowNames(top.map((t) => t.id));
    return {
      window: windowInfo(w),
      buckets,
      durations: top.map((t) => ({
        workflowID: t.id,
        workflowName: names.get(t.id) ?? '',
        runs: t.runs,
        medianMs: binPercentile(t.bins, 0.5),
        p95Ms: binPercentile(t.bins, 0.95),
      })),
      moreWorkflows: Math.max(0, ranked.length - top.length),
      basis: EVERY_INSTANCE,
    };
  }

  async failures(key: WindowKey): Promise<FailuresFigures> {
    const w = windowAt(key);
    const rows = await this.rollups.failures(w.grain, w.from, w.to);
    const byReason = new Map<string, { rows: typeof rows; count: number }>();
    for (const r of rows) {
      const g = byReason.get(r.reason) ?? byReason.set(r.reason, { rows: [], count: 0 }).get(r.reason)!;
      g.rows.push(r);
      g.count += r.n;
    }
    const ranked = [...byReason.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    const top = ranked.slice(0, TOP_REASONS);
    const names = await this.workflowNames([...new Set(top.flatMap(([, g]) => g.rows.map((r) => r.workflow_id)))]);
    const reasons: FailureReason[] = top.map(([reason, g]) => {
      const latest = g.rows.reduce((a, b) => (new Date(b.last_at) > new Date(a.last_at) ? b : a));
      return {
        reason,
        count: g.count,
        firstSeen: new Date(Math.min(...g.rows.map((r) => new Date(r.first_at).getTime()))).toISOString(),
        lastSeen: new Date(latest.last_at).toISOString(),
        workflows: g.rows
          .map((r) => ({ workflowID: r.workflow_id, workflowName: names.get(r.workflow_id) ?? '', count: r.n }))
          .sort((a, b) => b.count - a.count || a.workflowName.localeCompare(b.workflowName)),
        exampleInstanceID: latest.last_instance,
      };
    });
    const rest = ranked.slice(TOP_REASONS);
    return {
      window: windowInfo(w),
      total: ranked.reduce((s, [, g]) => s + g.count, 0),
      reasons,
      more: { reasons: rest.length, failures: rest.reduce((s, [, g]) => s + g.count, 0) },
      basis: EVERY_INSTANCE,
    };
  }

  async attention(t: AttentionThresholds): Promise<AttentionFigures> {
    const now = Date.now();
    const waitingSince = new Date(Math.floor((now - t.waitingLongerThan * 1000) / 1000) * 1000).toISOString();
    const resumesAfter = new Date(Math.floor((now + t.delayedBeyond * 1000) / 1000) * 1000).toISOString();
    const [live, triggers] = await Promise.all([liveFigures(this.db, { waitingSince, minRetries: t.minRetries, resumesAfter }), this.failingTriggers()]);
    return {
      thresholds: { waitingLongerThan: t.waitingLabel, waitingSince, minRetries: t.minRetries, delayedBeyond: t.delayedLabel, resumesAfter },
      ...live,
      triggers,
      basis: EVERY_INSTANCE,
    };
  }

  async money(): Promise<MoneyFigures> {
    return moneyInFlight(await this.pendingSends.groups(), this.balances, EVERY_INSTANCE);
  }

  /** Triggers whose latest occurrences failed: an error recorded, or the instance started failed. */
  private async failingTriggers(): Promise<TriggerAttention[]> {
    const rows = await this.db.query<any>(
      `select t.id, t.name, t.event, t.workflow_id, o.date, o.error, i.terminated, i.error as i_error
       from triggers t
       cross join lateral (select * from trigger_occurrences o where o.trigger_id = t.id order by o.seq desc limit ${STREAK}) o
       left join instances i on i.id = o.workflow_instance_id
       where t.deleted_at is null
       order by t.seq, o.seq desc`,
    );
    const out = new Map<string, TriggerAttention & { open: boolean }>();
    for (const r of rows) {
      let t = out.get(r.id);
      if (!t)
        out.set(r.id, (t = { triggerID: r.id, name: r.name ?? '', event: r.event, workflowID: r.workflow_id, failedInARow: 0, lastError: '', lastAt: '', open: true }));
      if (!t.open) continue;
      const error: string | null = r.error ?? (r.terminated && r.i_error && r.i_error !== 'canceled' && r.i_error !== 'cancelled' ? r.i_error : null);
      if (!error) {
        t.open = false;
        continue;
      }
      if (t.failedInARow === 0) {
        t.lastError = error;
        t.lastAt = new Date(r.date).toISOString();
      }
      t.failedInARow++;
    }
    return [...out.values()]
      .filter((t) => t.failedInARow > 0)
      .sort((a, b) => b.failedInARow - a.failedInARow || b.lastAt.localeCompare(a.lastAt))
      .slice(0, TOP_REASONS)
      .map(({ open: _open, ...t }) => t);
  }

  private async workflowNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; name: string }>(`select id, config->>'name' as name from workflows where id = any($1::text[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name ?? '']));
  }
}

/** Balances from the embedded ledger and wallets (one query per ledger). */
function sandboxBalances(sandbox: Sandbox): BalanceReader {
  return {
    async accounts(keys) {
      const out = new Map<string, bigint>();
      const byLedger = new Map<string, Set<string>>();
      for (const k of keys) (byLedger.get(k.ledger) ?? byLedger.set(k.ledger, new Set()).get(k.ledger)!).add(k.address);
      for (const [ledger, addresses] of byLedger) {
        const volumes = await sandbox.ledger.loadVolumes(sandbox.db, ledger, [...addresses]);
        for (const k of keys.filter((k) => k.ledger === ledger)) {
          const v = volumes[k.address]?.[k.asset];
          out.set(accountBalanceKey(k.ledger, k.address, k.asset), v ? v.input - v.output : 0n);
        }
      }
      return out;
    },
    async wallet(ref, asset) {
      let id = ref.id;
      if (!id) {
        const found = await sandbox.wallets.listWallets({ name: ref.name ?? '', pageSize: 2 });
        if (found.data.length !== 1) return undefined;
        id = found.data[0]!.id;
      }
      const balance = await sandbox.wallets.getBalance(id, ref.balance);
      return balance ? (balance.assets[asset] ?? 0n) : undefined;
    },
  };
}
