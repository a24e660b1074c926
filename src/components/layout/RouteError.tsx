import { useEffect } from 'react';
import { useQueryErrorResetBoundary } from '@tanstack/react-query';
import { Link, useLocation, useRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { ApiError, isNotFoundError } from '../../api/errors';
import { useIsRemote } from '../../api/info';
import { buttonClass } from '../Button';
import { EmptyState, ErrorState, ServerAnswer } from '../states';

/** The detail pages an id opens, with the list to go back to. */
const RESOURCES: { path: RegExp; what: string; list: '/workflows' | '/instances' | '/triggers'; listLabel: string }[] = [
  { path: /^\/workflows\/([^/]+)/, what: 'workflow', list: '/workflows', listLabel: 'All workflows' },
  { path: /^\/instances\/([^/]+)/, what: 'instance', list: '/instances', listLabel: 'All instances' },
  { path: /^\/triggers\/([^/]+)/, what: 'trigger', list: '/triggers', listLabel: 'All triggers' },
];

/**
 * Per-route error boundary. "Not found" says what was not found and leads back to its list (a
 * retry cannot make it appear); other errors show the server's errorCode / errorMessage, with a
 * retry when asking again may help.
 */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const queryReset = useQueryErrorResetBoundary();
  const { pathname } = useLocation();
  // A Formance stack cannot search instances by id (remote mode): no such link there.
  const remote = useIsRemote();
  useEffect(() => queryReset.reset(), [queryReset]);
  if (isNotFoundError(error)) {
    const resource = RESOURCES.map((r) => ({ ...r, id: r.path.exec(pathname)?.[1] })).find((r) => r.id);
    const id = resource?.id ? decodeURIComponent(resource.id) : undefined;
    return (
      <div role="alert" className="rounded-xl border border-line bg-surface" data-testid="not-found">
        <EmptyState
          icon="search"
          title={resource ? `No ${resource.what} with this id` : 'Not found'}
          action={
            <div className="flex flex-wrap justify-center gap-2">
              <Link to={resource?.list ?? '/workflows'} className={buttonClass('primary')}>
                {resource?.listLabel ?? 'Go to workflows'}
              </Link>
              {resource?.what === 'instance' && id && !remote && (
                <Link to="/instances" search={{ q: id.slice(0, 8) }} className={buttonClass('secondary')}>
                  Search instances for “{id.slice(0, 8)}”
                </Link>
              )}
            </div>
          }
        >
          {resource ? (
            <>
              There is no {resource.what} <code className="font-mono break-all text-fg">{id}</code>. Check the link, or find it in the list.
            </>
          ) : (
            'What this page shows does not exist.'
          )}
          {error instanceof ApiError && <ServerAnswer error={error} />}
        </EmptyState>
      </div>
    );
  }
  return (
    <ErrorState
      error={error}
      onRetry={() => {
        reset();
        void router.invalidate();
      }}
    />
  );
}
