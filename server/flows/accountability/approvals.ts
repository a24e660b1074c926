import { randomUUID } from 'node:crypto';
import { actorLabel, type ActorKind } from '../../../common/roles.js';
import { ApiError, notFound, validation } from '../../errors.js';
import { checkRunValues } from '../../stages/index.js';
import { BatchReader } from '../../store/batch-reader.js';
import { json, type Db } from '../../store/db.js';
import { newestFirstPage, parseNewestFirstRequest, type NewestFirstPage } from '../../store/pagination.js';
import type { DryRunReport } from '../simulations.js';
import { recordInTransaction, SYSTEM_ACTOR } from './audit.js';
import { heldText, overLimits, plannedSends, type HeldBecause, type PlannedSend } from './sends.js';
import { expiryMs, SETTINGS_KEY, settingsFrom, type StoredSettings } from './settings.js';

/**
 * Four eyes (docs/accountability.md): a run of a workflow that requires approval, or whose sends
 * go over the settings' limit of an asset, is held as a request until a *different* signed-in
 * operator approves it (the run then starts with the requested variables) or rejects it with a
 * reason. A request nobody decides expires after the settings' `approvalExpiresAfter`.
 *
 * Requests and policies live in the console's own store (migration 006: `approvals`,
 * `workflow_policies`), so this works in both modes; {@link RunGateway} is what differs (the
 * embedded service, or the stack through the server's token).
 */

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';
export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];

export interface Person {
  kind: ActorKind;
  /** client id or person's name; '' for local */
  name: string;
}

export interface Approval {
  id: string;
  workflowID: string;
  workflowName: string;
  variables: Record<string, string>;
  /** why the run is held, one reason per rule it meets */
  heldBecause: (HeldBecause & { text: string })[];
  /** the sends the definition makes with these variables, as read when the run was requested */
  sends: PlannedSend[];
  requestedAt: string;
  requestedBy: Person & { label: string };
  expiresAt: string;
  /** `pending` past `expiresAt` reads `expired` */
  status: ApprovalStatus;
  decidedAt?: string;
  decidedBy?: Person & { label: string };
  /** the approver's note, or the rejection's reason */
  decisionReason?: string;
  /** the run an approval started */
  instanceID?: string;
  /** why an approved run could not start */
  error?: string;
}

/** What a workflow's runs are checked with, and how an approved one starts: per mode. */
export interface RunGateway {
  /** the workflow's name and stages; undefined when it is unknown or deleted (the run's own route answers) */
  definition(workflowID: string): Promise<{ name: string; stages: unknown } | undefined>;
  /** starts the run (the same checks as the API's run); its instance id */
  start(workflowID: string, variables: Record<string, string>): Promise<string>;
  /** what the run would do, computed now (the dry-run service) */
  dryRun(workflowID: string, variables: Record<string, string>): Promise<DryRunReport>;
}

export interface ApprovalPolicy {
  workflowID: string;
  requiresApproval: boolean;
  updatedAt?: string;
  updatedBy?: string;
}

const rfc3339 = (d: Date | string) => new Date(d).toISOString();
const MAX_REASON = 1_000;

function person(kind: string, name: string): Person & { label: string } {
  return { kind: kind as ActorKind, name, label: actorLabel(kind as ActorKind, name) };
}

function toApproval(r: Record<string, any>, now: Date): Approval {
  const status: ApprovalStatus = r.status === 'pending' && new Date(r.expires_at) <= now ? 'expired' : r.status;
  const a: Approval = {
    id: r.id,
    workflowID: r.workflow_id,
    workflowName: r.workflow_name,
    variables: r.variables ?? {},
    heldBecause: (r.held_because ?? []).map((h: HeldBecause) => ({ ...h, text: heldText(h) })),
    sends: r.sends ?? [],
    requestedAt: rfc3339(r.requested_at),
    requestedBy: person(r.requested_by_kind, r.requested_by),
    expiresAt: rfc3339(r.expires_at),
    status,
  };
  if (r.decided_at) a.decidedAt = rfc3339(r.decided_at);
  if (r.decided_by_kind) a.decidedBy = person(r.decided_by_kind, r.decided_by ?? '');
  if (r.decision_reason) a.decisionReason = r.decision_reason;
  if (r.instance_id) a.instanceID = r.instance_id;
  if (r.error) a.error = r.error;
  return a;
}

const conflict = (message: string) => new ApiError(409, 'CONFLICT', message);
const forbidden = (message: string) => new ApiError(403, 'FORBIDDEN', message);

/** An optional or required reason of a decision's body `{reason}`. */
export function parseDecision(body: unknown, reasonRequired: boolean): { reason?: string } {
  if (body === undefined || body === null) {
    if (reasonRequired) throw validation('reason: required (why the run is rejected)');
    return {};
  }
  if (typeof body !== 'object' || Array.isArray(body)) throw validation('request body: expected an object {reason}');
  const unknown = Object.keys(body).find((k) => k !== 'reason');
  if (unknown !== undefined) throw validation(`${JSON.stringify(unknown.slice(0, 60))}: unknown field (expected reason)`);
  const raw = (body as { reason?: unknown }).reason;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') throw validation('reason: expected a string');
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (reason.length > MAX_REASON) throw validation(`reason: at most ${MAX_REASON} characters`);
  if (reason === '') {
    if (reasonRequired) throw validation('reason: required (why the run is rejected)');
    return {};
  }
  return { reason };
}

export function parsePolicy(body: unknown): { requiresApproval: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validation('request body: expected an object {requiresApproval}');
  const unknown = Object.keys(body).find((k) => k !== 'requiresApproval');
  if (unknown !== undefined) throw validation(`${JSON.stringify(unknown.slice(0, 60))}: unknown field (expected requiresApproval)`);
  const value = (body as { requiresApproval?: unknown }).requiresApproval;
  if (typeof value !== 'boolean') throw validation('requiresApproval: expected true or false');
  return { requiresApproval: value };
}

export function parseStatusFilter(raw: string | undefined): ApprovalStatus | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(APPROVAL_STATUSES as readonly string[]).includes(raw)) throw validation(`status: expected one of ${APPROVAL_STATUSES.join(', ')}`);
  return raw as ApprovalStatus;
}

/** What decides whether a run of a workflow is held: the settings (limits) and its policy. */
interface RunRules {
  settings: StoredSettings;
  requiresApproval: boolean;
}

/**
 * The rules of many runs' workflows in one statement: every run request reads them, and two
 * statements per run (settings, policy) were a third of the statements a run costs. Always one
 * row, also without stored settings.
 */
async function readRunRules(db: Db, workflowIDs: string[]): Promise<RunRules[]> {
  const [row] = await db.query<{ value: unknown; updated_at: Date | null; updated_by: string | null; held: string[] }>(
    `select s.value, s.updated_at, s.updated_by,
            array(select workflow_id from workflow_policies where workflow_id = any($2::text[]) and requires_approval) as held
     from (select 1) one left join console_settings s on s.key = $1`,
    [SETTINGS_KEY, workflowIDs],
  );
  const settings = settingsFrom(row!.updated_at === null ? undefined : row);
  const held = new Set(row!.held);
  return workflowIDs.map((id) => ({ settings, requiresApproval: held.has(id) }));
}

export class Approvals {
  /** Concurrent run requests share the read of their rules (store/batch-reader.ts). */
  private readonly runRules: BatchReader<string, RunRules>;

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly gateway: RunGateway,
    private readonly now: () => Date = () => new Date(),
    /** recorded on the audit entries the server writes on its own */
    private readonly mode: 'embedded' | 'remote' = 'embedded',
  ) {
    this.runRules = new BatchReader(db, readRunRules);
  }

  async policy(workflowID: string): Promise<ApprovalPolicy> {
    const [row] = await (await this.db()).query(`select * from workflow_policies where workflow_id = $1`, [workflowID]);
    if (!row) return { workflowID, requiresApproval: false };
    return { workflowID, requiresApproval: row.requires_approval, updatedAt: rfc3339(row.updated_at), updatedBy: row.updated_by };
  }

  /** The workflows whose every run needs approval, by id (as many as there are: one row per such workflow). */
  async requiringApproval(): Promise<ApprovalPolicy[]> {
    const rows = await (await this.db()).query(`select * from workflow_policies where requires_approval order by workflow_id`);
    return rows.map((row) => ({ workflowID: row.workflow_id, requiresApproval: true, updatedAt: rfc3339(row.updated_at), updatedBy: row.updated_by }));
  }

  /** Sets a workflow's policy (404 for a workflow unknown or deleted). */
  async setPolicy(workflowID: string, requiresApproval: boolean, by: string): Promise<ApprovalPolicy> {
    if (!(await this.gateway.definition(workflowID))) throw notFound('Workflow not found');
    const [row] = await (
      await this.db()
    ).query(
      `insert into workflow_policies (workflow_id, requires_approval, updated_at, updated_by) values ($1, $2, $3, $4)
       on conflict (workflow_id) do update set requires_approval = excluded.requires_approval, updated_at = excluded.updated_at, updated_by = excluded.updated_by
       returning *`,
      [workflowID, requiresApproval, this.now(), by],
    );
    return { workflowID, requiresApproval: row.requires_approval, updatedAt: rfc3339(row.updated_at), updatedBy: row.updated_by };
  }

  /**
   * Holds the run when a rule says so: the request (pending), or undefined when the run may
   * start now (no rule applies, or the workflow is unknown: its route answers 404).
   */
  async holdIfNeeded(workflowID: string, variables: Record<string, string>, requester: Person): Promise<Approval | undefined> {
    const { settings, requiresApproval } = await this.runRules.get(workflowID);
    const hasLimits = Object.keys(settings.approvalLimits).length > 0;
    if (!requiresApproval && !hasLimits) return undefined;
    const definition = await this.gateway.definition(workflowID);
    // Unknown workflow, or variables its stages refuse: the run's own route answers (404, 400).
    if (!definition || checkRunValues(definition.stages, variables).length > 0) return undefined;
    const plan = plannedSends(definition.stages, variables);
    const held: HeldBecause[] = [...(requiresApproval ? [{ kind: 'workflow' as const }] : []), ...overLimits(plan, settings.approvalLimits)];
    if (held.length === 0) return undefined;
    const now = this.now();
    const [row] = await (
      await this.db()
    ).query(
      `insert into approvals (id, workflow_id, workflow_name, variables, held_because, sends, requested_at, requested_by_kind, requested_by, expires_at, status)
       values ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8, $9, $10, 'pending') returning *`,
      [
        randomUUID(),
        workflowID,
        definition.name,
        json(variables),
        json(held),
        json(plan.sends),
        now,
        requester.kind,
        requester.name,
        new Date(now.getTime() + expiryMs(settings)),
      ],
    );
    return toApproval(row, now);
  }

  async get(id: string): Promise<Approval> {
    const [row] = await (await this.db()).query(`select * from approvals where id = $1`, [id]);
    if (!row) throw notFound('Approval request not found');
    return toApproval(row, this.now());
  }

  /** The request with what its run would do now (dry-run on current balances). */
  async withDryRun(id: string): Promise<{ approval: Approval; dryRun?: DryRunReport; dryRunError?: string }> {
    const approval = await this.get(id);
    try {
      return { approval, dryRun: await this.gateway.dryRun(approval.workflowID, approval.variables) };
    } catch (err) {
      return { approval, dryRunError: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Newest first; `status` as the caller reads it (a pending one past its time is expired). */
  async list(query: { cursor?: string; pageSize?: string }, filters: { status?: ApprovalStatus; workflowID?: string }): Promise<NewestFirstPage<Approval>> {
    const req = parseNewestFirstRequest(query, filters, (raw) => ({
      ...(raw.status !== undefined ? { status: parseStatusFilter(String(raw.status)) } : {}),
      ...(typeof raw.workflowID === 'string' ? { workflowID: raw.workflowID } : {}),
    }));
    const now = this.now();
    const where: string[] = [];
    const params: unknown[] = [];
    const f = req.filters;
    if (f.status === 'pending') {
      params.push(now);
      where.push(`status = 'pending' and expires_at > $${params.length}`);
    } else if (f.status === 'expired') {
      // recorded by the sweep (expireDue), or past its time and not swept yet
      params.push(now);
      where.push(`(status = 'expired' or (status = 'pending' and expires_at <= $${params.length}))`);
    } else if (f.status) {
      params.push(f.status);
      where.push(`status = $${params.length}`);
    }
    if (f.workflowID) {
      params.push(f.workflowID);
      where.push(`workflow_id = $${params.length}`);
    }
    if (req.before !== undefined) {
      params.push(req.before);
      where.push(`seq < $${params.length}`);
    }
    params.push(req.pageSize + 1);
    const rows = await (
      await this.db()
    ).query<Record<string, any> & { seq: number }>(
      `select * from approvals ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc limit $${params.length}`,
      params,
    );
    return newestFirstPage(
      req,
      rows.map((r) => ({ ...r, seq: Number(r.seq) })),
      (r) => toApproval(r, now),
    );
  }

  /**
   * Approves a pending request and starts its run. The decision is committed first (once: a
   * concurrent decision or the expiry makes this a 409), then the run starts; a crash between the
   * two leaves an approved request without a run — never a run started twice.
   */
  async approve(id: string, decider: Person, reason?: string): Promise<Approval> {
    const approval = await this.decidable(id);
    if (decider.kind === 'local')
      throw forbidden(
        'four eyes needs sign-in: without AUTH_CLIENTS or AUTH_USERS every caller is "local, no sign-in", so nobody can be the second person (reject the request, or sign in)',
      );
    if (decider.kind === approval.requestedBy.kind && decider.name === approval.requestedBy.name)
      throw forbidden(`${approval.requestedBy.label} requested this run: a different person must approve it`);
    await this.claim(id, 'approved', decider, reason);
    const db = await this.db();
    try {
      const instanceID = await this.gateway.start(approval.workflowID, approval.variables);
      await db.query(`update approvals set instance_id = $2 where id = $1`, [id, instanceID]);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await db.query(`update approvals set error = $2 where id = $1`, [id, message.slice(0, MAX_REASON)]);
    }
    return this.get(id);
  }

  /**
   * Marks the pending requests past their time `expired` and records one audit entry for each,
   * by the console server itself, in the same transaction: the conditional UPDATE claims each
   * row once, so two servers on one database, or a sweep repeated after a restart, never record
   * an expiry twice (a concurrent sweep waits on the row, then no longer finds it pending).
   * A request reads `expired` from its `expiresAt` on, swept or not.
   */
  async expireDue(): Promise<Approval[]> {
    const now = this.now();
    return (await this.db()).transaction(async (tx) => {
      const rows = await tx.query(`update approvals set status = 'expired' where status = 'pending' and expires_at <= $1 returning *`, [now]);
      await recordInTransaction(
        tx,
        rows.map((r) => ({
          entry: {
            actor: SYSTEM_ACTOR,
            action: 'approval.expire',
            target: { type: 'approval', id: r.id },
            requestId: `expiry-${r.id}`,
            method: '',
            path: '',
            mode: this.mode,
            details: {
              workflowID: r.workflow_id,
              workflowName: r.workflow_name,
              expiresAt: rfc3339(r.expires_at),
              requestedBy: actorLabel(r.requested_by_kind, r.requested_by),
            },
          },
          // The workflow as the entry's result: its page's Activity and a filter by its id find the expiry.
          outcome: { outcome: 'succeeded' as const, status: 200, answeredBy: 'console' as const, result: { type: 'workflow', id: r.workflow_id } },
        })),
        now,
      );
      return rows.map((r) => toApproval(r, now));
    });
  }

  /** Rejects a pending request (its requester may withdraw it this way too). */
  async reject(id: string, decider: Person, reason: string): Promise<Approval> {
    await this.decidable(id);
    await this.claim(id, 'rejected', decider, reason);
    return this.get(id);
  }

  private async decidable(id: string): Promise<Approval> {
    const approval = await this.get(id);
    if (approval.status !== 'pending')
      throw conflict(`this request is already ${approval.status}${approval.decidedBy ? ` (by ${approval.decidedBy.label})` : ''}: nothing was done`);
    return approval;
  }

  private async claim(id: string, status: 'approved' | 'rejected', decider: Person, reason: string | undefined): Promise<void> {
    const now = this.now();
    const rows = await (
      await this.db()
    ).query(
      `update approvals set status = $2, decided_at = $3, decided_by_kind = $4, decided_by = $5, decision_reason = $6
       where id = $1 and status = 'pending' and expires_at > $3 returning id`,
      [id, status, now, decider.kind, decider.name, reason ?? null],
    );
    if (rows.length === 0) {
      const current = await this.get(id);
      throw conflict(`this request is already ${current.status}: nothing was done`);
    }
  }
}
