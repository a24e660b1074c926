import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, isNotFoundError, isTransientError, isUpstreamNotFound } from '../api/errors';
import { cn } from '../lib/cn';
import { Button } from './Button';
import { Icon, type IconName } from './Icon';

export function Skeleton({ className }: { className?: string }) {
  return <div className={cn('skeleton rounded bg-hover', className)} aria-hidden="true" />;
}

/** Placeholder of a table while its data loads. */
export function TableSkeleton({ rows = 8, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div className="overflow-hidden rounded-xl border border-line bg-surface" role="status" aria-label="Loading">
      <div className="flex gap-6 border-b border-line bg-subtle px-4 py-3">
        {Array.from({ length: columns }, (_, i) => (
          <Skeleton key={i} className="h-3 flex-1" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex gap-6 border-b border-line px-4 py-3.5 last:border-0">
          {Array.from({ length: columns }, (_, i) => (
            <Skeleton key={i} className={cn('h-3 flex-1', i === 0 && 'max-w-56')} />
          ))}
        </div>
      ))}
    </div>
  );
}

/**
 * Skeleton of a whole page (route pending state). `header`: the page's own header when it is known
 * before the data (a list's title and description), painted at once instead of its placeholder.
 */
export function PageSkeleton({ header }: { header?: ReactNode }) {
  return (
    <div className="space-y-6">
      {header ?? (
        <div className="space-y-2">
          <Skeleton className="h-6 w-48" />
          <Skeleton className="h-3.5 w-80" />
        </div>
      )}
      <TableSkeleton />
    </div>
  );
}

export function EmptyState({ icon = 'inbox', title, children, action }: { icon?: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center px-6 py-14 text-center">
      <div className="mb-3 flex size-10 items-center justify-center rounded-full bg-subtle text-muted">
        <Icon name={icon} size={20} />
      </div>
      <p className="text-sm font-medium">{title}</p>
      {children && <div className="mt-1 max-w-md text-[13px] text-muted">{children}</div>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}

/** Seconds between the tries an error state makes by itself (a stack that comes back is seen). */
const AUTO_RETRY_S = 15;

/** Counts down and calls `retry` at zero, while `enabled`; the seconds left. */
function useAutoRetry(retry: (() => void) | undefined, enabled: boolean): number {
  const [left, setLeft] = useState(AUTO_RETRY_S);
  // The caller's function changes with each of its renders: the latest one is called.
  const latest = useRef(retry);
  latest.current = retry;
  useEffect(() => {
    if (!enabled) return;
    let seconds = AUTO_RETRY_S;
    setLeft(seconds);
    const timer = setInterval(() => {
      seconds -= 1;
      if (seconds <= 0) {
        seconds = AUTO_RETRY_S;
        latest.current?.();
      }
      setLeft(seconds);
    }, 1000);
    return () => clearInterval(timer);
  }, [enabled]);
  return left;
}

/**
 * Error state with the server's errorCode / errorMessage, and a retry when asking again may help:
 * then it also tries again by itself every 15 s, so a page recovers when the server or the stack
 * comes back.
 */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const api = error instanceof ApiError ? error : undefined;
  const retryable = !!onRetry && isTransientError(error);
  const left = useAutoRetry(onRetry, retryable);
  const heading = title ?? (isNotFoundError(api) ? 'Not found' : api?.errorCode === 'NETWORK' ? 'Server unreachable' : 'Something went wrong');
  return (
    <div role="alert" className="rounded-xl border border-line bg-surface p-6">
      <div className="flex items-start gap-3">
        <div className="flex size-9 shrink-0 items-center justify-center rounded-full bg-danger-soft text-danger">
          <Icon name="alert" size={18} />
        </div>
        <div className="min-w-0 flex-1">
          <h2 className="text-[15px] font-semibold">{heading}</h2>
          {api ? (
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-[13px]">
              <dt className="text-muted">errorCode</dt>
              <dd className="font-mono" data-testid="error-code">
                {api.errorCode}
              </dd>
              <dt className="text-muted">errorMessage</dt>
              <dd className="break-words" data-testid="error-message">
                {api.errorMessage}
              </dd>
              {api.status > 0 && (
                <>
                  <dt className="text-muted">HTTP status</dt>
                  <dd className="font-mono">
                    {api.status}
                    {isUpstreamNotFound(api) && <span className="ml-2 font-sans text-muted">(the stack answers an unknown id with HTTP 500)</span>}
                  </dd>
                </>
              )}
            </dl>
          ) : (
            <p className="mt-1 text-[13px] break-words text-muted">{error instanceof Error ? error.message : String(error)}</p>
          )}
          {retryable && (
            <div className="mt-4 flex items-center gap-3">
              <Button onClick={onRetry}>
                <Icon name="refresh" size={14} /> Retry
              </Button>
              <span className="text-xs text-muted" data-testid="auto-retry">
                Trying again by itself in {left} s
              </span>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

/** What the server said, folded: for pages whose own words already explain the problem. */
export function ServerAnswer({ error }: { error: ApiError }) {
  return (
    <details className="mt-4 text-left text-xs text-muted">
      <summary className="cursor-pointer select-none hover:text-fg">What the server answered</summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt>errorCode</dt>
        <dd className="font-mono" data-testid="error-code">
          {error.errorCode}
        </dd>
        <dt>errorMessage</dt>
        <dd className="break-words" data-testid="error-message">
          {error.errorMessage}
        </dd>
        {error.status > 0 && (
          <>
            <dt>HTTP status</dt>
            <dd className="font-mono">
              {error.status}
              {isUpstreamNotFound(error) && <span className="ml-2 font-sans">(the stack answers an unknown id with HTTP 500)</span>}
            </dd>
          </>
        )}
      </dl>
    </details>
  );
}
