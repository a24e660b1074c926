import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { approvalsQuery, type Approval } from '../../api/approvals';
import { Button } from '../../components/Button';
import { DataTable, type Column } from '../../components/DataTable';
import { FilterBar, Segmented } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { EmptyState, ErrorState, TableSkeleton } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { approvalStatus } from './status';

const route = getRouteApi('/approvals/');

const columns: Column<Approval>[] = [
  { id: 'requested', header: 'Requested', className: 'w-32 align-top', cell: (a) => <Time value={a.requestedAt} /> },
  {
    id: 'run',
    header: 'Run of',
    className: 'align-top min-w-56',
    cell: (a) => (
      <Link to="/approvals/$approvalId" params={{ approvalId: a.id }} className="font-medium text-accent-strong hover:underline [overflow-wrap:anywhere]">
        {a.workflowName || a.workflowID}
      </Link>
    ),
  },
  { id: 'by', header: 'Requested by', className: 'align-top', cell: (a) => <span className="text-[13px] whitespace-nowrap">{a.requestedBy.label}</span> },
  {
    id: 'why',
    header: 'Held because',
    className: 'align-top min-w-64',
    cell: (a) => <span className="text-[13px] text-muted">{a.heldBecause.map((h) => h.text).join('; ')}</span>,
  },
  {
    id: 'status',
    header: 'Status',
    className: 'align-top',
    cell: (a) => {
      const { label, tone } = approvalStatus(a);
      return (
        <span className="flex flex-col items-start gap-0.5">
          <StatusBadge tone={tone}>{label}</StatusBadge>
          {a.status === 'pending' ? (
            <span className="text-xs text-muted">
              expires <Time value={a.expiresAt} mode="absolute" />
            </span>
          ) : (
            a.decidedBy && (
              <span className="max-w-72 text-xs break-words text-muted">
                by {a.decidedBy.label}
                {a.decisionReason ? ` — “${a.decisionReason}”` : ''}
              </span>
            )
          )}
        </span>
      );
    },
  },
];

const FILTERS = [
  { value: 'pending', label: 'Pending' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'expired', label: 'Expired' },
  { value: 'all', label: 'All' },
] as const;

/** Runs held for approval (four eyes): the pending ones first, the decided ones a click away. */
export function ApprovalsPage() {
  const { status } = route.useSearch();
  const navigate = route.useNavigate();
  const query = useInfiniteQuery(approvalsQuery(status === 'all' ? undefined : status));
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Runs held until a second person approves them: every run of a workflow that requires approval, and runs whose sends go over an asset's limit. The requester cannot approve their own."
      />
      <FilterBar>
        <Segmented label="Status" value={status} options={[...FILTERS]} onChange={(next) => void navigate({ search: { status: next } })} />
      </FilterBar>
      {query.isPending ? (
        <TableSkeleton columns={5} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Could not read the approval requests" />
      ) : (
        <>
          <DataTable
            label="Approval requests"
            columns={columns}
            rows={rows}
            rowKey={(a) => a.id}
            virtualizeAbove={Infinity}
            empty={
              <EmptyState icon="check" title={status === 'pending' ? 'Nothing waits for approval' : 'No request here'}>
                A run of a workflow that requires approval, or over an asset&apos;s limit (Settings), appears here instead of starting.
              </EmptyState>
            }
          />
          {query.hasNextPage && (
            <div className="mt-3 flex justify-center">
              <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? 'Loading…' : 'Load older requests'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
