import { useState } from 'react';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { instanceQuery, useAbortInstance } from '../../api/instances';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { IdText } from '../../components/CopyButton';
import { DataTable } from '../../components/DataTable';
import { JsonView } from '../../components/JsonView';
import { Facts, PageHeader, Section } from '../../components/Page';
import { EmptyState } from '../../components/states';
import { InstanceStatusBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { stageKind } from '../../lib/stages';
import { currentStage } from '../../lib/status';
import { formatDuration } from '../../lib/time';

const route = getRouteApi('/instances/$instanceId');

export function InstanceDetail() {
  const { instanceId } = route.useParams();
  const { data: first } = useSuspenseQuery(instanceQuery(instanceId));
  // Live while running: a new stage shows within a second or two.
  const live = useQuery({ ...instanceQuery(instanceId, { refetchInterval: first.terminated ? false : 1000 }), initialData: first });
  const instance = live.data ?? first;
  const abort = useAbortInstance();
  const [confirming, setConfirming] = useState(false);
  const stagesConfig = instance.workflow?.config.stages ?? [];
  const running = currentStage(instance);
  const rows = (instance.status ?? []).map((s) => ({ ...s, kind: stageKind(stagesConfig[s.stage]) }));
  const variables = Object.entries(instance.variables ?? {});

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Instance <InstanceStatusBadge instance={instance} />
          </span>
        }
        meta={<IdText id={instance.id} short={false} />}
        actions={
          <Button
            variant="secondary"
            disabled={instance.terminated}
            title={instance.terminated ? 'This instance has already terminated' : 'Stop this instance now'}
            onClick={() => setConfirming(true)}
          >
            Abort
          </Button>
        }
      />
      <Facts
        items={[
          {
            label: 'Workflow',
            value: (
              <Link to="/workflows/$workflowId" params={{ workflowId: instance.workflowID }} className="text-accent-strong hover:underline">
                {instance.workflow?.config.name || instance.workflowID}
              </Link>
            ),
          },
          { label: 'Started', value: <Time value={instance.createdAt} mode="absolute" /> },
          {
            label: instance.terminated ? 'Ended' : 'Current stage',
            value: instance.terminated ? (
              <Time value={instance.terminatedAt} mode="absolute" />
            ) : running !== undefined ? (
              `#${running} ${stageKind(stagesConfig[running])}`
            ) : (
              'starting'
            ),
          },
          {
            label: 'Started by',
            value: instance.triggerID ? (
              <Link to="/triggers/$triggerId" params={{ triggerId: instance.triggerID }} className="text-accent-strong hover:underline">
                Trigger {instance.triggerID.slice(0, 8)}…
              </Link>
            ) : (
              'API / console'
            ),
          },
          ...(instance.error ? [{ label: 'Error', value: <span className="font-mono text-xs text-danger">{instance.error}</span> }] : []),
        ]}
      />
      <Section title="Stages">
        <DataTable
          label="Stage statuses"
          columns={[
            { id: 'stage', header: '#', className: 'w-12', cell: (s) => <span className="font-mono text-muted">{s.stage}</span> },
            { id: 'kind', header: 'Kind', cell: (s) => <span className="font-mono text-xs">{s.kind}</span> },
            {
              id: 'status',
              header: 'Status',
              cell: (s) =>
                !s.terminatedAt ? (
                  <StatusBadge tone="info" pulse>
                    Running
                  </StatusBadge>
                ) : s.error ? (
                  <StatusBadge tone={s.error === 'canceled' || s.error === 'cancelled' ? 'warning' : 'danger'} title={s.error}>
                    {s.error === 'canceled' || s.error === 'cancelled' ? 'Aborted' : 'Failed'}
                  </StatusBadge>
                ) : (
                  <StatusBadge tone="success">Succeeded</StatusBadge>
                ),
            },
            { id: 'startedAt', header: 'Started', cell: (s) => <Time value={s.startedAt} /> },
            {
              id: 'duration',
              header: 'Duration',
              cell: (s) => (s.terminatedAt ? formatDuration(Date.parse(s.terminatedAt) - Date.parse(s.startedAt)) : <span className="text-muted">—</span>),
            },
            { id: 'error', header: 'Error', cell: (s) => (s.error ? <span className="font-mono text-xs break-all text-danger">{s.error}</span> : null) },
          ]}
          rows={rows}
          rowKey={(s) => String(s.stage)}
          empty={<EmptyState title="No stage started yet" />}
        />
      </Section>
      {variables.length > 0 && (
        <Section title="Variables">
          <DataTable
            label="Variables"
            columns={[
              { id: 'name', header: 'Name', cell: ([k]) => <code className="font-mono text-xs">{k}</code> },
              { id: 'value', header: 'Value', cell: ([, v]) => <code className="font-mono text-xs break-all">{v}</code> },
            ]}
            rows={variables}
            rowKey={([k]) => k}
          />
        </Section>
      )}
      <Section title="Raw instance">
        <JsonView value={instance} label="Instance JSON" />
      </Section>
      <ConfirmDialog
        open={confirming}
        title="Abort this instance?"
        confirmLabel="Abort instance"
        onClose={() => setConfirming(false)}
        onConfirm={() => abort.mutateAsync(instance.id)}
      >
        <p>
          The current stage{running !== undefined ? ` (#${running})` : ''} stops at once — waits, timers and retries are cancelled — and the
          instance ends with the error <code className="font-mono">canceled</code>. Later stages never run. Effects already made (transactions,
          metadata) are not undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
