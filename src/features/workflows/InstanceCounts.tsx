import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Skeleton } from '../../components/states';
import { cn } from '../../lib/cn';
import { workflowInstanceCountsQuery, type Count } from './instanceCounts';

const TONES = {
  running: 'bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-400/10 dark:text-sky-300 dark:ring-sky-400/30',
  failed: 'bg-red-50 text-red-800 ring-red-200 dark:bg-red-400/10 dark:text-red-300 dark:ring-red-400/30',
};

/** One count, a link to the instance list filtered on its status; coloured when not zero. */
function CountLink({ workflowID, status, count }: { workflowID: string; status: 'running' | 'failed'; count: Count }) {
  return (
    <Link
      to="/instances"
      search={{ workflowID, status }}
      className={cn('rounded-full px-2 py-0.5 ring-1 ring-inset hover:underline', count.count ? TONES[status] : 'text-muted ring-line')}
      title={`${status === 'running' ? 'Running' : 'Failed'} instances of this workflow${count.capped ? ' (at least: more were not counted)' : ''}`}
    >
      {count.count}
      {count.capped ? '+' : ''} {status}
    </Link>
  );
}

/** "2 running · 1 failed", each a link to the instance list filtered on it. */
export function InstanceCounts({ workflowID }: { workflowID: string }) {
  // Remote mode: upstream Flows cannot filter by status, so only the running count is shown.
  const { data, isError } = useQuery(workflowInstanceCountsQuery(workflowID));
  if (isError) return <span className="text-xs text-muted">counts unavailable</span>;
  if (!data) return <Skeleton className="h-3.5 w-28" />;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5 text-[12.5px] whitespace-nowrap" data-testid="instance-counts">
      <CountLink workflowID={workflowID} status="running" count={data.running} />
      {data.failed && <CountLink workflowID={workflowID} status="failed" count={data.failed} />}
    </span>
  );
}
