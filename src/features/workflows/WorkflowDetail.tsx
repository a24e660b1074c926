import { lazy, Suspense, useState } from 'react';
import { AuditTrail } from '../audit/AuditTrail';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { workflowQuery } from '../../api/workflows';
import { listInstancesQuery } from '../../api/instances';
import { useIsRemote } from '../../api/info';
import { Button, buttonClass } from '../../components/Button';
import { DisabledAction, WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { IdText } from '../../components/CopyButton';
import { DataTable } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { Facts, PageHeader, Section } from '../../components/Page';
import { EmptyState, ErrorState, Skeleton, TableSkeleton } from '../../components/states';
import { InstanceStatusBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { OpenInstanceById } from '../instances/OpenById';
import { ApprovalPolicySection, RequiresApprovalBadge } from './ApprovalPolicy';
import { DefinitionView } from './DefinitionView';
import { DeleteWorkflowDialog } from './DeleteWorkflowDialog';
import { InstanceCounts } from './InstanceCounts';
import { RunDialog } from './RunDialog';
import { describeStage } from './stageFacts';
import { variablesOf } from './variables';

const StageGraph = lazy(() => import('./StageGraph'));
const DryRunDialog = lazy(() => import('../simulation/DryRunDialog'));

const route = getRouteApi('/workflows/$workflowId');

export function WorkflowDetail() {
  const { workflowId } = route.useParams();
  const { definition: format } = route.useSearch();
  const { data: workflow } = useSuspenseQuery(workflowQuery(workflowId));
  // Newest first (a console extra of the v2 list; a Formance stack ignores it and sorts nothing).
  const instances = useQuery(listInstancesQuery({ workflowID: workflowId, pageSize: 10, order: 'desc' }));
  const remote = useIsRemote();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [dryRunning, setDryRunning] = useState(false);
  const variables = variablesOf(workflow.config);
  const deleted = !!workflow.deletedAt;
  const stages = workflow.config.stages;
  const roleRefusal = { run: useRefusal('run'), author: useRefusal('authorWorkflow'), delete: useRefusal('deleteWorkflow') };
  const runRefusal = deleted ? (remote ? 'Deleted: the stack would still run it, the console does not offer to' : 'Deleted workflows cannot be run') : roleRefusal.run;
  const authorRefusal = roleRefusal.author;
  const deleteRefusal = deleted ? 'This workflow is already deleted' : roleRefusal.delete;

  return (
    <>
      <PageHeader
        title={workflow.config.name || 'Unnamed workflow'}
        meta={
          <>
            <IdText id={workflow.id} short={false} />
            {deleted && <StatusBadge tone="warning">Deleted</StatusBadge>}
            <RequiresApprovalBadge workflowID={workflow.id} />
          </>
        }
        actions={
          <>
            <WithReason reason={runRefusal}>
              <Button variant="primary" disabled={!!runRefusal} onClick={() => setRunning(true)}>
                <Icon name="instances" size={13} /> Run
              </Button>
            </WithReason>
            <Button
              disabled={deleted}
              title={deleted ? 'Deleted workflows cannot be run' : 'What a run would do with money; nothing is written'}
              onClick={() => setDryRunning(true)}
            >
              Dry run
            </Button>
            {authorRefusal ? (
              <DisabledAction reason={authorRefusal}>
                <Icon name="copy" size={14} /> Duplicate & edit
              </DisabledAction>
            ) : (
              <Link to="/workflows/new" search={{ from: workflow.id }} className={buttonClass('secondary')} title="Definitions are immutable: edit a copy">
                <Icon name="copy" size={14} /> Duplicate & edit
              </Link>
            )}
            <WithReason reason={deleteRefusal}>
              <Button variant="secondary" disabled={!!deleteRefusal} onClick={() => setConfirming(true)}>
                Delete
              </Button>
            </WithReason>
          </>
        }
      />
      <Facts
        items={[
          { label: 'Created', value: <Time value={workflow.createdAt} mode="absolute" /> },
          { label: 'Stages', value: stages.length },
          {
            label: 'Variables',
            value: variables.length ? (
              <span className="flex flex-wrap gap-1" data-testid="workflow-variables">
                {variables.map((v) => (
                  <code key={v} className="rounded bg-subtle px-1.5 py-0.5 font-mono text-xs">{`\${${v}}`}</code>
                ))}
              </span>
            ) : (
              <span className="text-muted">none</span>
            ),
          },
          { label: 'Instances', value: deleted ? <span className="text-muted">not listed (deleted)</span> : <InstanceCounts workflowID={workflow.id} /> },
          ...(deleted ? [{ label: 'Deleted', value: <Time value={workflow.deletedAt} mode="absolute" /> }] : []),
        ]}
      />
      <ApprovalPolicySection workflowID={workflow.id} deleted={deleted} />
      <Section title={`Stages (${stages.length})`}>
        {stages.length === 0 ? (
          <div className="rounded-xl border border-line bg-surface">
            <EmptyState title="No stages">Running this workflow succeeds at once.</EmptyState>
          </div>
        ) : (
          <>
            <Suspense fallback={<Skeleton className="h-64 w-full rounded-xl" />}>
              <StageGraph stages={stages} />
            </Suspense>
            <ol className="sr-only" aria-label="Stages in order">
              {stages.map((s, i) => (
                <li key={i}>{describeStage(s)}</li>
              ))}
            </ol>
          </>
        )}
      </Section>
      <Section
        title={remote ? 'Instances' : 'Recent instances'}
        actions={
          <Link to="/instances" search={{ workflowID: workflow.id }} className="text-[13px] text-accent-strong hover:underline">
            All instances
          </Link>
        }
      >
        {deleted && remote && (
          <div
            className="mb-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-[13px] dark:border-amber-400/30 dark:bg-amber-400/10"
            data-testid="deleted-runs-note"
          >
            <p>
              The stack leaves the runs of a deleted workflow out of every instance list (its list query drops instances whose workflow is deleted), so none can be listed
              here. Each run still answers by its id:
            </p>
            <OpenInstanceById className="mt-2" />
          </div>
        )}
        {instances.isPending ? (
          <TableSkeleton rows={3} columns={4} />
        ) : instances.isError ? (
          <ErrorState error={instances.error} onRetry={() => void instances.refetch()} />
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
              { id: 'terminatedAt', header: 'Ended', cell: (i) => (i.terminatedAt ? <Time value={i.terminatedAt} /> : <span className="text-muted">—</span>) },
            ]}
            rows={instances.data?.data ?? []}
            rowKey={(i) => i.id}
            empty={
              <EmptyState icon="instances" title={deleted ? 'Not listed' : 'Never run'}>
                {deleted
                  ? remote
                    ? 'The stack lists no run of a deleted workflow (see above).'
                    : 'Instances of deleted workflows leave the lists; open them by id.'
                  : 'Run it to see its instances here.'}
              </EmptyState>
            }
          />
        )}
      </Section>
      <Section title="Definition">
        <DefinitionView value={workflow.config} format={format} />
      </Section>
      <AuditTrail targetType="workflow" targetId={workflow.id} />
      <RunDialog workflow={running ? workflow : undefined} onClose={() => setRunning(false)} />
      {dryRunning && (
        <Suspense fallback={null}>
          <DryRunDialog target={{ workflow }} onClose={() => setDryRunning(false)} />
        </Suspense>
      )}
      <DeleteWorkflowDialog workflow={confirming ? workflow : undefined} onClose={() => setConfirming(false)} onDeleted={() => navigate({ to: '/workflows' })} />
    </>
  );
}
