import { clippedName } from '../../lib/text';
import { DisabledAction, WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { cn } from '../../lib/cn';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { requiringApprovalQuery } from '../../api/approvals';
import { StatusBadge } from '../../components/StatusBadge';
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Workflow } from '../../api/types';
import { Button, buttonClass } from '../../components/Button';
import { IdText } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { FilterBar, SearchInput } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { WORKFLOWS_DESCRIPTION } from './pageHeader';
import { Pager } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { SavedViews } from '../views/SavedViews';
import { listViews } from '../views/listViews';
import { InstanceCounts } from './InstanceCounts';
import { StageKinds } from './StageKinds';
import { workflowsListQuery } from './queries';

const route = getRouteApi('/workflows/');
// Loaded when a run or a deletion is asked for: not part of the list's first load.
const RunDialog = lazy(() => import('./RunDialog').then((m) => ({ default: m.RunDialog })));
const DeleteWorkflowDialog = lazy(() => import('./DeleteWorkflowDialog').then((m) => ({ default: m.DeleteWorkflowDialog })));

export function WorkflowsList() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data } = useSuspenseQuery(workflowsListQuery(search));
  const page = data.kind === 'page' ? data.page : undefined;
  const rows = data.kind === 'page' ? data.page.data : data.workflows;
  const [running, setRunning] = useState<Workflow>();
  const [deleting, setDeleting] = useState<Workflow>();
  const mayNotRun = useRefusal('run');
  const mayNotAuthor = useRefusal('authorWorkflow');
  const mayNotDelete = useRefusal('deleteWorkflow');
  const requiringApproval = useQuery(requiringApprovalQuery()).data;

  const columns = useMemo<Column<Workflow>[]>(
    () => [
      {
        id: 'name',
        header: 'Name',
        sortValue: (w) => w.config.name || undefined,
        cell: (w) => (
          <div className="flex min-w-0 flex-col">
            <Link
              to="/workflows/$workflowId"
              params={{ workflowId: w.id }}
              className={cn(clippedName, 'font-medium text-accent-strong hover:underline')}
              title={w.config.name || undefined}
            >
              {w.config.name || <span className="text-muted italic">unnamed</span>}
            </Link>
            <span className="flex flex-wrap items-center gap-2">
              <IdText id={w.id} className="text-muted" />
              {requiringApproval?.has(w.id) && (
                <StatusBadge tone="warning" title="Every run waits until a second person with the operator role approves it">
                  Requires approval
                </StatusBadge>
              )}
            </span>
          </div>
        ),
      },
      { id: 'stages', header: 'Stages', sortValue: (w) => w.config.stages.length, cell: (w) => <StageKinds stages={w.config.stages} /> },
      { id: 'instances', header: 'Instances', cell: (w) => <InstanceCounts workflowID={w.id} /> },
      { id: 'createdAt', header: 'Created', sortValue: (w) => w.createdAt, cell: (w) => <Time value={w.createdAt} /> },
      {
        id: 'actions',
        header: <span className="sr-only">Actions</span>,
        align: 'right',
        cell: (w) => (
          <span className="inline-flex items-center gap-1">
            <WithReason reason={mayNotRun}>
              <Button size="sm" disabled={!!mayNotRun} onClick={() => setRunning(w)} aria-label={`Run ${w.config.name || w.id}`}>
                <Icon name="instances" size={12} /> Run
              </Button>
            </WithReason>
            {mayNotAuthor ? (
              <DisabledAction reason={mayNotAuthor} variant="ghost" size="sm" label={`Duplicate and edit ${w.config.name || w.id}`}>
                <Icon name="copy" size={13} />
              </DisabledAction>
            ) : (
              <Link
                to="/workflows/new"
                search={{ from: w.id }}
                className={buttonClass('ghost', 'sm')}
                aria-label={`Duplicate and edit ${w.config.name || w.id}`}
                title="Duplicate & edit"
              >
                <Icon name="copy" size={13} />
              </Link>
            )}
            <WithReason reason={mayNotDelete ?? 'Delete'}>
              <Button size="sm" variant="ghost" disabled={!!mayNotDelete} onClick={() => setDeleting(w)} aria-label={`Delete ${w.config.name || w.id}`}>
                <Icon name="trash" size={13} />
              </Button>
            </WithReason>
          </span>
        ),
      },
    ],
    [mayNotRun, mayNotAuthor, mayNotDelete, requiringApproval],
  );

  return (
    <>
      <PageHeader
        title="Workflows"
        description={WORKFLOWS_DESCRIPTION}
        actions={
          mayNotAuthor ? (
            <DisabledAction reason={mayNotAuthor} variant="primary">
              <Icon name="plus" size={14} /> New workflow
            </DisabledAction>
          ) : (
            <Link to="/workflows/new" className={buttonClass('primary')}>
              <Icon name="plus" size={14} /> New workflow
            </Link>
          )
        }
      />
      <SavedViews {...listViews('workflows', search, ['q'], (update) => navigate({ search: update }))} holds="The search and sort" />
      <FilterBar>
        <SearchInput
          className="w-72"
          label="Search workflows by name or id"
          value={search.q ?? ''}
          onChange={(q) => navigate({ search: (prev) => ({ ...prev, q: q || undefined, cursor: undefined }) })}
        />
        {(search.q || search.sort) && (
          <span className="text-[13px] text-muted">
            {search.q ? `${rows.length} match${rows.length === 1 ? '' : 'es'} among all workflows` : `All ${rows.length} workflows, sorted`}
          </span>
        )}
      </FilterBar>
      <DataTable
        label="Workflows"
        columns={columns}
        rows={rows}
        rowKey={(w) => w.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => navigate({ search: (prev) => ({ ...prev, sort: formatSort(s), cursor: undefined }) })}
        empty={
          search.q ? (
            <EmptyState icon="search" title={`No workflow matches “${search.q}”`}>
              Search looks at names and ids of every workflow that has not been deleted.
            </EmptyState>
          ) : (
            <EmptyState
              icon="workflows"
              title="No workflows yet"
              action={
                <Link to="/workflows/new" className={buttonClass('primary')}>
                  <Icon name="plus" size={14} /> New workflow
                </Link>
              }
            >
              Build one visually or in JSON/YAML, or start from a template.
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
      {running && (
        <Suspense fallback={null}>
          <RunDialog workflow={running} onClose={() => setRunning(undefined)} />
        </Suspense>
      )}
      {deleting && (
        <Suspense fallback={null}>
          <DeleteWorkflowDialog workflow={deleting} onClose={() => setDeleting(undefined)} />
        </Suspense>
      )}
    </>
  );
}
