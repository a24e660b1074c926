import type { ReactNode } from 'react';
import { Link } from '@tanstack/react-router';
import type { OverviewBasis } from '../../api/types';
import { ErrorState, Skeleton } from '../../components/states';
import { cn } from '../../lib/cn';
import type { ListLink } from './links';

const nf = new Intl.NumberFormat('en-US');
export const formatCount = (n: number) => nf.format(n);

/** One card of the overview: a title, what it is based on, its figures (or loading / error). */
export function Panel({
  title,
  description,
  basis,
  actions,
  query,
  className,
  children,
}: {
  title: string;
  description?: ReactNode;
  basis?: OverviewBasis;
  actions?: ReactNode;
  query: { isPending: boolean; error: unknown; refetch: () => unknown };
  className?: string;
  children: ReactNode;
}) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section aria-labelledby={id} className={cn('min-w-0 rounded-xl border border-line bg-surface', className)}>
      <header className="flex flex-wrap items-start justify-between gap-2 border-b border-line px-4 py-3">
        <div className="min-w-0">
          <h2 id={id} className="text-sm font-semibold">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-[12.5px] text-muted">{description}</p>}
          {basis && !basis.complete && !basis.unavailable && (
            <p
              className="mt-1 inline-flex items-center gap-1.5 rounded bg-amber-50 px-1.5 py-0.5 text-[12px] text-amber-900 dark:bg-amber-400/10 dark:text-amber-300"
              data-testid="basis"
            >
              Based on {basis.label}
            </p>
          )}
        </div>
        {actions && <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div>}
      </header>
      <div className="p-4">
        {basis?.unavailable ? (
          <p className="text-[13px] text-muted" data-testid="unavailable">
            Not available: {basis.label}
          </p>
        ) : query.error ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : query.isPending ? (
          <div className="space-y-2" role="status" aria-label="Loading">
            <Skeleton className="h-4 w-2/3" />
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-4 w-3/4" />
          </div>
        ) : (
          children
        )}
      </div>
    </section>
  );
}

/**
 * A figure that opens the instance list filtered to exactly the rows it counts. `link`
 * undefined: the list cannot show those rows (remote mode), the number stays plain text and says why.
 */
export function CountLink({ value, link, label, className }: { value: number; link: ListLink | undefined; label: string; className?: string }) {
  const text = formatCount(value);
  if (!link) {
    return (
      <span className={cn('tabular-nums', className)} title={`${label}: the stack's instance list cannot filter these`}>
        {text}
      </span>
    );
  }
  return (
    <Link
      to="/instances"
      search={link as never}
      className={cn('tabular-nums text-accent-strong underline decoration-accent/40 underline-offset-2 hover:decoration-current', className)}
      aria-label={`${text} ${label}: open the list`}
    >
      {text}
    </Link>
  );
}

export function InstanceLink({ id, children }: { id: string; children?: ReactNode }) {
  return (
    <Link to="/instances/$instanceId" params={{ instanceId: id }} className="font-mono text-[12.5px] text-accent-strong hover:underline" title={id}>
      {children ?? (id.length > 20 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id)}
    </Link>
  );
}

export function Muted({ children }: { children: ReactNode }) {
  return <p className="text-[13px] text-muted">{children}</p>;
}
