import type { ReactNode } from 'react';
import { cn } from '../lib/cn';
import { instanceState, type InstanceLike } from '../../common/status';
import { STATE_TONE, type Tone } from '../lib/status';

const TONES: Record<Tone, string> = {
  neutral: 'bg-subtle text-muted ring-line-strong',
  info: 'bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-400/10 dark:text-sky-300 dark:ring-sky-400/30',
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-400/10 dark:text-emerald-300 dark:ring-emerald-400/30',
  danger: 'bg-red-50 text-red-800 ring-red-200 dark:bg-red-400/10 dark:text-red-300 dark:ring-red-400/30',
  warning: 'bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/30',
};

const DOTS: Record<Tone, string> = {
  neutral: 'bg-muted',
  info: 'bg-sky-500',
  success: 'bg-emerald-500',
  danger: 'bg-red-500',
  warning: 'bg-amber-500',
};

/** Tone of the statuses the APIs use (instances, payments, transfers); neutral when unknown. */
export function statusTone(status: string): Tone {
  const s = status.toUpperCase();
  if (['RUNNING', 'PENDING', 'PROCESSING', 'WAITING_FOR_VALIDATION', 'ACTIVE'].includes(s)) return 'info';
  if (['SUCCEEDED', 'PROCESSED', 'VALIDATED', 'OK', 'ENABLED'].includes(s)) return 'success';
  if (['FAILED', 'REJECTED', 'REVERSE_FAILED', 'DISPUTE_LOST', 'REFUNDED_FAILURE', 'DOWN'].includes(s)) return 'danger';
  if (['ABORTED', 'CANCELLED', 'CANCELED', 'EXPIRED', 'REVERSED', 'DISPUTE', 'DEGRADED'].includes(s)) return 'warning';
  return 'neutral';
}

export function StatusBadge({ tone, children, pulse, title }: { tone: Tone; children: ReactNode; pulse?: boolean; title?: string }) {
  return (
    <span title={title} className={cn('inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap', TONES[tone])}>
      <span className={cn('size-1.5 rounded-full', DOTS[tone], pulse && 'animate-pulse')} aria-hidden="true" />
      {children}
    </span>
  );
}

const LABELS = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', aborted: 'Aborted' } as const;

/** Derived instance status (the API has no status enum). */
export function InstanceStatusBadge({ instance }: { instance: InstanceLike }) {
  const state = instanceState(instance);
  return (
    <StatusBadge tone={STATE_TONE[state]} pulse={state === 'running'} title={state === 'failed' ? instance.error : undefined}>
      {LABELS[state]}
    </StatusBadge>
  );
}
