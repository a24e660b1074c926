import { ApiError } from '../errors.js';
import type { AttentionThresholds, OverviewSource } from '../flows/overview/overview.js';
import { windowInfo } from '../flows/overview/overview.js';
import { isFailure, normalizeError } from '../flows/overview/normalize.js';
import type { AttentionFigures, Basis, FailuresFigures, MoneyFigures, NowFigures, RetryExample, RunsFigures, TriggerAttention } from '../flows/overview/shapes.js';
import { windowAt, type WindowKey } from '../flows/overview/windows.js';
import { durationMs, parseGoDuration } from '../../common/duration.js';
import type { ClientCredentialsTokenSource } from './token.js';

/**
 * The overview in remote mode. A Formance stack has no aggregates, and its Flows lists filter by
 * workflow and running state only, in no set order (docs/overview.md), so the console server
 * computes what it can from bounded scans of those lists, with its own token, and says on every
 * panel what the figures are based on:
 *
 * * up to 2,000 instances (20 pages of 100) for what ended, runs over time, durations and
 *   failures by reason — every instance when the stack has no more;
 * * up to 1,000 running instances (running=true) for the running count;
 * * up to 50 of them read one by one (instance, then its current stage's history) for waiting,
 *   delayed and retrying, and the long waits / retry streaks / far delays that need attention;
 * * up to 50 triggers and 100 occurrences each for the failing triggers.
 *
 * Money in flight is not available: the stack does not return an instance's variables, which
 * the sends' amounts and accounts come from.
 *
 * Why the console server rather than the browser: one scan serves every panel and every open
 * tab (cached a few seconds), the pages come straight from the stack rather than through the
 * proxy one by one, and the normalizer and aggregations are the server's own (the browser's
 * bundle stays as it is).
 */

const PAGE = 100;
const MAX_INSTANCE_PAGES = 20;
const MAX_RUNNING_PAGES = 10;
const MAX_DETAILS = 50;
const MAX_TRIGGERS = 50;
const CACHE_MS = 10_000;

interface StackInstance {
  id: string;
  workflowID: string;
  createdAt: string;
  terminated: boolean;
  terminatedAt?: string;
  error?: string;
  status?: { stage: number; startedAt: string; terminatedAt?: string; error?: string }[];
  workflow?: { config?: { name?: string; stages?: Record<string, unknown>[] } };
}

interface Scan<T> {
  items: T[];
  /** every item was read */
  complete: boolean;
}

/** What one running instance is doing, read from its current stage. */
interface Detail {
  instance: StackInstance;
  kind?: string;
  stage?: number;
  since?: string;
  waitingFor?: string;
  until?: string;
  retry?: { attempt: number; lastFailure?: string; nextExecution?: string };
}

const n = (v: number) => v.toLocaleString('en-US');
const outcomeOf = (i: StackInstance) => (!i.terminated ? 'running' : !i.error ? 'succeeded' : isFailure(i.error) ? 'failed' : 'aborted');

export class RemoteOverview implements OverviewSource {
  private cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly stackUrl: string,
    private readonly tokens?: ClientCredentialsTokenSource,
    private readonly doFetch: typeof fetch = fetch,
  ) {}

  private async get<T>(path: string): Promise<T> {
    const send = async (token?: string) =>
      this.doFetch(`${this.stackUrl}${path}`, {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
    let token = this.tokens ? await this.tokens.get() : undefined;
    let res = await send(token);
    if (res.status === 401 && this.tokens) {
      this.tokens.invalidate(token);
      token = await this.tokens.get();
      res = await send(token);
    }
    if (!res.ok) throw new ApiError(502, 'INTERNAL', `the stack answered HTTP ${res.status} on ${path.split('?')[0]}`);
    return (await res.json()) as T;
  }

  /** One scan shared by the panels for a few seconds. */
  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { at: Date.now(), value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  private scan<T>(path: string, maxPages: number): Promise<Scan<T>> {
    return this.cached(`${path}#${maxPages}`, async () => {
      const items: T[] = [];
      let next: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const sep = path.includes('?') ? '&' : '?';
        const body = await this.get<{ cursor: { data: T[]; hasMore: boolean; next?: string } }>(
          next ? `${path.split('?')[0]}?cursor=${encodeURIComponent(next)}` : `${path}${sep}pageSize=${PAGE}`,
        );
        items.push(...body.cursor.data);
        if (!body.cursor.hasMore || !body.cursor.next) return { items, complete: true };
        next = body.cursor.next;
      }
      return { items, complete: false };
    });
  }

  private instances() {
    return this.scan<StackInstance>('/api/orchestration/v2/instances', MAX_INSTANCE_PAGES);
  }

  private running() {
    return this.scan<StackInstance>('/api/orchestration/v2/instances?running=true', MAX_RUNNING_PAGES);
  }

  private instancesBasis(scan: Scan<StackInstance>): Basis {
    return scan.complete
      ? { complete: true, label: `all ${n(scan.items.length)} instances of the stack` }
      : { complete: false, label: `the first ${n(scan.items.length)} instances the stack lists (its list has no set order: newer runs may be missing)` };
  }

  /** The current stage of up to MAX_DETAILS running instances, read one by one (8 at a time). */
  private details(): Promise<{ details: Detail[]; running: Scan<StackInstance> }> {
    return this.cached('details', async () => {
      const running = await this.running();
      const picked = running.items.slice(0, MAX_DETAILS);
      const details: Detail[] = [];
      for (let i = 0; i < picked.length; i += 8) {
        details.push(...(await Promise.all(picked.slice(i, i + 8).map((r) => this.detail(r.id).catch(() => ({ instance: r }))))));
      }
      return { details, running };
    });
  }

  private async detail(id: string): Promise<Detail> {
    const { data: instance } = await this.get<{ data: StackInstance }>(`/api/orchestration/v2/instances/${encodeURIComponent(id)}`);
    const open = (instance.status ?? []).filter((s) => !s.terminatedAt).sort((a, b) => b.stage - a.stage)[0];
    if (!open) return { instance };
    const config = instance.workflow?.config?.stages?.[open.stage] ?? {};
    const kind = Object.keys(config)[0];
    const d: Detail = { instance, kind, stage: open.stage, since: open.startedAt };
    const spec = (config as Record<string, Record<string, unknown>>)[kind ?? ''] ?? {};
    if (kind === 'wait_event') d.waitingFor = String(spec.event ?? '');
    if (kind === 'delay') {
      const ns = typeof spec.duration === 'string' ? parseGoDuration(spec.duration) : null;
      const ms = ns !== null && ns >= 0n ? durationMs(ns) : null;
      d.until = typeof spec.until === 'string' ? new Date(spec.until).toISOString() : ms !== null ? new Date(Date.parse(open.startedAt) + ms).toISOString() : undefined;
    }
    if (kind === 'send') {
      const { data } = await this.get<{ data: { terminated: boolean; attempt?: number; lastFailure?: string; nextExecution?: string }[] }>(
        `/api/orchestration/v2/instances/${encodeURIComponent(id)}/stages/${open.stage}/history`,
      );
      const last = data.at(-1);
      if (last && !last.terminated && (last.lastFailure || (last.attempt ?? 1) > 1))
        d.retry = { attempt: last.attempt ?? 1, lastFailure: last.lastFailure, nextExecution: last.nextExecution };
    }
    return d;
  }

  private detailsBasis(details: Detail[], running: Scan<StackInstance>): string {
    return running.complete && details.length === running.items.length
      ? `all ${n(details.length)} running instances, each read in detail`
      : `${n(details.length)} running instances read in detail, of ${running.complete ? '' : 'at least '}${n(running.items.length)}`;
  }

  async now(key: WindowKey): Promise<NowFigures> {
    const w = windowAt(key);
    const [all, { details, running }] = await Promise.all([this.instances(), this.details()]);
    const ended = { succeeded: 0, failed: 0, aborted: 0 };
    for (const i of all.items) {
      if (!i.terminatedAt) continue;
      const at = Date.parse(i.terminatedAt);
      if (at < w.from.getTime() || at >= w.to.getTime()) continue;
      const o = outcomeOf(i);
      if (o !== 'running') ended[o]++;
    }
    const retries = details.filter((d) => d.retry);
    return {
      window: windowInfo(w),
      running: running.items.length,
      waiting: details.filter((d) => d.kind === 'wait_event').length,
      delayed: details.filter((d) => d.kind === 'delay').length,
      retrying: retries.length,
      ...ended,
      longestRetries: retries
        .sort((a, b) => b.retry!.attempt - a.retry!.attempt)
        .slice(0, 5)
        .map((d) => retryExample(d)),
      basis: {
        complete: all.complete && running.complete && details.length === running.items.length,
        label: `running: ${running.complete ? `all ${n(running.items.length)}` : `the first ${n(running.items.length)}`} running instances; waiting, delayed, retrying: ${this.detailsBasis(details, running)}; ended: ${this.instancesBasis(all).label}`,
      },
    };
  }

  async runs(key: WindowKey): Promise<RunsFigures> {
    const w = windowAt(key);
    const all = await this.instances();
    const buckets = w.buckets.map((start) => ({
      start: start.toISOString(),
      end: new Date(Math.min(start.getTime() + w.bucketSeconds * 1000, w.to.getTime())).toISOString(),
      running: 0,
      succeeded: 0,
      failed: 0,
      aborted: 0,
    }));
    const durations = new Map<string, { name: string; ms: number[] }>();
    for (const i of all.items) {
      const started = Date.parse(i.createdAt);
      if (started >= w.from.getTime() && started < w.to.getTime()) {
        const b = buckets[Math.floor((started - w.from.getTime()) / (w.bucketSeconds * 1000))];
        if (b) b[outcomeOf(i)]++;
      }
      if (outcomeOf(i) === 'succeeded' && i.terminatedAt) {
        const at = Date.parse(i.terminatedAt);
        if (at < w.from.getTime() || at >= w.to.getTime()) continue;
        const d = durations.get(i.workflowID) ?? durations.set(i.workflowID, { name: i.workflow?.config?.name ?? '', ms: [] }).get(i.workflowID)!;
        d.ms.push(at - started);
      }
    }
    const ranked = [...durations.entries()].sort((a, b) => b[1].ms.length - a[1].ms.length);
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * xs.length) - 1)]!;
    return {
      window: windowInfo(w),
      buckets,
      durations: ranked.slice(0, 10).map(([id, d]) => ({ workflowID: id, workflowName: d.name, runs: d.ms.length, medianMs: pct(d.ms, 0.5), p95Ms: pct(d.ms, 0.95) })),
      moreWorkflows: Math.max(0, ranked.length - 10),
      basis: this.instancesBasis(all),
    };
  }

  async failures(key: WindowKey): Promise<FailuresFigures> {
    const w = windowAt(key);
    const all = await this.instances();
    const groups = new Map<string, StackInstance[]>();
    for (const i of all.items) {
      if (!i.terminatedAt || !isFailure(i.error)) continue;
      const at = Date.parse(i.terminatedAt);
      if (at < w.from.getTime() || at >= w.to.getTime()) continue;
      const reason = normalizeError(i.error);
      (groups.get(reason) ?? groups.set(reason, []).get(reason)!).push(i);
    }
    const ranked = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    const rest = ranked.slice(20);
    return {
      window: windowInfo(w),
      total: ranked.reduce((s, [, g]) => s + g.length, 0),
      reasons: ranked.slice(0, 20).map(([reason, g]) => {
        const byEnd = [...g].sort((a, b) => a.terminatedAt!.localeCompare(b.terminatedAt!));
        const workflows = new Map<string, { workflowID: string; workflowName: string; count: number }>();
        for (const i of g) {
          const wf =
            workflows.get(i.workflowID) ??
            workflows.set(i.workflowID, { workflowID: i.workflowID, workflowName: i.workflow?.config?.name ?? '', count: 0 }).get(i.workflowID)!;
          wf.count++;
        }
        return {
          reason,
          count: g.length,
          firstSeen: new Date(byEnd[0]!.terminatedAt!).toISOString(),
          lastSeen: new Date(byEnd.at(-1)!.terminatedAt!).toISOString(),
          workflows: [...workflows.values()].sort((a, b) => b.count - a.count),
          exampleInstanceID: byEnd.at(-1)!.id,
        };
      }),
      more: { reasons: rest.length, failures: rest.reduce((s, [, g]) => s + g.length, 0) },
      basis: this.instancesBasis(all),
    };
  }

  async attention(t: AttentionThresholds): Promise<AttentionFigures> {
    const now = Date.now();
    const waitingSince = new Date(Math.floor((now - t.waitingLongerThan * 1000) / 1000) * 1000).toISOString();
    const resumesAfter = new Date(Math.floor((now + t.delayedBeyond * 1000) / 1000) * 1000).toISOString();
    const [{ details, running }, triggers] = await Promise.all([this.details(), this.failingTriggers()]);
    const example = (d: Detail) => ({ instanceID: d.instance.id, workflowID: d.instance.workflowID, workflowName: d.instance.workflow?.config?.name ?? '' });
    const waiting = details.filter((d) => d.kind === 'wait_event' && d.since && d.since < waitingSince).sort((a, b) => a.since!.localeCompare(b.since!));
    const retrying = details.filter((d) => d.retry && d.retry.attempt - 1 >= t.minRetries).sort((a, b) => b.retry!.attempt - a.retry!.attempt);
    const delayed = details.filter((d) => d.kind === 'delay' && d.until && d.until > resumesAfter).sort((a, b) => b.until!.localeCompare(a.until!));
    return {
      thresholds: { waitingLongerThan: t.waitingLabel, waitingSince, minRetries: t.minRetries, delayedBeyond: t.delayedLabel, resumesAfter },
      waiting: { count: waiting.length, examples: waiting.slice(0, 5).map((d) => ({ ...example(d), event: d.waitingFor ?? '', since: d.since! })) },
      retrying: { count: retrying.length, examples: retrying.slice(0, 5).map(retryExample) },
      delayed: { count: delayed.length, examples: delayed.slice(0, 5).map((d) => ({ ...example(d), until: d.until! })) },
      triggers: triggers.items,
      basis: {
        complete: running.complete && details.length === running.items.length && triggers.complete,
        label: `${this.detailsBasis(details, running)}; triggers: ${triggers.label}`,
      },
    };
  }

  async money(): Promise<MoneyFigures> {
    return {
      assets: [],
      unresolved: [],
      instances: 0,
      basis: { complete: false, label: 'a Formance stack does not return a run’s variables, which the sends’ amounts and accounts come from.', unavailable: true },
    };
  }

  private failingTriggers(): Promise<{ items: TriggerAttention[]; complete: boolean; label: string }> {
    return this.cached('triggers', async () => {
      const scan = await this.scan<{ id: string; name?: string; event: string; workflowID: string }>('/api/orchestration/v2/triggers', 1);
      const triggers = scan.items.slice(0, MAX_TRIGGERS);
      const items: TriggerAttention[] = [];
      for (const t of triggers) {
        const { cursor } = await this.get<{
          cursor: { data: { date: string; error?: string; workflowInstance?: { terminated: boolean; error?: string } }[]; hasMore: boolean };
        }>(`/api/orchestration/v2/triggers/${encodeURIComponent(t.id)}/occurrences?pageSize=${PAGE}`);
        // no set order upstream: newest first by date
        const occurrences = [...cursor.data].sort((a, b) => b.date.localeCompare(a.date));
        let streak = 0;
        for (const o of occurrences.slice(0, 10)) {
          const error = o.error ?? (o.workflowInstance?.terminated && isFailure(o.workflowInstance.error) ? o.workflowInstance.error : undefined);
          if (!error) break;
          streak++;
        }
        if (streak === 0) continue;
        const last = occurrences[0]!;
        items.push({
          triggerID: t.id,
          name: t.name ?? '',
          event: t.event,
          workflowID: t.workflowID,
          failedInARow: streak,
          lastError: last.error ?? last.workflowInstance?.error ?? '',
          lastAt: new Date(last.date).toISOString(),
        });
      }
      const complete = scan.complete && triggers.length === scan.items.length;
      return {
        items: items.sort((a, b) => b.failedInARow - a.failedInARow),
        complete,
        label: complete ? `all ${n(triggers.length)} triggers` : `the first ${n(triggers.length)} triggers`,
      };
    });
  }
}

function retryExample(d: Detail): RetryExample {
  return {
    instanceID: d.instance.id,
    workflowID: d.instance.workflowID,
    workflowName: d.instance.workflow?.config?.name ?? '',
    stage: d.stage ?? 0,
    failedAttempts: Math.max(0, (d.retry?.attempt ?? 1) - 1),
    ...(d.retry?.lastFailure ? { lastFailure: d.retry.lastFailure } : {}),
    ...(d.retry?.nextExecution ? { nextExecution: new Date(d.retry.nextExecution).toISOString() } : {}),
  };
}
