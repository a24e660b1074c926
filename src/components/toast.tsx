import { useSyncExternalStore } from 'react';
import { cn } from '../lib/cn';
import { Icon } from './Icon';

export interface Toast {
  id: number;
  tone: 'success' | 'error' | 'warning' | 'info';
  title: string;
  description?: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function dismissToast(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** Shows a toast; errors stay longer. Returns its id. */
export function toast(t: Omit<Toast, 'id'>): number {
  const id = nextId++;
  toasts = [...toasts.slice(-4), { ...t, id }];
  emit();
  setTimeout(() => dismissToast(id), t.tone === 'error' ? 8000 : 4000);
  return id;
}

function useToasts() {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => toasts,
    () => toasts,
  );
}

const TONE: Record<Toast['tone'], string> = {
  success: 'border-l-emerald-500',
  error: 'border-l-red-500',
  warning: 'border-l-amber-500',
  info: 'border-l-sky-500',
};

export function Toaster() {
  const list = useToasts();
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(92vw,360px)] flex-col gap-2" role="status" aria-live="polite">
      {list.map((t) => (
        <div
          key={t.id}
          role={t.tone === 'error' ? 'alert' : undefined}
          className={cn('pointer-events-auto flex items-start gap-3 rounded-lg border border-l-4 border-line bg-surface p-3 shadow-lg', TONE[t.tone])}
        >
          <div className="min-w-0 flex-1">
            <p className="text-[13px] font-medium">{t.title}</p>
            {t.description && <p className="mt-0.5 text-xs break-words text-muted">{t.description}</p>}
          </div>
          <button type="button" aria-label="Dismiss notification" className="rounded p-0.5 text-muted hover:text-fg" onClick={() => dismissToast(t.id)}>
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
