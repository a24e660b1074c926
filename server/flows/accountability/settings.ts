import { checkApprovalExpiry, limitAmountProblem, limitAssetProblem } from '../../../common/approval-settings.js';
import { formatGoDuration, parseGoDuration } from '../../../common/duration.js';
import { validation } from '../../errors.js';
import { json, type Db, type Queryable } from '../../store/db.js';

/**
 * The console's own settings, kept by the server (console store, table `console_settings`) so
 * they hold for everyone, the API included (docs/accountability.md):
 *
 * * `requireReason` — aborting an instance, deleting a workflow or a trigger needs a reason
 *   (`X-Audit-Reason`); without it they are refused with 400.
 * * `approvalExpiresAfter` — how long a run waiting for approval stays open (Go duration).
 * * `approvalLimits` — asset → amount in minor units: a run whose sends move more than that of
 *   the asset in total is held for approval (four eyes).
 */
export interface AccountabilitySettings {
  requireReason: boolean;
  approvalExpiresAfter: string;
  approvalLimits: Record<string, string>;
}

export interface StoredSettings extends AccountabilitySettings {
  /** RFC 3339; absent while the defaults were never changed */
  updatedAt?: string;
  /** who changed them last ("alice", "client ops-bot", "local, no sign-in") */
  updatedBy?: string;
}

export const DEFAULT_SETTINGS: AccountabilitySettings = { requireReason: false, approvalExpiresAfter: '24h0m0s', approvalLimits: {} };

/** The row of `console_settings` that holds them. */
export const SETTINGS_KEY = 'accountability';
const FIELDS = ['requireReason', 'approvalExpiresAfter', 'approvalLimits'];

/** A patch of settings from a request body: checked field by field, nothing unknown. */
export function parseSettingsPatch(body: unknown): Partial<AccountabilitySettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw validation('request body: expected an object {requireReason?, approvalExpiresAfter?, approvalLimits?}');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) throw validation(`${JSON.stringify(unknown.slice(0, 60))}: unknown setting (expected ${FIELDS.join(', ')})`);
  const out: Partial<AccountabilitySettings> = {};
  if (b.requireReason !== undefined) {
    if (typeof b.requireReason !== 'boolean') throw validation('requireReason: expected true or false');
    out.requireReason = b.requireReason;
  }
  if (b.approvalExpiresAfter !== undefined) {
    const checked = typeof b.approvalExpiresAfter === 'string' ? checkApprovalExpiry(b.approvalExpiresAfter) : checkApprovalExpiry('');
    if ('problem' in checked) throw validation(`approvalExpiresAfter: ${checked.problem}`);
    out.approvalExpiresAfter = formatGoDuration(checked.ns);
  }
  if (b.approvalLimits !== undefined) {
    const limits = b.approvalLimits;
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) throw validation('approvalLimits: expected an object of asset → amount');
    const checked: Record<string, string> = {};
    for (const [asset, amount] of Object.entries(limits)) {
      const assetProblem = limitAssetProblem(asset);
      if (assetProblem) throw validation(`approvalLimits.${asset.slice(0, 40)}: ${assetProblem}`);
      const text = typeof amount === 'number' && Number.isSafeInteger(amount) ? String(amount) : typeof amount === 'string' ? amount : '';
      const amountProblem = limitAmountProblem(text);
      if (amountProblem) throw validation(`approvalLimits.${asset}: ${amountProblem}`);
      checked[asset] = BigInt(text).toString();
    }
    out.approvalLimits = checked;
  }
  return out;
}

/** The settings as stored (defaults where never set). */
export async function readSettings(q: Queryable): Promise<StoredSettings> {
  const [row] = await q.query(`select value, updated_at, updated_by from console_settings where key = $1`, [SETTINGS_KEY]);
  return settingsFrom(row);
}

export function settingsFrom(row: Record<string, any> | undefined): StoredSettings {
  if (!row) return { ...DEFAULT_SETTINGS };
  const v = (row.value ?? {}) as Partial<AccountabilitySettings>;
  return {
    requireReason: v.requireReason ?? DEFAULT_SETTINGS.requireReason,
    approvalExpiresAfter: v.approvalExpiresAfter ?? DEFAULT_SETTINGS.approvalExpiresAfter,
    approvalLimits: v.approvalLimits ?? {},
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}

/** Applies a patch atomically (concurrent patches of different fields both land). */
export async function updateSettings(db: Db, patch: Partial<AccountabilitySettings>, by: string): Promise<StoredSettings> {
  return db.transaction(async (tx) => {
    await tx.query(`insert into console_settings (key, value, updated_at, updated_by) values ($1, '{}'::jsonb, $2, $3) on conflict (key) do nothing`, [
      SETTINGS_KEY,
      new Date(),
      by,
    ]);
    const [row] = await tx.query(`select value from console_settings where key = $1 for update`, [SETTINGS_KEY]);
    const next = { ...DEFAULT_SETTINGS, ...(row?.value ?? {}), ...patch };
    const [saved] = await tx.query(`update console_settings set value = $2::jsonb, updated_at = $3, updated_by = $4 where key = $1 returning *`, [
      SETTINGS_KEY,
      json(next),
      new Date(),
      by,
    ]);
    return settingsFrom(saved);
  });
}

/** Milliseconds of the expiry setting. */
export function expiryMs(settings: AccountabilitySettings): number {
  const ns = parseGoDuration(settings.approvalExpiresAfter);
  return ns === null ? 24 * 3600_000 : Number(ns / 1_000_000n);
}
