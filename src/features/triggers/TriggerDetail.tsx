import { useState } from 'react';
import { AuditTrail } from '../audit/AuditTrail';
import { useAskReason, useRefusal } from '../../api/access';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { triggerQuery, useDeleteTrigger } from '../../api/triggers';
import { workflowQuery } from '../../api/workflows';
import type { Trigger } from '../../api/types';
import { Button, buttonClass } from '../../components/Button';
import { DisabledAction, WithReason } from '../../components/WithReason';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { IdText } from '../../components/CopyButton';
import { Icon } from '../../components/Icon';
import { JsonView } from '../../components/JsonView';
import { Facts, PageHeader, Section } from '../../components/Page';
import { tabClass, TabList } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { Occurrences } from './Occurrences';
import { TestPanel } from './TestPanel';
import { DeleteTriggerText } from './DeleteTriggerText';
import { useIsRemote } from '../../api/info';
import { BacktestPanel } from '../simulation/BacktestPanel';
import { workflowVariables } from './TriggerForm';
import { varsToRows } from './vars';
import { orphanReason, RepointLink, useTriggerWorkflows } from './triggerWorkflow';

const route = getRouteApi('/triggers/$triggerId');

function Code({ children }: { children: string }) {
  return <code className="block rounded-md bg-subtle px-2 py-1.5 font-mono text-xs break-all whitespace-pre-wrap">{children}</code>;
}

export function TriggerDetail() {
  const { triggerId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data: trigger } = useSuspenseQuery(triggerQuery(triggerId));
  const workflow = useQuery(workflowQuery(trigger.workflowID));
  const workflowState = useTriggerWorkflows([trigger]).get(trigger.workflowID);
  const orphan = orphanReason(workflowState, useIsRemote());
  const remove = useDeleteTrigger();
  const askReason = useAskReason();
  const appNavigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const refusal = useRefusal('manageTriggers');
  const setSearch = (patch: Record<string, unknown>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const tab = (t: typeof search.tab, label: string) => (
    <Link from="/triggers/$triggerId" to="." search={(prev) => ({ ...prev, tab: t, cursor: undefined, sort: undefined })} className={tabClass(search.tab === t)}>
      {label}
    </Link>
  );
  const workflowName = workflow.data?.config.name || undefined;

  return (
    <>
      <PageHeader
        title={trigger.name || 'Unnamed trigger'}
        meta={
          <>
            <IdText id={trigger.id} short={false} />
            <span>
              on <code className="font-mono text-fg">{trigger.event}</code>
            </span>
            <span>
              created <Time value={trigger.createdAt} />
            </span>
          </>
        }
        actions={
          <>
            {refusal ? (
              <DisabledAction reason={refusal}>Edit as new…</DisabledAction>
            ) : (
              <Link
                to="/triggers/new"
                search={{ from: trigger.id }}
                className={buttonClass('secondary')}
                title="Triggers are immutable: this creates a new one from a copy, then deletes this one"
              >
                Edit as new…
              </Link>
            )}
            <WithReason reason={refusal}>
              <Button disabled={!!refusal} onClick={() => setConfirming(true)}>
                Delete
              </Button>
            </WithReason>
          </>
        }
      />
      {orphan && (
        <div
          role="alert"
          data-testid="orphan-trigger"
          className="mb-4 flex flex-wrap items-center gap-3 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-[13.5px] dark:border-red-400/30 dark:bg-red-400/10"
        >
          <Icon name="alert" size={16} className="text-danger" />
          <span className="min-w-0 flex-1">{orphan} Re-point it to another workflow (a new trigger with the same settings; this one is then deleted), or delete it.</span>
          <RepointLink trigger={trigger} />
          <WithReason reason={refusal}>
            <Button size="sm" variant="danger" disabled={!!refusal} onClick={() => setConfirming(true)}>
              Delete trigger
            </Button>
          </WithReason>
        </div>
      )}
      <TabList label="Trigger views">
        {tab('overview', 'Overview')}
        {tab('occurrences', 'Occurrences')}
        {tab('test', 'Test')}
        {tab('backtest', 'Backtest')}
      </TabList>

      {search.tab === 'overview' && (
        <Overview trigger={trigger} workflowName={workflowName} workflowMissing={workflow.isError} workflowDeleted={!!workflow.data?.deletedAt} />
      )}
      {search.tab === 'occurrences' && (
        <Occurrences
          triggerID={trigger.id}
          page={{ cursor: search.cursor, pageSize: search.pageSize }}
          sort={search.sort}
          onPage={(patch) => setSearch(patch)}
          onSort={(sort) => setSearch({ sort })}
        />
      )}
      {search.tab === 'backtest' && <BacktestPanel target={{ triggerID: trigger.id }} />}
      {search.tab === 'test' && (
        <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1.1fr)]">
          <div className="flex flex-col gap-4">
            <TestedExpressions trigger={trigger} />
            <p className="text-[13px] text-muted">
              To change what is tested,{' '}
              <Link to="/triggers/new" search={{ from: trigger.id }} className="text-accent-strong underline">
                edit as a new trigger
              </Link>{' '}
              — its form tests before saving.
            </p>
          </div>
          <TestPanel
            eventType={trigger.event}
            target={{ kind: 'saved', triggerID: trigger.id, filter: trigger.filter, vars: trigger.vars as Record<string, string> | undefined }}
            workflowName={workflowName}
            missingVars={workflowVariables(workflow.data).filter((v) => !(v in (trigger.vars ?? {})))}
          />
        </div>
      )}

      <AuditTrail targetType="trigger" targetId={trigger.id} />
      <ConfirmDialog
        open={confirming}
        title="Delete this trigger?"
        confirmLabel="Delete trigger"
        askReason={askReason}
        onClose={() => setConfirming(false)}
        onConfirm={async (reason) => {
          await remove.mutateAsync({ id: trigger.id, reason });
          await appNavigate({ to: '/triggers' });
        }}
      >
        <DeleteTriggerText trigger={trigger} />
      </ConfirmDialog>
    </>
  );
}

function TestedExpressions({ trigger }: { trigger: Trigger }) {
  const vars = varsToRows(trigger.vars as Record<string, unknown> | undefined);
  return (
    <div className="rounded-xl border border-line bg-surface p-4">
      <h2 className="text-sm font-semibold">What the test evaluates</h2>
      <p className="mt-2 text-xs font-medium tracking-wide text-muted uppercase">Filter</p>
      {trigger.filter ? <Code>{trigger.filter}</Code> : <p className="text-[13px] text-muted">None — every {trigger.event} event matches.</p>}
      <p className="mt-3 text-xs font-medium tracking-wide text-muted uppercase">Variables</p>
      {vars.length ? (
        <dl className="mt-1 grid grid-cols-[auto_minmax(0,1fr)] items-start gap-x-3 gap-y-1.5">
          {vars.map((v) => (
            <div key={v.name} className="contents">
              <dt className="py-1.5 font-mono text-xs">{v.name}</dt>
              <dd>
                <Code>{v.expression}</Code>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="text-[13px] text-muted">None.</p>
      )}
    </div>
  );
}

function Overview({
  trigger,
  workflowName,
  workflowMissing,
  workflowDeleted,
}: {
  trigger: Trigger;
  workflowName?: string;
  workflowMissing: boolean;
  workflowDeleted: boolean;
}) {
  const vars = varsToRows(trigger.vars as Record<string, unknown> | undefined);
  const remote = useIsRemote();
  return (
    <>
      <Facts
        items={[
          { label: 'Event', value: <code className="font-mono text-xs">{trigger.event}</code> },
          { label: 'Version', value: trigger.version ?? <span className="text-muted">any</span> },
          {
            label: 'Workflow',
            value: (
              <span className="flex flex-wrap items-center gap-2">
                <Link to="/workflows/$workflowId" params={{ workflowId: trigger.workflowID }} className="text-accent-strong hover:underline">
                  {workflowName || <span className="font-mono text-xs">{trigger.workflowID}</span>}
                </Link>
                {workflowMissing && <span className="text-xs text-danger">not found (deleted?) — the trigger cannot start it</span>}
                {workflowDeleted && (
                  <span className="text-xs text-danger" data-testid="workflow-deleted">
                    {remote
                      ? 'deleted — the stack still fires this trigger and runs it; those runs are left out of the instance lists'
                      : 'deleted — this trigger no longer starts it'}
                  </span>
                )}
              </span>
            ),
          },
          { label: 'Created', value: <Time value={trigger.createdAt} mode="absolute" /> },
        ]}
      />
      <Section title="Filter">
        {trigger.filter ? <Code>{trigger.filter}</Code> : <p className="text-[13px] text-muted">No filter — every {trigger.event} event starts the workflow.</p>}
      </Section>
      <Section title="Variables">
        {vars.length ? (
          <div className="overflow-hidden rounded-xl border border-line bg-surface">
            <table className="w-full text-left text-[13px]">
              <caption className="sr-only">Trigger variables</caption>
              <thead className="bg-subtle">
                <tr>
                  <th scope="col" className="w-48 border-b border-line px-4 py-2 text-xs font-medium tracking-wide text-muted uppercase">
                    Variable
                  </th>
                  <th scope="col" className="border-b border-line px-4 py-2 text-xs font-medium tracking-wide text-muted uppercase">
                    Expression
                  </th>
                </tr>
              </thead>
              <tbody>
                {vars.map((v) => (
                  <tr key={v.name} className="border-b border-line last:border-0">
                    <td className="px-4 py-2 font-mono text-xs">{v.name}</td>
                    <td className="px-4 py-2 font-mono text-xs break-all">{v.expression}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-[13px] text-muted">None — the workflow starts without variables.</p>
        )}
      </Section>
      <Section
        title="Raw trigger"
        actions={
          <Link
            from="/triggers/$triggerId"
            to="."
            search={(prev) => ({ ...prev, tab: 'occurrences' })}
            className="inline-flex items-center gap-1 text-[13px] text-accent-strong hover:underline"
          >
            Occurrences <Icon name="chevronRight" size={13} />
          </Link>
        }
      >
        <JsonView value={trigger} label="Trigger JSON" />
      </Section>
    </>
  );
}
