import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useIsRemote } from '../../api/info';
import { triggerOccurrencesQuery } from '../../api/triggers';
import type { TriggerOccurrence } from '../../api/types';
import { Button } from '../../components/Button';
import { DataTable, type Column } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { Pager, isPartialPage } from '../../components/Pager';
import { EmptyState, ErrorState, TableSkeleton } from '../../components/states';
import { InstanceStatusBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { formatSort, parseSort, type SortState } from '../../lib/sort';
import { ExpandableJson } from '../sandbox/parts';
import { summarizePayload } from './samples';

const columns: Column<TriggerOccurrence>[] = [
  { id: 'date', header: 'Fired', sortValue: (o) => o.date, className: 'w-36 align-top', cell: (o) => <Time value={o.date} /> },
  {
    id: 'event',
    header: 'Event',
    className: 'align-top w-full max-w-0',
    cell: (o) => (
      <ExpandableJson
        summary={
          <>
            <span className="font-mono font-medium text-fg">{o.event.type}</span> {summarizePayload(o.event.type, o.event.payload)}
          </>
        }
        value={o.event}
        label={`Event of the occurrence at ${o.date}`}
        summaryLabel={`Event ${o.event.type}: show JSON`}
      />
    ),
  },
  {
    id: 'result',
    header: 'Result',
    className: 'align-top min-w-80',
    sortValue: (o) => (o.error ? 1 : 0),
    cell: (o) =>
      o.workflowInstanceID ? (
        <span className="flex flex-wrap items-center gap-2">
          {o.workflowInstance && <InstanceStatusBadge instance={o.workflowInstance} />}
          <Link
            to="/instances/$instanceId"
            params={{ instanceId: o.workflowInstanceID }}
            className="font-mono text-xs text-accent-strong hover:underline"
            aria-label={`Open instance ${o.workflowInstanceID}`}
          >
            instance {o.workflowInstanceID.slice(0, 8)}
          </Link>
        </span>
      ) : (
        <span className="flex flex-col items-start gap-1">
          <StatusBadge tone="danger">Not started</StatusBadge>
          {o.error && <pre className="max-w-md overflow-x-auto font-mono text-xs whitespace-pre-wrap text-danger">{o.error}</pre>}
        </span>
      ),
  },
];

/** When the trigger fired, on which event, and the instance it started (or why it could not). */
export function Occurrences({
  triggerID,
  page,
  sort,
  onPage,
  onSort,
}: {
  triggerID: string;
  page: { cursor?: string; pageSize: number };
  sort?: string;
  onPage: (patch: { cursor?: string; pageSize?: number }) => void;
  onSort: (sort: string | undefined) => void;
}) {
  const occurrences = useQuery(triggerOccurrencesQuery(triggerID, page, { refetchInterval: 5_000 }));
  const remote = useIsRemote();
  if (occurrences.isPending) return <TableSkeleton rows={4} columns={3} />;
  if (occurrences.isError) return <ErrorState error={occurrences.error} onRetry={() => occurrences.refetch()} />;
  const data = occurrences.data;
  return (
    <>
      <div className="mb-2 flex items-center justify-between gap-2 text-xs text-muted">
        <span>{remote ? 'In the stack’s order (it keeps none between pages)' : 'Oldest first'}; refreshed every 5 s. A filter that does not match records nothing.</span>
        <Button size="sm" variant="ghost" onClick={() => occurrences.refetch()} disabled={occurrences.isFetching}>
          <Icon name="refresh" size={13} /> Refresh
        </Button>
      </div>
      <DataTable
        label="Occurrences"
        columns={columns}
        rows={data.data}
        partial={isPartialPage(data)}
        rowKey={(o) => o.id ?? `${o.date}-${o.workflowInstanceID ?? o.error ?? ''}`}
        sort={parseSort(sort)}
        onSortChange={(s: SortState | undefined) => onSort(formatSort(s))}
        virtualizeAbove={Infinity}
        empty={
          <EmptyState icon="events" title="Never fired">
            {remote ? (
              'Occurrences appear when a matching event arrives from the stack’s services (a ledger transaction, a payment…).'
            ) : (
              <>
                Occurrences appear when a matching event arrives. Publish one from the{' '}
                <Link to="/sandbox/events" className="text-accent-strong underline">
                  Events
                </Link>{' '}
                page, or make a transaction in the sandbox.
              </>
            )}
          </EmptyState>
        }
      />
      <Pager
        page={data}
        count={data.data.length}
        noun="occurrences"
        pageSize={page.pageSize}
        onCursor={(cursor) => onPage({ cursor })}
        onPageSize={(pageSize) => onPage({ pageSize, cursor: undefined })}
      />
    </>
  );
}
