import { randomUUID } from 'node:crypto';
import type { Access, ActorKind } from '../../../common/roles.js';
import { validation } from '../../errors.js';
import { BatchWriter } from '../../store/batch-writer.js';
import { json, type Db, type Queryable } from '../../store/db.js';
import { newestFirstPage, parseNewestFirstRequest, type NewestFirstPage } from '../../store/pagination.js';

/**
 * The audit log (docs/accountability.md): who did what, to what, when, why, and how it ended.
 *
 * Two append-only tables (migration 006: triggers refuse UPDATE, DELETE and TRUNCATE):
 * an **entry**, committed before the action it records starts, and at most one **outcome**,
 * committed once the action has answered and before the caller gets that answer. An action
 * therefore never happens without its entry; an entry without an outcome means the server
 * stopped (or the database failed) between the two — the action may or may not have happened,
 * and the log says exactly that ("outcome not recorded"). Refusals (a role, a scope, a missing
 * reason, a run that needs approval) are written as an entry and its outcome together.
 *
 * Writes are group-committed (store/batch-writer.ts): concurrent requests share transactions.
 */

export type Outcome = 'succeeded' | 'refused' | 'failed';

export interface Actor {
  kind: ActorKind;
  /** client id or person's name; '' for local */
  name: string;
  access: Access;
  via: 'token' | 'session' | 'none';
}

export interface NewEntry {
  actor: Actor;
  /** `instance.abort`, `workflow.create`, … (http/access-rules.ts names them) */
  action: string;
  target: { type: string; id: string };
  reason?: string;
  requestId: string;
  method: string;
  path: string;
  mode: 'embedded' | 'remote';
  details?: Record<string, unknown>;
}

export interface NewOutcome {
  outcome: Outcome;
  status: number;
  errorCode?: string;
  errorMessage?: string;
  /** who answered: this server, or (remote mode) the stack behind it */
  answeredBy: 'console' | 'stack';
  /** what the action created (a run's instance, a new workflow's id) */
  result?: { type: string; id: string };
}

export interface AuditRecord {
  id: string;
  seq: number;
  at: string;
  actor: Actor;
  action: string;
  target: { type: string; id: string };
  reason?: string;
  requestId: string;
  method: string;
  path: string;
  mode: 'embedded' | 'remote';
  details: Record<string, unknown>;
  /** absent: not recorded (the request is in flight, or the server stopped before it answered) */
  outcome?: NewOutcome & { at: string };
}

export interface AuditFilters {
  actor?: string;
  /** an action (`instance.abort`) or a family (`instance`) */
  action?: string;
  targetType?: string;
  /** the target, or what the action created (a run's instance) */
  targetId?: string;
  /** `unknown`: no outcome recorded */
  outcome?: Outcome | 'unknown';
  requestId?: string;
  /** RFC 3339, inclusive */
  since?: string;
  /** RFC 3339, exclusive */
  until?: string;
}

export type AuditPage = NewestFirstPage<AuditRecord>;

const LIMITS = { name: 200, path: 500, reason: 1000, message: 1000, id: 300, details: 8_000 };

/** Text the database can store (no NUL, no unpaired surrogate), bounded. */
export function storable(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text refuses
  const clean = value.replace(/\u0000/g, '\uFFFD').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function storableDetails(details: Record<string, unknown> | undefined): string {
  const text = json(details ?? {});
  if (text.length <= LIMITS.details) return storable(text, Infinity);
  return json({ truncated: true, preview: storable(text, 2_000) });
}

type Item = { entry?: NewEntry & { id: string; at: Date }; outcome?: NewOutcome & { entryId: string; at: Date } };

/**
 * One statement per batch, entries and outcomes together: atomic on its own, so no transaction
 * around it (a run request waits for two of these; with `begin`/`commit` each cost four round
 * trips). A refusal's outcome may go with its own entry: the foreign key is checked at the end
 * of the statement, when both rows are in.
 */
async function writeItems(q: Queryable, items: Item[]): Promise<void> {
  const entries = items.flatMap((i) => (i.entry ? [i.entry] : []));
  const outcomes = items.flatMap((i) => (i.outcome ? [i.outcome] : []));
  const entryRows = entries.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    actor_kind: e.actor.kind,
    actor: storable(e.actor.name, LIMITS.name),
    access: e.actor.access,
    via: e.actor.via,
    action: e.action,
    target_type: e.target.type,
    target_id: storable(e.target.id, LIMITS.id),
    reason: e.reason === undefined ? null : storable(e.reason, LIMITS.reason),
    request_id: storable(e.requestId, LIMITS.name),
    method: e.method,
    path: storable(e.path, LIMITS.path),
    mode: e.mode,
    details: storableDetails(e.details),
  }));
  const outcomeRows = outcomes.map((o) => ({
    entry_id: o.entryId,
    at: o.at.toISOString(),
    outcome: o.outcome,
    status: o.status,
    error_code: o.errorCode === undefined ? null : storable(o.errorCode, LIMITS.name),
    error_message: o.errorMessage === undefined ? null : storable(o.errorMessage, LIMITS.message),
    answered_by: o.answeredBy,
    result_type: o.result?.type ?? null,
    result_id: o.result ? storable(o.result.id, LIMITS.id) : null,
  }));
  await q.query(
    `with entries as (
       insert into audit_entries (id, at, actor_kind, actor, access, via, action, target_type, target_id, reason, request_id, method, path, mode, details)
       select id, at, actor_kind, actor, access, via, action, target_type, target_id, reason, request_id, method, path, mode, details::jsonb
       from jsonb_to_recordset($1::jsonb) as r(id text, at timestamptz, actor_kind text, actor text, access text, via text, action text,
         target_type text, target_id text, reason text, request_id text, method text, path text, mode text, details text)),
     outcomes as (
       insert into audit_outcomes (entry_id, at, outcome, status, error_code, error_message, answered_by, result_type, result_id)
       select * from jsonb_to_recordset($2::jsonb) as r(entry_id text, at timestamptz, outcome text, status integer, error_code text,
         error_message text, answered_by text, result_type text, result_id text))
     select 1`,
    [json(entryRows), json(outcomeRows)],
  );
}

/** Who the log names for what the console server does on its own (an approval request's expiry). */
export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'console', access: 'full', via: 'none' };

/**
 * Records actions and their outcomes in the caller's transaction, for what the server does on its
 * own: the change and its record then commit together, or neither does.
 */
export async function recordInTransaction(tx: Queryable, records: { entry: NewEntry; outcome: NewOutcome }[], at: Date): Promise<void> {
  if (records.length === 0) return;
  await writeItems(
    tx,
    records.map(({ entry, outcome }) => {
      const id = randomUUID();
      return { entry: { ...entry, id, at }, outcome: { ...outcome, entryId: id, at } };
    }),
  );
}

const rfc3339 = (d: Date | string) => new Date(d).toISOString();

function toRecord(r: Record<string, any>): AuditRecord {
  const record: AuditRecord = {
    id: r.id,
    seq: Number(r.seq),
    at: rfc3339(r.at),
    actor: { kind: r.actor_kind, name: r.actor, access: r.access, via: r.via },
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    requestId: r.request_id,
    method: r.method,
    path: r.path,
    mode: r.mode,
    details: r.details ?? {},
  };
  if (r.reason !== null) record.reason = r.reason;
  if (r.o_at !== null && r.o_at !== undefined) {
    record.outcome = { at: rfc3339(r.o_at), outcome: r.outcome, status: r.status, answeredBy: r.answered_by };
    if (r.error_code !== null) record.outcome.errorCode = r.error_code;
    if (r.error_message !== null) record.outcome.errorMessage = r.error_message;
    if (r.result_type !== null) record.outcome.result = { type: r.result_type, id: r.result_id };
  }
  return record;
}

const FILTER_KEYS = ['actor', 'action', 'targetType', 'targetId', 'outcome', 'requestId', 'since', 'until'] as const;
const OUTCOMES = ['succeeded', 'refused', 'failed', 'unknown'];

/** Filters from query parameters (or a cursor's), checked: a message naming the parameter. */
export function parseAuditFilters(get: (name: string) => string | undefined): AuditFilters {
  const out: AuditFilters = {};
  for (const key of FILTER_KEYS) {
    const raw = get(key);
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string') throw validation(`${key}: expected a string`);
    if (raw.length > LIMITS.id) throw validation(`${key}: at most ${LIMITS.id} characters`);
    if (key === 'outcome' && !OUTCOMES.includes(raw)) throw validation(`outcome: expected one of ${OUTCOMES.join(', ')}, got '${raw.slice(0, 40)}'`);
    if ((key === 'since' || key === 'until') && Number.isNaN(Date.parse(raw))) throw validation(`${key}: expected an RFC 3339 date-time, got '${raw.slice(0, 40)}'`);
    // eslint-disable-next-line no-control-regex -- text the database cannot compare
    if (/\u0000/.test(raw)) throw validation(`${key}: must not contain NUL characters`);
    (out as Record<string, string>)[key] = raw;
  }
  return out;
}

function whereOf(f: AuditFilters, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.actor !== undefined) add((p) => `e.actor = ${p}`, f.actor);
  if (f.action !== undefined) {
    params.push(f.action, `${f.action.replace(/[\\%_]/g, (ch) => `\\${ch}`)}.%`);
    where.push(`(e.action = $${params.length - 1} or e.action like $${params.length})`);
  }
  if (f.targetType !== undefined && f.targetId !== undefined) {
    params.push(f.targetType, f.targetId);
    const [t, i] = [`$${params.length - 1}`, `$${params.length}`];
    where.push(`((e.target_type = ${t} and e.target_id = ${i}) or (o.result_type = ${t} and o.result_id = ${i}))`);
  } else if (f.targetType !== undefined) {
    add((p) => `(e.target_type = ${p} or o.result_type = ${p})`, f.targetType);
  } else if (f.targetId !== undefined) {
    add((p) => `(e.target_id = ${p} or o.result_id = ${p})`, f.targetId);
  }
  if (f.outcome === 'unknown') where.push('o.entry_id is null');
  else if (f.outcome !== undefined) add((p) => `o.outcome = ${p}`, f.outcome);
  if (f.requestId !== undefined) add((p) => `e.request_id = ${p}`, f.requestId);
  if (f.since !== undefined) add((p) => `e.at >= ${p}`, new Date(f.since));
  if (f.until !== undefined) add((p) => `e.at < ${p}`, new Date(f.until));
  return where.length ? where.join(' and ') : 'true';
}

const SELECT = `select e.*, o.at as o_at, o.outcome, o.status, o.error_code, o.error_message, o.answered_by, o.result_type, o.result_id
  from audit_entries e left join audit_outcomes o on o.entry_id = e.id`;

export class AuditLog {
  private readonly writer: BatchWriter<Item>;

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.writer = new BatchWriter(db, writeItems, { singleStatement: true });
  }

  /** Records an action about to start; resolves with the entry's id once it is committed. */
  async begin(entry: NewEntry): Promise<string> {
    const id = randomUUID();
    await this.writer.add({ entry: { ...entry, id, at: this.now() } });
    return id;
  }

  /** Records how the action of entry `id` ended; resolves once committed. */
  async finish(id: string, outcome: NewOutcome): Promise<void> {
    await this.writer.add({ outcome: { ...outcome, entryId: id, at: this.now() } });
  }

  /** An action and its outcome at once (refusals, decided before anything happens). */
  async record(entry: NewEntry, outcome: NewOutcome): Promise<string> {
    const id = randomUUID();
    const at = this.now();
    await this.writer.add({ entry: { ...entry, id, at }, outcome: { ...outcome, entryId: id, at } });
    return id;
  }

  /** Newest first; `cursor` (from a previous page) carries the filters. */
  async list(query: { cursor?: string; pageSize?: string }, filters: AuditFilters): Promise<AuditPage> {
    const req = parseNewestFirstRequest(query, filters, (raw) => {
      if (Object.keys(raw).some((k) => !(FILTER_KEYS as readonly string[]).includes(k))) throw new Error('unexpected filter');
      return parseAuditFilters((k) => raw[k] as string | undefined);
    });
    const rows = await this.select(req.filters, req.before, req.pageSize + 1);
    return newestFirstPage(req, rows, toRecord);
  }

  private async select(filters: AuditFilters, before: number | undefined, limit: number): Promise<(Record<string, any> & { seq: number })[]> {
    const params: unknown[] = [];
    const where = whereOf(filters, params);
    if (before !== undefined) params.push(before);
    params.push(limit);
    const rows = await (
      await this.db()
    ).query(`${SELECT} where ${where}${before !== undefined ? ` and e.seq < $${params.length - 1}` : ''} order by e.seq desc limit $${params.length}`, params);
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Every matching record, newest first, in batches (exports). */
  async *all(filters: AuditFilters, batch = 500): AsyncGenerator<AuditRecord[]> {
    let before: number | undefined;
    for (;;) {
      const rows = await this.select(filters, before, batch);
      if (rows.length === 0) return;
      yield rows.map(toRecord);
      if (rows.length < batch) return;
      before = rows[rows.length - 1]!.seq;
    }
  }
}
