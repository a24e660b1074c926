import type { Queryable } from '../../store/db.js';
import type { DelayedExample, RetryExample, WaitingExample } from './shapes.js';

/** How many examples each live figure lists. */
export const EXAMPLES = 5;

/** Thresholds of the live figures (absent: the state alone, as Now counts it). */
export interface LiveThresholds {
  /** waiting instances whose current stage started before this instant */
  waitingSince?: string;
  /** retrying instances with more failed attempts than this */
  minRetries?: number;
  /** delayed instances resuming after this instant */
  resumesAfter?: string;
}

export interface LiveFigures {
  waiting: { count: number; examples: WaitingExample[] };
  retrying: { count: number; examples: RetryExample[] };
  delayed: { count: number; examples: DelayedExample[] };
}

/**
 * The live figures (waiting for an event, delayed, retrying, each with thresholds) from
 * `overview_live` (migration 010_overview_live), which the store keeps in step with the engine's
 * writes: one statement (one snapshot) counts its few thousand narrow rows and takes each
 * figure's first examples from that figure's index (a top-N, not a sort), then reads the examples'
 * details. The conditions are the instance list's (`state`, `stageStartedBefore`, `minRetries`,
 * `resumesAfter`): server/flows/overview/live.test.ts compares both on random states.
 *
 * Examples: waiting, longest first (current stage's start, then seq); retrying, most attempts
 * first (an instance once, with its activity of most attempts); delayed, resuming last first.
 * An instance without a start or a resume date to show (no stage row, no task: the engine does not
 * leave them so) is counted, not shown.
 */
export async function liveFigures(db: Queryable, t: LiveThresholds): Promise<LiveFigures> {
  const params: unknown[] = [];
  const $ = (v: unknown) => `$${params.push(v)}`;
  const waiting = t.waitingSince === undefined ? 'waiting' : `waiting and stage_started < ${$(t.waitingSince)}::timestamptz`;
  const retrying = t.minRetries === undefined ? 'retry_attempt is not null' : `retry_attempt is not null and retry_attempt > ${$(t.minRetries)}::int`;
  const delayed = t.resumesAfter === undefined ? 'delayed' : `delayed and resumes_at > ${$(t.resumesAfter)}::timestamptz`;
  const examples = (where: string, order: string, detail: string, join: string) =>
    `(select coalesce(json_agg(x order by x.ord), '[]') from (
       select l.ord, l.instance_id as id, l.workflow_id, w.config->>'name' as name, ${detail}
       from (select *, row_number() over (order by ${order}) as ord from overview_live where ${where} order by ${order} limit ${EXAMPLES}) l
       join workflows w on w.id = l.workflow_id ${join}) x)`;
  const [row] = await db.query<{ counts: { w: number; r: number; d: number }; we: any[]; re: any[]; de: any[] }>(
    `select
       (select json_build_object('w', count(*) filter (where ${waiting}), 'r', count(*) filter (where ${retrying}), 'd', count(*) filter (where ${delayed}))
        from overview_live) as counts,
       ${examples(`${waiting} and stage_started is not null`, 'stage_started, seq', `i.waiting_event as event, l.stage_started as since`, 'join instances i on i.id = l.instance_id')} as we,
       ${examples(
         retrying,
         'retry_attempt desc, seq',
         'a.stage, a.attempt, a.last_failure, a.next_execution',
         `join instances i on i.id = l.instance_id
          cross join lateral (
            select a.stage, a.attempt, a.last_failure, a.next_execution from activities a
            where a.instance_id = l.instance_id and a.stage = i.current_stage and not a.terminated and a.next_execution is not null
            order by a.attempt desc, a.seq limit 1) a`,
       )} as re,
       ${examples(`${delayed} and resumes_at is not null`, 'resumes_at desc, seq', 'l.resumes_at as until', '')} as de`,
    params,
  );
  const iso = (v: string) => new Date(v).toISOString();
  const example = (r: any) => ({ instanceID: r.id, workflowID: r.workflow_id, workflowName: r.name ?? '' });
  return {
    waiting: { count: row!.counts.w, examples: row!.we.map((r): WaitingExample => ({ ...example(r), event: r.event ?? '', since: iso(r.since) })) },
    retrying: {
      count: row!.counts.r,
      examples: row!.re.map((r): RetryExample => ({
        ...example(r),
        stage: r.stage,
        failedAttempts: r.attempt - 1,
        ...(r.last_failure ? { lastFailure: r.last_failure } : {}),
        ...(r.next_execution ? { nextExecution: iso(r.next_execution) } : {}),
      })),
    },
    delayed: { count: row!.counts.d, examples: row!.de.map((r): DelayedExample => ({ ...example(r), until: iso(r.until) })) },
  };
}
