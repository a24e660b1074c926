import type { ReactNode } from 'react';
import { cn } from '../lib/cn';

/** Tab strip whose tabs are links (the selected tab lives in the URL). */
export function TabList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <nav aria-label={label} className="mb-4 flex gap-1 border-b border-line">
      {children}
    </nav>
  );
}

export const tabClass = (active: boolean) =>
  cn(
    '-mb-px inline-flex items-center gap-1.5 border-b-2 px-3 py-2 text-[13px] font-medium',
    active ? 'border-accent text-accent-strong' : 'border-transparent text-muted hover:border-line-strong hover:text-fg',
  );
