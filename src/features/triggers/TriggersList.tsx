import { clippedName } from '../../lib/text';
import { useAskReason, useRefusal } from '../../api/access';
import { cn } from '../../lib/cn';
import { useState } from 'react';
import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useIsRemote } from '../../api/info';
import { useDeleteTrigger } from '../../api/triggers';
import type { Trigger } from '../../api/types';
import { Button, buttonClass } from '../../components/Button';
import { DisabledAction, WithReason } from '../../components/WithReason';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { IdText } from '../../components/CopyButton';
import { ListMovedNote } from '../../components/ListMovedNote';
import { Icon } from '../../components/Icon';
import { StatusBadge } from '../../components/StatusBadge';
import { DataTable, type Column } from '../../components/DataTable';
import { FilterBar, SearchInput } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { Pager, isPartialPage } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { SavedViews } from '../views/SavedViews';
import { listViews } from '../views/listViews';
import { DeleteTriggerText } from './DeleteTriggerText';
import { triggersListQuery } from './queries';
import { orphanReason, RepointLink, useTriggerWorkflows, type TriggerWorkflow } from './triggerWorkflow';

const workflowName = (w: TriggerWorkflow | undefined) => (w && (w.state === 'active' || w.state === 'deleted') ? w.name : undefined);

const route = getRouteApi('/triggers/');

export function TriggersList() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const remote = useIsRemote();
  const { data: page } = useSuspenseQuery(triggersListQuery(search, remote));
  const workflows = useTriggerWorkflows(page.data);
  const setSearch = (patch: Record<string, unknown>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const remove = useDeleteTrigger();
  const askReason = useAskReason();
  const [deleting, setDeleting] = useState<Trigger>();
  const refusal = useRefusal('manageTriggers');
  const newTrigger = refusal ? (
    <DisabledAction reason={refusal} variant="primary">
      <Icon name="plus" size={14} /> New trigger
    </DisabledAction>
  ) : (
    <Link to="/triggers/new" className={buttonClass('primary')}>
      <Icon name="plus" size={14} /> New trigger
    </Link>
  );

  const columns: Column<Trigger>[] = [
    {
      id: 'name',
      header: 'Name',
      sortValue: (t) => t.name || undefined,
      cell: (t) => (
        <div className="flex min-w-0 flex-col">
          <Link
            to="/triggers/$triggerId"
            params={{ triggerId: t.id }}
            className={cn(clippedName, 'font-medium text-accent-strong hover:underline')}
            title={t.name || undefined}
          >
            {t.name || <span className="text-muted italic">unnamed</span>}
          </Link>
          <IdText id={t.id} className="text-muted" />
        </div>
      ),
    },
    {
      id: 'event',
      header: 'Event',
      sortValue: (t) => t.event,
      cell: (t) => (
        <span className="font-mono text-xs">
          {t.event}
          {t.version && <span className="text-muted"> · {t.version}</span>}
        </span>
      ),
    },
    {
      id: 'workflow',
      header: 'Workflow',
      sortValue: (t) => workflowName(workflows.get(t.workflowID)) ?? t.workflowID,
      cell: (t) => {
        const workflow = workflows.get(t.workflowID);
        const name = workflowName(workflow);
        const reason = orphanReason(workflow, remote);
        return (
          <span className="flex min-w-0 flex-col items-start gap-1">
            <Link
              to="/workflows/$workflowId"
              params={{ workflowId: t.workflowID }}
              className={cn(clippedName, 'text-accent-strong hover:underline')}
              title={name ?? t.workflowID}
            >
              {name ?? <span className="font-mono text-xs whitespace-nowrap">{t.workflowID.slice(0, 8)}…</span>}
            </Link>
            {reason && (
              <StatusBadge tone="danger" title={reason}>
                {workflow?.state === 'deleted' ? 'Workflow deleted' : 'Workflow not found'}
              </StatusBadge>
            )}
          </span>
        );
      },
    },
    {
      id: 'filter',
      header: 'Filter',
      cell: (t) =>
        t.filter ? (
          <code className="line-clamp-2 min-w-56 max-w-96 font-mono text-xs wrap-anywhere text-muted" title={t.filter}>
            {t.filter}
          </code>
        ) : (
          <span className="text-muted">every event</span>
        ),
    },
    {
      id: 'vars',
      header: 'Variables',
      sortValue: (t) => Object.keys(t.vars ?? {}).length,
      cell: (t) => {
        const names = Object.keys(t.vars ?? {});
        return names.length ? (
          <span className="font-mono text-xs" title={names.join(', ')}>
            {names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} +${names.length - 2}`}
          </span>
        ) : (
          <span className="text-muted">—</span>
        );
      },
    },
    { id: 'createdAt', header: 'Created', sortValue: (t) => t.createdAt, cell: (t) => <Time value={t.createdAt} /> },
    {
      id: 'actions',
      header: <span className="sr-only">Actions</span>,
      align: 'right',
      cell: (t) => (
        <span className="inline-flex items-center gap-1">
          {orphanReason(workflows.get(t.workflowID), remote) && <RepointLink trigger={t} />}
          <WithReason reason={refusal}>
            <Button size="sm" variant="ghost" disabled={!!refusal} aria-label={`Delete trigger ${t.name || t.id}`} onClick={() => setDeleting(t)}>
              Delete
            </Button>
          </WithReason>
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Triggers"
        description="Start a workflow when a platform event of a given type arrives, optionally filtered, with variables computed from the event."
        actions={newTrigger}
      />
      <SavedViews {...listViews('triggers', search, ['name'], (update) => navigate({ search: update }))} holds="The name search and sort" />
      <FilterBar>
        <SearchInput
          className="w-72"
          label="Search triggers by name"
          value={search.name ?? ''}
          onChange={(name) => setSearch({ name: name || undefined, cursor: undefined })}
        />
      </FilterBar>
      <DataTable
        label="Triggers"
        columns={columns}
        rows={page.data}
        partial={isPartialPage(page)}
        rowKey={(t) => t.id}
        rowClassName={(t) => (orphanReason(workflows.get(t.workflowID), remote) ? 'bg-danger-soft/40' : undefined)}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={
          search.name ? (
            <EmptyState icon="search" title={`No trigger name contains “${search.name}”`} />
          ) : (
            <EmptyState icon="triggers" title="No triggers yet" action={newTrigger}>
              A trigger starts a workflow on platform events such as COMMITTED_TRANSACTIONS or SAVED_PAYMENT.
            </EmptyState>
          )
        }
      />
      <Pager
        page={page}
        count={page.data.length}
        noun="triggers"
        pageSize={search.pageSize}
        onCursor={(cursor) => setSearch({ cursor })}
        onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
      />
      {page.walk && <ListMovedNote repeated={page.walk.repeated} changed={page.walk.changed} noun="triggers" />}
      <p className="mt-1 text-xs text-muted">
        {remote ? 'In the stack’s order (it sorts none of its lists).' : 'Oldest first.'}{' '}
        {remote
          ? "The name search runs in the console over every trigger (case-insensitive, part of the name): the stack's own name filter fails upstream."
          : 'The name search runs on the server (case-insensitive, part of the name).'}
      </p>
      <ConfirmDialog
        open={!!deleting}
        title="Delete this trigger?"
        confirmLabel="Delete trigger"
        onClose={() => setDeleting(undefined)}
        askReason={askReason}
        onConfirm={(reason) => deleting && remove.mutateAsync({ id: deleting.id, reason })}
      >
        {deleting && <DeleteTriggerText trigger={deleting} />}
      </ConfirmDialog>
    </>
  );
}
