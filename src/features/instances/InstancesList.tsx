import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { allWorkflowsQuery } from '../../api/workflows';
import type { WorkflowInstance } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { CopyButton } from '../../components/CopyButton';
import { FilterBar, Select } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { InstanceStatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { instanceState } from '../../lib/status';
import { formatSort, parseSort } from '../../lib/sort';
import { formatDuration } from '../../lib/time';
import { instancesListQuery, type InstanceStatusFilter } from './queries';

const route = getRouteApi('/instances/');

const STATUS_OPTIONS: { value: InstanceStatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'aborted', label: 'Aborted' },
];

function duration(i: WorkflowInstance): number | undefined {
  if (!i.terminatedAt) return undefined;
  return Date.parse(i.terminatedAt) - Date.parse(i.createdAt);
}

export function InstancesList() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data: page } = useSuspenseQuery(instancesListQuery(search));
  const workflows = useQuery(allWorkflowsQuery());
  const names = new Map((workflows.data ?? []).map((w) => [w.id, w.config.name || w.id]));
  const rows = search.status === 'all' || search.status === 'running' ? page.data : page.data.filter((i) => instanceState(i) === search.status);

  const columns: Column<WorkflowInstance>[] = [
    {
      id: 'id',
      header: 'Instance',
      sortValue: (i) => i.id,
      cell: (i) => (
        <span className="inline-flex items-center gap-0.5">
          <Link to="/instances/$instanceId" params={{ instanceId: i.id }} className="font-mono text-[12.5px] text-accent-strong hover:underline">
            {i.id.length > 20 ? `${i.id.slice(0, 8)}…${i.id.slice(-6)}` : i.id}
          </Link>
          <CopyButton text={i.id} label={`Copy instance id ${i.id}`} />
        </span>
      ),
    },
    {
      id: 'workflow',
      header: 'Workflow',
      sortValue: (i) => names.get(i.workflowID) ?? i.workflowID,
      cell: (i) => (
        <Link to="/workflows/$workflowId" params={{ workflowId: i.workflowID }} className="hover:underline">
          {names.get(i.workflowID) ?? <span className="font-mono text-xs">{i.workflowID}</span>}
        </Link>
      ),
    },
    { id: 'status', header: 'Status', sortValue: (i) => instanceState(i), cell: (i) => <InstanceStatusBadge instance={i} /> },
    {
      id: 'origin',
      header: 'Started by',
      cell: (i) =>
        i.triggerID ? (
          <Link to="/triggers/$triggerId" params={{ triggerId: i.triggerID }} className="text-accent-strong hover:underline">
            Trigger
          </Link>
        ) : (
          <span className="text-muted">API / console</span>
        ),
    },
    { id: 'createdAt', header: 'Started', sortValue: (i) => i.createdAt, cell: (i) => <Time value={i.createdAt} /> },
    {
      id: 'duration',
      header: 'Duration',
      align: 'right',
      sortValue: (i) => duration(i),
      cell: (i) => <span className="tabular-nums">{i.terminatedAt ? formatDuration(duration(i)!) : <span className="text-muted">running</span>}</span>,
    },
  ];

  const setSearch = (patch: Record<string, unknown>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });

  return (
    <>
      <PageHeader title="Instances" description="Runs of workflows, in the order they started. Open one for its stages and history." />
      <FilterBar>
        <Select label="Workflow" value={search.workflowID ?? ''} onChange={(e) => setSearch({ workflowID: e.target.value || undefined, cursor: undefined })}>
          <option value="">All workflows</option>
          {search.workflowID && !names.has(search.workflowID) && <option value={search.workflowID}>{search.workflowID}</option>}
          {(workflows.data ?? []).map((w) => (
            <option key={w.id} value={w.id}>
              {w.config.name || w.id}
            </option>
          ))}
        </Select>
        <Select label="Status" value={search.status} onChange={(e) => setSearch({ status: e.target.value, cursor: undefined })}>
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
        <Select label="Refresh" value={search.refresh} onChange={(e) => setSearch({ refresh: Number(e.target.value) })}>
          <option value={0}>Off</option>
          <option value={1}>Every 1 s</option>
          <option value={5}>Every 5 s</option>
          <option value={30}>Every 30 s</option>
        </Select>
        {(search.status === 'succeeded' || search.status === 'failed' || search.status === 'aborted') && (
          <span className="text-[13px] text-muted">Filtered on this page ({rows.length} of {page.data.length}).</span>
        )}
      </FilterBar>
      <DataTable
        label="Instances"
        columns={columns}
        rows={rows}
        rowKey={(i) => i.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={
          <EmptyState icon="instances" title={search.workflowID || search.status !== 'all' ? 'No instance matches these filters' : 'No instances yet'}>
            {search.workflowID || search.status !== 'all' ? 'Change or clear the filters above.' : 'Run a workflow, or publish an event that fires a trigger.'}
          </EmptyState>
        }
      />
      <Pager
        page={page}
        count={page.data.length}
        noun="instances"
        pageSize={search.pageSize}
        onCursor={(cursor) => setSearch({ cursor })}
        onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
      />
    </>
  );
}
