/** The four outcomes of a run as the overview draws them (colours follow the status badges). */
export const OUTCOMES = ['succeeded', 'failed', 'aborted', 'running'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_STYLE: Record<Outcome, { label: string; className: string; swatch: string; fill: string }> = {
  succeeded: { label: 'Succeeded', className: 'fill-emerald-500 dark:fill-emerald-400', swatch: 'bg-emerald-500 dark:bg-emerald-400', fill: '#10b981' },
  failed: { label: 'Failed', className: 'fill-[var(--danger)]', swatch: 'bg-danger', fill: '#c9302c' },
  aborted: { label: 'Aborted', className: 'fill-amber-400', swatch: 'bg-amber-400', fill: '#fbbf24' },
  running: { label: 'Running', className: 'fill-[var(--accent)]', swatch: 'bg-accent', fill: '#4f46e5' },
};
