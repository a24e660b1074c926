import { stageKindCounts } from '../../lib/stages';

const KIND_LABEL: Record<string, string> = { send: 'send', delay: 'delay', wait_event: 'wait event', update: 'update', noop: 'noop', unknown: 'unknown' };

/** Stage count plus the kinds at a glance: `3 · send ×2 · delay`. */
export function StageKinds({ stages }: { stages: readonly unknown[] }) {
  const counts = stageKindCounts(stages);
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className="tabular-nums">{stages.length}</span>
      {counts.map(([kind, n]) => (
        <span key={kind} className="rounded bg-subtle px-1.5 py-0.5 font-mono text-[11px] text-muted ring-1 ring-line ring-inset">
          {KIND_LABEL[kind] ?? kind}
          {n > 1 ? ` ×${n}` : ''}
        </span>
      ))}
    </span>
  );
}
