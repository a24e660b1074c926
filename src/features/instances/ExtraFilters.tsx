import type { ReactNode } from 'react';
import { Icon } from '../../components/Icon';
import { Time } from '../../components/Time';
import type { InstancesExtraFilters } from './queries';

/** What a pending-send source key (`account:<ledger>:<address>`, `wallet:…`, `payment:…`) reads as. */
export function describeSource(key: string): string {
  const [kind, ...rest] = key.split(':');
  if (kind === 'account' && rest.length >= 2) return `${rest.slice(1).join(':')} on ledger ${rest[0]}`;
  if (kind === 'wallet' || kind === 'wallet-name') return `wallet ${rest.slice(0, -1).join(':')} (${rest.at(-1)})`;
  if (kind === 'payment') return `payment ${rest.join(':')}`;
  return key;
}

function chips(f: InstancesExtraFilters): { keys: (keyof InstancesExtraFilters)[]; label: ReactNode }[] {
  const out: { keys: (keyof InstancesExtraFilters)[]; label: ReactNode }[] = [];
  if (f.reason !== undefined) {
    out.push({
      keys: ['reason'],
      label: (
        <>
          Failed with <q className="font-mono text-[12px]">{f.reason}</q>
        </>
      ),
    });
  }
  if (f.endedAfter || f.endedBefore) {
    out.push({
      keys: ['endedAfter', 'endedBefore'],
      label:
        f.endedAfter && f.endedBefore ? (
          <>
            Ended between <Time value={f.endedAfter} mode="absolute" /> and <Time value={f.endedBefore} mode="absolute" />
          </>
        ) : f.endedAfter ? (
          <>
            Ended after <Time value={f.endedAfter} mode="absolute" />
          </>
        ) : (
          <>
            Ended before <Time value={f.endedBefore} mode="absolute" />
          </>
        ),
    });
  }
  if (f.stageStartedBefore) {
    out.push({
      keys: ['stageStartedBefore'],
      label: (
        <>
          In its current stage since before <Time value={f.stageStartedBefore} mode="absolute" />
        </>
      ),
    });
  }
  if (f.minRetries !== undefined) out.push({ keys: ['minRetries'], label: <>Retrying after {f.minRetries} or more failed attempts</> });
  if (f.resumesAfter) {
    out.push({
      keys: ['resumesAfter'],
      label: (
        <>
          Resumes after <Time value={f.resumesAfter} mode="absolute" />
        </>
      ),
    });
  }
  if (f.pendingAsset !== undefined) {
    out.push({
      keys: ['pendingAsset', 'pendingSource'],
      label: (
        <>
          Sends still to run in <span className="font-mono text-[12px]">{f.pendingAsset}</span>
          {f.pendingSource && <> from {describeSource(f.pendingSource)}</>}
        </>
      ),
    });
  }
  return out;
}

/**
 * The filters the overview's links add (each figure → exactly its rows), as removable chips: the
 * list has no control of its own for them.
 */
export function ExtraFilters({ filters, onRemove }: { filters: InstancesExtraFilters; onRemove: (keys: (keyof InstancesExtraFilters)[]) => void }) {
  const list = chips(filters);
  if (list.length === 0) return null;
  return (
    <ul aria-label="More filters" className="-mt-1 mb-3 flex flex-wrap items-center gap-2 text-[13px]">
      {list.map((c) => (
        <li
          key={c.keys.join()}
          className="inline-flex max-w-full items-center gap-1.5 rounded-full border border-accent/40 bg-accent-soft py-0.5 pr-1 pl-3"
          data-testid="extra-filter"
        >
          <span className="min-w-0 truncate">{c.label}</span>
          <button
            type="button"
            onClick={() => onRemove(c.keys)}
            className="inline-flex size-5 shrink-0 items-center justify-center rounded-full text-muted hover:bg-hover hover:text-fg"
            aria-label="Remove this filter"
          >
            <Icon name="x" size={12} />
          </button>
        </li>
      ))}
    </ul>
  );
}
