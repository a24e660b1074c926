import { Money } from '../../components/Money';
import type { Amount } from '../../lib/money';

/** Balances per asset, one line each. */
export function Balances({ balances, align = 'end' }: { balances: [asset: string, amount: Amount][]; align?: 'start' | 'end' }) {
  if (!balances.length) return <span className="text-muted">—</span>;
  return (
    <span className={`flex flex-col gap-0.5 ${align === 'end' ? 'items-end' : 'items-start'}`}>
      {balances.map(([asset, amount]) => (
        <Money key={asset} amount={amount} asset={asset} signed />
      ))}
    </span>
  );
}

/** Metadata as compact key=value chips. */
export function MetadataChips({ metadata, max = 3 }: { metadata: Record<string, string> | null | undefined; max?: number }) {
  const entries = Object.entries(metadata ?? {});
  if (!entries.length) return <span className="text-muted">—</span>;
  return (
    <span className="flex flex-wrap gap-1" title={entries.map(([k, v]) => `${k}=${v}`).join('\n')}>
      {entries.slice(0, max).map(([k, v]) => (
        <span key={k} className="max-w-64 truncate rounded bg-subtle px-1.5 py-0.5 font-mono text-[11px] ring-1 ring-line ring-inset">
          <span className="text-muted">{k}=</span>
          {v}
        </span>
      ))}
      {entries.length > max && <span className="text-[11px] text-muted">+{entries.length - max}</span>}
    </span>
  );
}
