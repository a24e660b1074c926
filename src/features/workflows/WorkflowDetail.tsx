import { useState } from 'react';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useDeleteWorkflow, workflowQuery } from '../../api/workflows';
import { listInstancesQuery } from '../../api/instances';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { IdText } from '../../components/CopyButton';
import { DataTable } from '../../components/DataTable';
import { JsonView } from '../../components/JsonView';
import { Facts, PageHeader, Section } from '../../components/Page';
import { EmptyState, TableSkeleton } from '../../components/states';
import { InstanceStatusBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { stageKind, workflowVariables } from '../../lib/stages';

const route = getRouteApi('/workflows/$workflowId');

export function WorkflowDetail() {
  const { workflowId } = route.useParams();
  const { data: workflow } = useSuspenseQuery(workflowQuery(workflowId));
  const instances = useQuery(listInstancesQuery({ workflowID: workflowId, pageSize: 15 }));
  const remove = useDeleteWorkflow();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const variables = workflowVariables(workflow.config.stages);
  const stages = workflow.config.stages.map((stage, index) => ({ index, stage, kind: stageKind(stage) }));

  return (
    <>
      <PageHeader
        title={workflow.config.name || 'Unnamed workflow'}
        meta={
          <>
            <IdText id={workflow.id} short={false} />
            {workflow.deletedAt && <StatusBadge tone="warning">Deleted</StatusBadge>}
          </>
        }
        actions={
          <Button
            variant="secondary"
            disabled={!!workflow.deletedAt}
            title={workflow.deletedAt ? 'This workflow is already deleted' : undefined}
            onClick={() => setConfirming(true)}
          >
            Delete
          </Button>
        }
      />
      <Facts
        items={[
          { label: 'Created', value: <Time value={workflow.createdAt} mode="absolute" /> },
          { label: 'Updated', value: <Time value={workflow.updatedAt} mode="absolute" /> },
          { label: 'Stages', value: workflow.config.stages.length },
          {
            label: 'Variables',
            value: variables.length ? (
              <span className="flex flex-wrap gap-1">
                {variables.map((v) => (
                  <code key={v} className="rounded bg-subtle px-1.5 py-0.5 font-mono text-xs">{`\${${v}}`}</code>
                ))}
              </span>
            ) : (
              <span className="text-muted">none</span>
            ),
          },
          ...(workflow.deletedAt ? [{ label: 'Deleted', value: <Time value={workflow.deletedAt} mode="absolute" /> }] : []),
        ]}
      />
      <Section title="Stages">
        <DataTable
          label="Stages"
          columns={[
            { id: 'index', header: '#', className: 'w-12', cell: (s) => <span className="font-mono text-muted">{s.index}</span> },
            { id: 'kind', header: 'Kind', className: 'w-36', cell: (s) => <span className="font-mono text-xs">{s.kind}</span> },
            {
              id: 'config',
              header: 'Configuration',
              cell: (s) => <code className="line-clamp-2 font-mono text-xs break-all text-muted">{JSON.stringify(Object.values(s.stage as object)[0] ?? {})}</code>,
            },
          ]}
          rows={stages}
          rowKey={(s) => String(s.index)}
          empty={<EmptyState title="No stages">Running this workflow succeeds at once.</EmptyState>}
        />
      </Section>
      <Section
        title="Recent instances"
        actions={
          <Link to="/instances" search={{ workflowID: workflow.id }} className="text-[13px] text-accent-strong hover:underline">
            All instances
          </Link>
        }
      >
        {instances.isPending ? (
          <TableSkeleton rows={3} columns={3} />
        ) : (
          <DataTable
            label="Recent instances"
            columns={[
              {
                id: 'id',
                header: 'Instance',
                cell: (i) => (
                  <Link to="/instances/$instanceId" params={{ instanceId: i.id }} className="font-mono text-[12.5px] text-accent-strong hover:underline">
                    {i.id}
                  </Link>
                ),
              },
              { id: 'status', header: 'Status', cell: (i) => <InstanceStatusBadge instance={i} /> },
              { id: 'createdAt', header: 'Started', cell: (i) => <Time value={i.createdAt} /> },
            ]}
            rows={instances.data?.data ?? []}
            rowKey={(i) => i.id}
            empty={<EmptyState icon="instances" title="Never run">Instances of this workflow will appear here.</EmptyState>}
          />
        )}
      </Section>
      <Section title="Definition">
        <JsonView value={workflow.config} label="Workflow definition JSON" />
      </Section>
      <ConfirmDialog
        open={confirming}
        title="Delete this workflow?"
        confirmLabel="Delete workflow"
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await remove.mutateAsync(workflow.id);
          await navigate({ to: '/workflows' });
        }}
      >
        <p>
          “{workflow.config.name || workflow.id}” will be soft-deleted: it disappears from the lists and can no longer be run, and its instances
          leave the instance lists. Running instances are not stopped, and the definition stays readable by id.
        </p>
      </ConfirmDialog>
    </>
  );
}
