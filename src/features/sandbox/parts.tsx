/** Small pieces shared by the sandbox pages: deep links, postings, metadata, volumes. */
import { useState, type ReactNode } from 'react';
import { Link } from '@tanstack/react-router';
import type { LedgerAccount } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { JsonView } from '../../components/JsonView';
import { Money } from '../../components/Money';
import { amountSign, toBigInt, type Amount } from '../../lib/money';
import { cn } from '../../lib/cn';

type Volume = { input: Amount; output: Amount; balance?: Amount };

/** Balance of a volume (`input − output` when the server left `balance` out). */
export function volumeBalance(v: Volume): Amount {
  if (v.balance !== undefined) return v.balance;
  const i = toBigInt(v.input);
  const o = toBigInt(v.output);
  return i !== null && o !== null ? (i - o).toString() : '0';
}

export function accountBalances(a: Pick<LedgerAccount, 'volumes'>): [string, Amount][] {
  return Object.entries(a.volumes ?? {}).map(([asset, v]) => [asset, volumeBalance(v)]);
}

/** `/sandbox/ledger?ledger=…&account=…` */
export function AccountLink({ ledger, address, className, children }: { ledger: string; address: string; className?: string; children?: ReactNode }) {
  return (
    <Link to="/sandbox/ledger" search={{ ledger, account: address }} className={cn('font-mono text-accent-strong hover:underline', className)}>
      {children ?? address}
    </Link>
  );
}

/** A transaction id as a search param: a plain number when it is one, so links read `tx=42`. */
export function txParam(id: Amount): string | number {
  const n = Number(id);
  return Number.isSafeInteger(n) && String(n) === String(id) ? n : String(id);
}

/** `/sandbox/ledger?ledger=…&tx=…` (`&account=…` when opened from an account: "back" returns there). */
export function TransactionLink({ ledger, id, account, className }: { ledger: string; id: Amount; account?: string; className?: string }) {
  return (
    <Link
      to="/sandbox/ledger"
      search={{ ledger, tx: txParam(id), ...(account ? { account } : {}) }}
      className={cn('font-mono text-accent-strong hover:underline', className)}
      aria-label={`Transaction ${String(id)} on ledger ${ledger}`}
    >
      #{String(id)}
    </Link>
  );
}

export function AddressText({ address }: { address: string }) {
  return (
    <span className="inline-flex items-center gap-0.5 font-mono text-[12.5px]">
      {address}
      <CopyButton text={address} label={`Copy address ${address}`} />
    </span>
  );
}

/** Postings as "source → destination amount" lines; addresses link to their account. */
export function PostingList({ ledger, postings }: { ledger: string; postings: { source: string; destination: string; amount: Amount; asset: string }[] }) {
  return (
    <ul className="space-y-0.5">
      {postings.map((p, i) => (
        <li key={i} className="flex flex-wrap items-center gap-1.5 text-xs">
          <AccountLink ledger={ledger} address={p.source} />
          <span className="text-muted" aria-label="to">
            →
          </span>
          <AccountLink ledger={ledger} address={p.destination} />
          <Money amount={p.amount} asset={p.asset} className="ml-1 font-semibold" />
        </li>
      ))}
    </ul>
  );
}

/** Metadata as a two-column table (detail views). */
export function MetadataTable({ metadata, label, empty = 'No metadata.' }: { metadata: Record<string, string> | null | undefined; label: string; empty?: string }) {
  const entries = Object.entries(metadata ?? {});
  if (!entries.length) return <p className="text-[13px] text-muted">{empty}</p>;
  return (
    <div className="overflow-hidden rounded-xl border border-line bg-surface">
      <table className="w-full text-left text-[13px]">
        <caption className="sr-only">{label}</caption>
        <thead className="bg-subtle">
          <tr>
            <th scope="col" className="w-1/3 border-b border-line px-4 py-2 text-xs font-medium tracking-wide text-muted uppercase">
              Key
            </th>
            <th scope="col" className="border-b border-line px-4 py-2 text-xs font-medium tracking-wide text-muted uppercase">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k} className="border-b border-line last:border-0">
              <td className="px-4 py-2 font-mono text-xs break-all">{k}</td>
              <td className="px-4 py-2 font-mono text-xs break-all">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Per-asset volumes with the balance in asset precision. */
export function VolumesTable({ volumes, label }: { volumes: Record<string, Volume>; label: string }) {
  const rows = Object.entries(volumes);
  if (!rows.length) return <p className="text-[13px] text-muted">No movements yet.</p>;
  return (
    <div className="overflow-hidden rounded-xl border border-line bg-surface">
      <table className="w-full text-left text-[13px]">
        <caption className="sr-only">{label}</caption>
        <thead className="bg-subtle">
          <tr>
            {['Asset', 'Received', 'Sent', 'Balance'].map((h, i) => (
              <th key={h} scope="col" className={cn('border-b border-line px-4 py-2 text-xs font-medium tracking-wide text-muted uppercase', i > 0 && 'text-right')}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([asset, v]) => (
            <tr key={asset} className="border-b border-line last:border-0">
              <td className="px-4 py-2 font-mono text-xs">{asset}</td>
              <td className="px-4 py-2 text-right">
                <Money amount={v.input} asset={asset} />
              </td>
              <td className="px-4 py-2 text-right">
                <Money amount={v.output} asset={asset} />
              </td>
              <td className={cn('px-4 py-2 text-right font-semibold', amountSign(volumeBalance(v)) < 0 && 'text-danger')}>
                <Money amount={volumeBalance(v)} asset={asset} signed />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Class of the "← Back to …" link above a detail view. */
export const backLinkClass = 'mb-3 inline-flex items-center gap-1 text-[13px] text-muted hover:text-fg';

/**
 * A one-line summary that expands to the JSON (put it in a `w-full max-w-0` column: it then takes
 * the table's remaining width and truncates instead of widening the table). The JSON renders only once opened: a page of 50
 * events stays a light DOM (fast to render, to scroll, and for screen readers and axe).
 */
export function ExpandableJson({
  summary,
  value,
  label,
  summaryLabel,
  className,
}: {
  summary: ReactNode;
  value: unknown;
  label: string;
  summaryLabel: string;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <details className={cn('group min-w-0', className)} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="flex max-w-full cursor-pointer list-none items-center gap-1.5 text-xs text-muted hover:text-fg" aria-label={summaryLabel}>
        <span aria-hidden="true" className="shrink-0 text-accent-strong transition-transform group-open:rotate-90">
          ▸
        </span>
        <span className="min-w-0 truncate">{summary}</span>
      </summary>
      {open && <JsonView value={value} label={label} maxHeight={320} className="mt-2 max-w-full" />}
    </details>
  );
}
