import { json, type Queryable } from '../../store/db.js';
import { resolveStage, variablesOf } from '../../stages/index.js';

/**
 * The `send` stages that running instances have yet to run, resolved with each instance's
 * variables exactly as the engine will resolve them (server/stages), so the amounts, assets and
 * source accounts are the ones the sends will use.
 *
 * Pending: every send stage after the current stage, and the current stage when it is a send
 * that has not moved money yet (no money-moving activity of it has completed: a send retrying
 * for funds counts; one whose first transfer went through and whose second leg is retrying does
 * not, since its source has been drawn already).
 *
 * Instances are grouped in SQL by workflow, current stage, that "moved" flag and the variables
 * the workflow's sends use, so each group is resolved once: the work grows with the number of
 * distinct groups, not with the number of instances. Those are kept per running instance in
 * `overview_pending` (migration 010_overview_live) as the engine writes, so a request groups a
 * narrow table. The instance list's `pendingAsset` / `pendingSource` filters select the same
 * groups from the same rows, so its rows are exactly the ones counted. Instances of deleted
 * workflows are left out, as in the lists.
 */

export type SendSource =
  | { kind: 'account'; ledger: string; address: string; /** `world` or allowOverdraft: no balance to run out */ unbounded: boolean }
  | { kind: 'wallet'; id?: string; name?: string; balance: string }
  | { kind: 'payment'; id: string };

export interface PendingSend {
  asset: string;
  /** what this send moves for all the group's instances together */
  total: bigint;
  source: SendSource;
}

export interface PendingGroup {
  workflowID: string;
  /** the instances' current stage (-1: not started) */
  stage: number;
  moved: boolean;
  keys: string[];
  amountKeys: string[];
  /** the group's variables; `true` for an amount variable that holds a valid amount (summed in SQL) */
  vars: Record<string, string | true>;
  instances: number;
  exampleID: string;
  sends: PendingSend[];
  /** sends that cannot be resolved with these variables (they will fail): the validator's text */
  unresolved: string[];
}

/** The amount and asset of a payment (a `send` from a payment without an amount moves all of it). */
export type PaymentLookup = (id: string) => Promise<{ asset: string; amount: bigint } | null>;

/** Stable key of a source, used in the overview and in the list's `pendingSource` filter. */
export function sourceKey(s: SendSource): string {
  switch (s.kind) {
    case 'account':
      return `account:${s.ledger}:${s.address}`;
    case 'wallet':
      return s.id ? `wallet:${s.id}:${s.balance}` : `wallet-name:${s.name ?? ''}:${s.balance}`;
    case 'payment':
      return `payment:${s.id}`;
  }
}

export interface WorkflowSends {
  stages: Record<string, unknown>[];
  lastSend: number;
  keys: string[];
  /**
   * Variables used only as the whole amount of sends from accounts or wallets (`"${amount}"`):
   * instances whose value there is a valid amount are grouped together and their amounts summed
   * in SQL, so distinct amounts do not make distinct groups.
   */
  amountKeys: string[];
}

const isSend = (stage: unknown) => typeof stage === 'object' && stage !== null && 'send' in stage;

export class PendingSends {
  constructor(
    private readonly db: Queryable,
    private readonly payments?: PaymentLookup,
  ) {}

  /**
   * Every group of running instances with at least one send still to run, resolved. The groups
   * are `overview_pending_groups` (migration 010_overview_live), kept in step with the engine's
   * writes: a request reads a row per group (and its first instance, from an index) instead of
   * probing and projecting every running instance. An amount key missing from a group's sums
   * adds up to 0.
   */
  async groups(): Promise<PendingGroup[]> {
    const rows = await this.db.query<{
      workflow_id: string;
      stage: number;
      moved: boolean;
      vars: Record<string, string | true>;
      n: number;
      example: string;
      sums: Record<string, string> | null;
    }>(
      `select g.workflow_id, g.stage, g.moved, g.vars, g.n, g.sums,
              (select min(p.instance_id) from overview_pending p
               where p.workflow_id = g.workflow_id and p.stage = g.stage and p.moved = g.moved and p.grp = g.grp) as example
       from overview_pending_groups g where g.n > 0`,
    );
    if (rows.length === 0) return [];
    const workflows = await this.workflowsWithSends([...new Set(rows.map((r) => r.workflow_id))]);
    const payments = new Map<string, Promise<{ asset: string; amount: bigint } | null>>();
    const lookup = (id: string) => {
      if (!payments.has(id)) payments.set(id, this.payments ? this.payments(id).catch(() => null) : Promise.resolve(null));
      return payments.get(id)!;
    };
    const resolve = memoizedResolve();
    const out: PendingGroup[] = [];
    for (const r of rows) {
      const w = workflows.get(r.workflow_id);
      if (!w) continue;
      const sums = new Map(Object.entries(r.sums ?? {}).map(([k, v]) => [k, BigInt(v)]));
      const { sends, unresolved } = await resolvePending(w.stages, r.stage, r.moved, r.vars, r.n, sums, lookup, resolve);
      if (sends.length === 0 && unresolved.length === 0) continue;
      out.push({
        workflowID: r.workflow_id,
        stage: r.stage,
        moved: r.moved,
        keys: w.keys,
        amountKeys: w.amountKeys,
        vars: r.vars,
        instances: r.n,
        exampleID: r.example,
        sends,
        unresolved,
      });
    }
    return out;
  }

  /**
   * SQL condition on `i` (an instances row) for the list filter: running, with a pending send in
   * `asset` (drawn from the source `source`, a sourceKey, when given). Appends its parameter.
   * The same `overview_pending` rows as the figures, so the list shows exactly the rows counted.
   */
  async filterSql(asset: string, source: string | undefined, params: unknown[]): Promise<string> {
    const groups = (await this.groups()).filter((g) => g.sends.some((s) => s.asset === asset && (source === undefined || sourceKey(s.source) === source)));
    params.push(json(groups.map((g) => ({ workflow_id: g.workflowID, stage: g.stage, moved: g.moved, vars: g.vars }))));
    return `(not i.terminated and exists (
      select 1 from overview_pending p join jsonb_to_recordset($${params.length}::jsonb) as g(workflow_id text, stage int, moved boolean, vars jsonb)
        on g.workflow_id = p.workflow_id and g.stage = p.stage and g.moved = p.moved and g.vars = p.vars
      where p.instance_id = i.id))`;
  }

  /** The workflows `ids` with send stages: their stages and the variables their sends use. */
  async workflowsWithSends(ids: string[]): Promise<Map<string, WorkflowSends>> {
    const rows = await this.db.query<{ id: string; config: { stages?: unknown } }>(`select w.id, w.config from workflows w where w.id = any($1::text[])`, [ids]);
    return sendsOf(rows);
  }
}

/**
 * What pending sends need of each workflow definition: its stages, its last send, the variables
 * its sends use and, of them, the amount keys. The store computes the same from the definition
 * (`flows_send_keys`, migration 010_overview_live) to keep `overview_pending`; a test holds both
 * to the same answer.
 */
export function sendsOf(rows: { id: string; config: { stages?: unknown } }[]): Map<string, WorkflowSends> {
  const out = new Map<string, WorkflowSends>();
  for (const r of rows) {
    const stages = Array.isArray(r.config.stages) ? (r.config.stages as Record<string, unknown>[]) : [];
    let lastSend = -1;
    stages.forEach((s, i) => {
      if (isSend(s)) lastSend = i;
    });
    if (lastSend < 0) continue;
    const sends = stages.filter(isSend) as { send: { source?: Record<string, unknown>; amount?: { amount?: unknown } } }[];
    const keys = variablesOf(sends);
    const wholeAmount = (s: (typeof sends)[number]) => {
      const m = typeof s.send.amount?.amount === 'string' ? /^\$\{([^}]+)\}$/.exec(s.send.amount.amount) : null;
      return m && !s.send.source?.payment ? m[1] : undefined;
    };
    // used only as a whole amount: its sends, with that amount removed, do not mention it
    const amountKeys = keys.filter((key) =>
      sends.every((s) => {
        if (!variablesOf(s).includes(key)) return true;
        if (wholeAmount(s) !== key) return false;
        return !variablesOf({ ...s.send, amount: { ...s.send.amount, amount: '' } }).includes(key);
      }),
    );
    out.set(r.id, { stages, lastSend, keys, amountKeys });
  }
  return out;
}

type Resolve = (stage: unknown, vars: Record<string, string>) => ReturnType<typeof resolveStage>;

/** resolveStage, once per distinct definition and variables (workflows often share their sends). */
function memoizedResolve(): Resolve {
  const cache = new Map<string, ReturnType<typeof resolveStage>>();
  return (stage, vars) => {
    const key = `${JSON.stringify(stage)}\u0000${JSON.stringify(vars)}`;
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = resolveStage(stage, vars)));
    return hit;
  };
}

/**
 * The sends of `stages` still to run from `current` on, for `n` instances that resolve the same
 * with `vars` (`true`: an amount variable holding a valid amount, whose values add up to
 * `sums[key]` over these instances).
 */
export async function resolvePending(
  stages: Record<string, unknown>[],
  current: number,
  moved: boolean,
  vars: Record<string, string | true>,
  n: number,
  sums: Map<string, bigint>,
  payment: (id: string) => Promise<{ asset: string; amount: bigint } | null>,
  resolve: Resolve = resolveStage,
): Promise<{ sends: PendingSend[]; unresolved: string[] }> {
  const plain = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v === true ? '0' : v]));
  const sends: PendingSend[] = [];
  const unresolved: string[] = [];
  for (let s = Math.max(current, 0); s < stages.length; s++) {
    if (!isSend(stages[s]) || (s === current && moved)) continue;
    const resolved = resolve(stages[s], plain);
    if ('error' in resolved) {
      unresolved.push(resolved.error);
      continue;
    }
    const input = resolved.input as {
      source: { account?: { id: string; ledger: string; allowOverdraft: boolean }; wallet?: { id: string; name?: string; balance: string }; payment?: { id: string } };
      amount?: { asset: string; amount?: bigint };
    };
    const src = input.source;
    const source: SendSource = src.account
      ? { kind: 'account', ledger: src.account.ledger, address: src.account.id, unbounded: src.account.id === 'world' || src.account.allowOverdraft }
      : src.wallet
        ? { kind: 'wallet', ...(src.wallet.id ? { id: src.wallet.id } : { name: src.wallet.name ?? '' }), balance: src.wallet.balance }
        : { kind: 'payment', id: src.payment!.id };
    const raw = (stages[s] as { send: { amount?: { amount?: unknown } } }).send.amount?.amount;
    const summed = typeof raw === 'string' ? /^\$\{([^}]+)\}$/.exec(raw)?.[1] : undefined;
    let total: bigint | null = null;
    let asset = input.amount?.asset;
    if (summed !== undefined && vars[summed] === true) total = sums.get(summed) ?? 0n;
    else if (input.amount && input.amount.amount !== undefined) total = input.amount.amount * BigInt(n);
    else if (source.kind === 'payment') {
      const p = await payment(source.id);
      if (!p) {
        unresolved.push(`payment ${source.id} not found`);
        continue;
      }
      asset = p.asset;
      total = p.amount * BigInt(n);
    }
    if (total === null || asset === undefined) {
      unresolved.push('amount must be specified');
      continue;
    }
    sends.push({ asset, total, source });
  }
  return { sends, unresolved };
}
