import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Workflow } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { IdText } from '../../components/CopyButton';
import { FilterBar, SearchInput } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { StageKinds } from './StageKinds';
import { workflowsListQuery } from './queries';

const route = getRouteApi('/workflows/');

const columns: Column<Workflow>[] = [
  {
    id: 'name',
    header: 'Name',
    sortValue: (w) => w.config.name || undefined,
    cell: (w) => (
      <div className="flex min-w-0 flex-col">
        <Link to="/workflows/$workflowId" params={{ workflowId: w.id }} className="truncate font-medium text-accent-strong hover:underline">
          {w.config.name || <span className="text-muted italic">unnamed</span>}
        </Link>
        <IdText id={w.id} className="text-muted" />
      </div>
    ),
  },
  { id: 'stages', header: 'Stages', sortValue: (w) => w.config.stages.length, cell: (w) => <StageKinds stages={w.config.stages} /> },
  { id: 'createdAt', header: 'Created', sortValue: (w) => w.createdAt, cell: (w) => <Time value={w.createdAt} /> },
  {
    id: 'instances',
    header: <span className="sr-only">Links</span>,
    align: 'right',
    cell: (w) => (
      <Link to="/instances" search={{ workflowID: w.id }} className="text-[13px] text-accent-strong hover:underline">
        Instances
      </Link>
    ),
  },
];

export function WorkflowsList() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data } = useSuspenseQuery(workflowsListQuery(search));
  const page = data.kind === 'page' ? data.page : undefined;
  const rows = data.kind === 'page' ? data.page.data : data.matches;

  return (
    <>
      <PageHeader title="Workflows" description="Workflow definitions: ordered stages that move money, wait and update accounts. Definitions are immutable." />
      <FilterBar>
        <SearchInput
          className="w-72"
          label="Search workflows by name or id"
          value={search.q ?? ''}
          onChange={(q) => navigate({ search: (prev) => ({ ...prev, q: q || undefined, cursor: undefined }) })}
        />
        {search.q && (
          <span className="text-[13px] text-muted">
            {rows.length} match{rows.length === 1 ? '' : 'es'} among all workflows
          </span>
        )}
      </FilterBar>
      <DataTable
        label="Workflows"
        columns={columns}
        rows={rows}
        rowKey={(w) => w.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => navigate({ search: (prev) => ({ ...prev, sort: formatSort(s) }) })}
        empty={
          search.q ? (
            <EmptyState icon="search" title={`No workflow matches “${search.q}”`}>
              Search looks at names and ids of every workflow that has not been deleted.
            </EmptyState>
          ) : (
            <EmptyState icon="workflows" title="No workflows yet">
              Create one with <code className="font-mono">POST /api/orchestration/v2/workflows</code> or an official SDK, then run it from here.
            </EmptyState>
          )
        }
      />
      {page && (
        <Pager
          page={page}
          count={rows.length}
          noun="workflows"
          pageSize={search.pageSize}
          onCursor={(cursor) => navigate({ search: (prev) => ({ ...prev, cursor }) })}
          onPageSize={(pageSize) => navigate({ search: (prev) => ({ ...prev, pageSize, cursor: undefined }) })}
        />
      )}
    </>
  );
}
