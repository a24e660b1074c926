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

const KEY = 'accountability';
const MIN_EXPIRY_MS = 60_000;
const MAX_EXPIRY_MS = 30 * 24 * 3600_000;
/** Assets as the ledger writes them: `USD/2`, `EUR`, `BTC/8`. */
const ASSET = /^[A-Z][A-Z0-9]{0,16}(\/\d{1,6})?$/;
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
    const ns = typeof b.approvalExpiresAfter === 'string' ? parseGoDuration(b.approvalExpiresAfter) : null;
    const ms = ns === null ? null : Number(ns / 1_000_000n);
    if (ms === null) throw validation(`approvalExpiresAfter: expected a duration such as '24h' or '90m'`);
    if (ms < MIN_EXPIRY_MS || ms > MAX_EXPIRY_MS) throw validation('approvalExpiresAfter: must be between 1m and 720h (30 days)');
    out.approvalExpiresAfter = formatGoDuration(ns!);
  }
  if (b.approvalLimits !== undefined) {
    const limits = b.approvalLimits;
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) throw validation('approvalLimits: expected an object of asset → amount');
    const checked: Record<string, string> = {};
    for (const [asset, amount] of Object.entries(limits)) {
      if (!ASSET.test(asset)) throw validation(`approvalLimits.${asset.slice(0, 40)}: expected an asset such as USD/2 or EUR`);
      const text = typeof amount === 'number' && Number.isSafeInteger(amount) ? String(amount) : typeof amount === 'string' ? amount : '';
      if (!/^\d{1,78}$/.test(text)) throw validation(`approvalLimits.${asset}: expected a whole amount in minor units (e.g. 100000 for 1,000.00 USD/2)`);
      checked[asset] = BigInt(text).toString();
    }
    out.approvalLimits = checked;
  }
  return out;
}

/** The settings as stored (defaults where never set). */
export async function readSettings(q: Queryable): Promise<StoredSettings> {
  const [row] = await q.query(`select value, updated_at, updated_by from console_settings where key = $1`, [KEY]);
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
      KEY,
      new Date(),
      by,
    ]);
    const [row] = await tx.query(`select value from console_settings where key = $1 for update`, [KEY]);
    const next = { ...DEFAULT_SETTINGS, ...(row?.value ?? {}), ...patch };
    const [saved] = await tx.query(`update console_settings set value = $2::jsonb, updated_at = $3, updated_by = $4 where key = $1 returning *`, [
      KEY,
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
