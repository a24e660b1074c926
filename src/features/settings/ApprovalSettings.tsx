import { useId, useState } from 'react';
import { checkApprovalExpiry, limitAmountProblem, limitAssetProblem } from '../../../common/approval-settings';
import type { ConsoleSettingsPatch } from '../../api/types';
import { ApiError, errorText } from '../../api/errors';
import { useUpdateConsoleSettings } from '../../api/access';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { WithReason } from '../../components/WithReason';
import { cn } from '../../lib/cn';
import { formatMoney } from '../../lib/money';

type Row = { key: number; asset: string; amount: string };
/** Field errors by field: `expiry`, `asset:<row key>`, `amount:<row key>`; `form` for the rest. */
type Errors = Record<string, string>;

let nextKey = 0;
const row = (asset = '', amount = ''): Row => ({ key: nextKey++, asset, amount });
const rowsOf = (limits: Record<string, string>): Row[] => Object.entries(limits).map(([asset, amount]) => row(asset, amount));

/** What the server keeps, as the form reads it. */
type Saved = { limits: Record<string, string>; expiresAfter: string };

const sameSaved = (a: Saved, b: Saved) => a.expiresAfter === b.expiresAfter && JSON.stringify(Object.entries(a.limits)) === JSON.stringify(Object.entries(b.limits));
/** Whether the form still shows exactly the saved values it was loaded from (nothing typed, added or removed). */
const unchanged = (rows: Row[], expiry: string, base: Saved) =>
  expiry === base.expiresAfter && JSON.stringify(rows.map((r) => [r.asset, r.amount])) === JSON.stringify(Object.entries(base.limits));

/** The rows' limits, or the errors that keep them from being saved (the server's rules, common/approval-settings.ts). */
function check(rows: Row[], expiry: string): { patch: ConsoleSettingsPatch } | { errors: Errors } {
  const errors: Errors = {};
  const limits: Record<string, string> = {};
  const expiryChecked = checkApprovalExpiry(expiry.trim());
  if ('problem' in expiryChecked) errors.expiry = `Expires after: ${expiryChecked.problem}`;
  for (const r of rows) {
    const asset = r.asset.trim();
    const amount = r.amount.trim();
    if (asset === '' && amount === '') continue; // an empty row is no limit
    const assetProblem = limitAssetProblem(asset);
    if (assetProblem) errors[`asset:${r.key}`] = `Asset: ${assetProblem}`;
    else if (asset in limits) errors[`asset:${r.key}`] = `Asset: ${asset} has a limit already`;
    const amountProblem = limitAmountProblem(amount);
    if (amountProblem) errors[`amount:${r.key}`] = `Limit of ${asset || 'this asset'}: ${amountProblem}`;
    if (!assetProblem && !amountProblem) limits[asset] = amount;
  }
  return Object.keys(errors).length ? { errors } : { patch: { approvalLimits: limits, approvalExpiresAfter: expiry.trim() } };
}

/** A refusal of the server on the field it names (`approvalLimits.USD/2: …`, `approvalExpiresAfter: …`). */
function serverErrors(err: unknown, rows: Row[]): Errors {
  const message = err instanceof ApiError ? err.errorMessage : '';
  if (message.startsWith('approvalExpiresAfter:')) return { expiry: message };
  const limit = /^approvalLimits\.(.*?): (.*)$/.exec(message);
  const r = limit && rows.find((x) => x.asset.trim() === limit[1]);
  if (limit && r) return { [`${/asset/.test(limit[2]!) ? 'asset' : 'amount'}:${r.key}`]: message };
  return { form: errorText(err) };
}

function FieldError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="mt-1 text-xs text-danger">
      {message}
    </p>
  );
}

/**
 * Four eyes by amount (docs/accountability.md): asset → limit in minor units (the amount in major
 * units beside it), and how long a held run waits. Bad input names its field and nothing is
 * sent; what the server refuses shows on the field it names. Only an admin saves.
 *
 * The settings are shared: another tab or admin may save them while this one edits. An untouched
 * form follows the saved values; one with unsaved edits keeps them and says the saved values
 * changed, with a button to load them (saving instead replaces them with this form's).
 */
export function ApprovalSettings({ limits, expiresAfter, refusal }: Saved & { refusal?: string }) {
  const update = useUpdateConsoleSettings();
  const saved: Saved = { limits, expiresAfter };
  // The saved values the form was loaded from: its edits are the difference.
  const [base, setBase] = useState<Saved>(saved);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(limits));
  const [expiry, setExpiry] = useState(expiresAfter);
  const [errors, setErrors] = useState<Errors>({});
  const expiryId = useId();
  const disabled = !!refusal || update.isPending;
  const edit = (key: number, change: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const load = (values: Saved) => {
    setBase(values);
    setRows(rowsOf(values.limits));
    setExpiry(values.expiresAfter);
    setErrors({});
  };
  const changedUnder = !sameSaved(base, saved);
  const dirty = !unchanged(rows, expiry, base);
  // Adjusting state while rendering (React's pattern for following a prop): no stale frame.
  // (Also when the form shows exactly the new values: this tab's own save.)
  if (changedUnder && (!dirty || unchanged(rows, expiry, saved))) load(saved);

  const save = () => {
    const checked = check(rows, expiry);
    if ('errors' in checked) return setErrors(checked.errors);
    setErrors({});
    update.mutate(checked.patch, {
      onSuccess: (stored) => load({ limits: stored.approvalLimits, expiresAfter: stored.approvalExpiresAfter }),
      onError: (err) => setErrors(serverErrors(err, rows)),
    });
  };

  return (
    <form
      className="space-y-3 py-2"
      aria-label="Approval limits"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div>
        <h3 className="text-[13px] font-medium">Approval limits</h3>
        <p className="text-xs text-muted">
          A run whose sends move more than the limit of an asset in total waits for a second person’s approval. Amounts in minor units, as the ledger keeps them.
        </p>
      </div>
      <table className="w-full text-[13px]" aria-label="Approval limits by asset">
        <thead>
          <tr className="text-left text-xs text-muted">
            <th className="w-40 pb-1 font-medium">Asset</th>
            <th className="pb-1 font-medium">Limit (minor units)</th>
            <th className="sr-only">Remove</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={3} className="py-2 text-muted">
                No limit: runs are held by amount for no asset.
              </td>
            </tr>
          )}
          {rows.map((r, i) => {
            const assetError = errors[`asset:${r.key}`];
            const amountError = errors[`amount:${r.key}`];
            const asset = r.asset.trim();
            const preview = !limitAssetProblem(asset) && !limitAmountProblem(r.amount.trim()) ? formatMoney(r.amount.trim(), asset) : undefined;
            return (
              <tr key={r.key} className="align-top">
                <td className="py-1 pr-2">
                  <input
                    className={cn(inputClass, 'w-full max-w-36 min-w-0 font-mono', assetError && 'border-danger')}
                    aria-label={`Asset of limit ${i + 1}`}
                    aria-invalid={!!assetError}
                    placeholder="USD/2"
                    value={r.asset}
                    disabled={disabled}
                    onChange={(e) => edit(r.key, { asset: e.target.value })}
                  />
                  <FieldError message={assetError} />
                </td>
                <td className="py-1 pr-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <input
                      className={cn(inputClass, 'w-full max-w-52 min-w-0 font-mono', amountError && 'border-danger')}
                      aria-label={`Limit ${i + 1} in minor units`}
                      aria-invalid={!!amountError}
                      inputMode="numeric"
                      placeholder="100000"
                      value={r.amount}
                      disabled={disabled}
                      onChange={(e) => edit(r.key, { amount: e.target.value })}
                    />
                    {preview && (
                      <span className="text-xs text-muted" data-testid="limit-preview">
                        = {preview}
                      </span>
                    )}
                  </div>
                  <FieldError message={amountError} />
                </td>
                <td className="w-8 py-1 text-right">
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Remove limit ${i + 1}`}
                    disabled={disabled}
                    onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                  >
                    <Icon name="x" size={13} />
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Button size="sm" disabled={disabled} onClick={() => setRows((rs) => [...rs, row()])}>
        Add a limit
      </Button>
      <div>
        <label htmlFor={expiryId} className="text-[13px] font-medium">
          A held run expires after
        </label>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <input
            id={expiryId}
            className={cn(inputClass, 'w-28 font-mono', errors.expiry && 'border-danger')}
            aria-invalid={!!errors.expiry}
            value={expiry}
            disabled={disabled}
            onChange={(e) => setExpiry(e.target.value)}
          />
          <span className="text-xs text-muted">a duration such as 24h or 90m, between 1m and 720h</span>
        </div>
        <FieldError message={errors.expiry} />
      </div>
      {changedUnder && dirty && (
        <div
          role="status"
          className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-[13px] text-amber-900 ring-1 ring-amber-200 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/30"
          data-testid="settings-changed-under"
        >
          <Icon name="alert" size={13} />
          <span className="min-w-0 flex-1">
            The saved approval settings changed while you were editing. Your edits are kept; saving replaces the saved values with them.
          </span>
          <Button size="sm" onClick={() => load(saved)}>
            Reload the saved values
          </Button>
        </div>
      )}
      {errors.form && (
        <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
          {errors.form}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <WithReason reason={refusal}>
          <Button type="submit" variant="primary" size="sm" disabled={disabled}>
            {update.isPending ? 'Saving…' : 'Save approval settings'}
          </Button>
        </WithReason>
      </div>
    </form>
  );
}
