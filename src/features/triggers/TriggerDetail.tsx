import { useState } from 'react';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { triggerOccurrencesQuery, triggerQuery, useDeleteTrigger } from '../../api/triggers';
import { workflowQuery } from '../../api/workflows';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { IdText } from '../../components/CopyButton';
import { DataTable } from '../../components/DataTable';
import { JsonView } from '../../components/JsonView';
import { Facts, PageHeader, Section } from '../../components/Page';
import { EmptyState, TableSkeleton } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';

const route = getRouteApi('/triggers/$triggerId');

export function TriggerDetail() {
  const { triggerId } = route.useParams();
  const { data: trigger } = useSuspenseQuery(triggerQuery(triggerId));
  const workflow = useQuery(workflowQuery(trigger.workflowID));
  const occurrences = useQuery(triggerOccurrencesQuery(triggerId, { pageSize: 50 }));
  const remove = useDeleteTrigger();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const vars = Object.entries(trigger.vars ?? {});

  return (
    <>
      <PageHeader
        title={trigger.name || 'Unnamed trigger'}
        meta={<IdText id={trigger.id} short={false} />}
        actions={<Button onClick={() => setConfirming(true)}>Delete</Button>}
      />
      <Facts
        items={[
          { label: 'Event', value: <code className="font-mono text-xs">{trigger.event}</code> },
          { label: 'Version', value: trigger.version ?? <span className="text-muted">any</span> },
          {
            label: 'Workflow',
            value: (
              <Link to="/workflows/$workflowId" params={{ workflowId: trigger.workflowID }} className="text-accent-strong hover:underline">
                {workflow.data?.config.name || trigger.workflowID}
              </Link>
            ),
          },
          { label: 'Created', value: <Time value={trigger.createdAt} mode="absolute" /> },
          { label: 'Filter', value: trigger.filter ? <code className="font-mono text-xs break-all">{trigger.filter}</code> : <span className="text-muted">none — every event matches</span> },
        ]}
      />
      {vars.length > 0 && (
        <Section title="Variables">
          <DataTable
            label="Trigger variables"
            columns={[
              { id: 'name', header: 'Variable', cell: ([k]) => <code className="font-mono text-xs">{k}</code> },
              { id: 'expr', header: 'Expression', cell: ([, v]) => <code className="font-mono text-xs break-all">{String(v)}</code> },
            ]}
            rows={vars}
            rowKey={([k]) => k}
          />
        </Section>
      )}
      <Section title="Occurrences">
        {occurrences.isPending ? (
          <TableSkeleton rows={3} columns={4} />
        ) : (
          <DataTable
            label="Occurrences"
            columns={[
              { id: 'date', header: 'Fired', cell: (o) => <Time value={o.date} /> },
              { id: 'event', header: 'Event', cell: (o) => <span className="font-mono text-xs">{o.event.type}</span> },
              {
                id: 'result',
                header: 'Result',
                cell: (o) =>
                  o.workflowInstanceID ? (
                    <Link to="/instances/$instanceId" params={{ instanceId: o.workflowInstanceID }} className="font-mono text-xs text-accent-strong hover:underline">
                      {o.workflowInstanceID}
                    </Link>
                  ) : (
                    <StatusBadge tone="danger" title={o.error}>
                      Failed
                    </StatusBadge>
                  ),
              },
              { id: 'error', header: 'Error', cell: (o) => (o.error ? <span className="font-mono text-xs break-all text-danger">{o.error}</span> : null) },
            ]}
            rows={occurrences.data?.data ?? []}
            rowKey={(o) => o.id ?? `${o.date}-${o.workflowInstanceID ?? ''}`}
            empty={<EmptyState icon="events" title="Never fired">Occurrences appear when a matching event arrives.</EmptyState>}
          />
        )}
      </Section>
      <Section title="Raw trigger">
        <JsonView value={trigger} label="Trigger JSON" />
      </Section>
      <ConfirmDialog
        open={confirming}
        title="Delete this trigger?"
        confirmLabel="Delete trigger"
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await remove.mutateAsync(trigger.id);
          await navigate({ to: '/triggers' });
        }}
      >
        <p>
          “{trigger.name || trigger.id}” stops firing on <code className="font-mono">{trigger.event}</code> events and leaves the list. Instances it
          already started keep running; its occurrences stay readable.
        </p>
      </ConfirmDialog>
    </>
  );
}
