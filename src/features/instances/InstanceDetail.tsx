import { apiStage, stageNumber } from '../../lib/stages';
import { DownloadRecord } from './DownloadRecord';
import { WithReason } from '../../components/WithReason';
import { AbortedBy, AuditTrail } from '../audit/AuditTrail';
import { useAskReason, useRefusal } from '../../api/access';
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { instanceHistoryQuery, instanceKeys, instanceQuery, instanceTopics, useAbortInstance } from '../../api/instances';
import { liveStream } from '../../api/live';
import { errorText, isNotFoundError } from '../../api/errors';
import { useIsRemote } from '../../api/info';
import { triggerQuery } from '../../api/triggers';
import type { WorkflowInstance } from '../../api/types';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Contained } from '../../components/Contained';
import { IdText } from '../../components/CopyButton';
import { DataTable } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { JsonView } from '../../components/JsonView';
import { Facts, PageHeader, Section } from '../../components/Page';
import { Time } from '../../components/Time';
import { cn } from '../../lib/cn';
import { currentStage, type PreciseStatus } from '../../../common/status';
import { stageKind } from '../../lib/stages';
import { formatDuration } from '../../lib/time';
import { Countdown, useTick } from './live';
import { ProgressBadge, useInstanceProgress } from './InstanceProgress';
import { useLivePreference } from './preferences';
import { preciseText } from './progress';
import { RunDialog } from '../workflows/RunDialog';
import { abortRefusal, STACK_ABORT } from './abort';
import { provenanceQuery } from './provenance';
import { recoverVariables } from './recoverVariables';
import { SendEventForm } from './SendEventForm';
import { StageDetail } from './StageDetail';
import { StageTimeline } from './StageTimeline';

const route = getRouteApi('/instances/$instanceId');

/** Polling while an instance runs with live updates on: a new stage shows within a second. */
const LIVE_MS = 500;
const CALLS_MS = 1000;

/** Disabled control with its reason on hover (a disabled button gets no pointer events itself). */
/** Remote mode: rebuilt from the occurrences of the workflow's triggers (see provenance.ts). */
function StackProvenance({ instance }: { instance: WorkflowInstance }) {
  const found = useQuery(provenanceQuery(instance));
  if (found.isPending)
    return (
      <span data-testid="provenance" className="text-muted">
        Looking through the occurrences of this workflow’s triggers…
      </span>
    );
  if (found.isError)
    return (
      <span data-testid="provenance" className="text-muted">
        Unknown: {errorText(found.error)}
      </span>
    );
  const p = found.data;
  if (!p.found) {
    return (
      <span data-testid="provenance" title="The stack records no origin on an instance; the console looked for it in the occurrences of this workflow's triggers">
        By hand or by a deleted trigger{' '}
        <span className="text-muted">
          (not among the occurrences of {p.triggers === 1 ? 'its 1 trigger' : `its ${p.triggers} triggers`}
          {p.capped ? `, first ${'2,000'} of each read` : ''}
          {p.unsure ? '; the stack’s lists moved while read' : ''})
        </span>
      </span>
    );
  }
  return (
    <span
      data-testid="provenance"
      className="inline-flex flex-wrap items-center gap-x-1"
      title="Found in the trigger's occurrences (the stack records no origin on the instance)"
    >
      Trigger{' '}
      <Link to="/triggers/$triggerId" params={{ triggerId: p.trigger.id }} className="text-accent-strong hover:underline">
        {p.trigger.name || p.trigger.id.slice(0, 8)}
      </Link>{' '}
      on event <code className="rounded bg-subtle px-1 font-mono text-[12px]">{p.trigger.event}</code>
      <span className="text-muted">
        · fired <Time value={p.occurrence.date} />
      </span>
    </span>
  );
}

function Provenance({ instance }: { instance: WorkflowInstance }) {
  const trigger = useQuery({ ...triggerQuery(instance.triggerID ?? ''), enabled: !!instance.triggerID, retry: false });
  const remote = useIsRemote();
  if (!instance.triggerID && remote) return <StackProvenance instance={instance} />;
  if (!instance.triggerID) {
    return (
      <span data-testid="provenance">
        By hand <span className="text-muted">(API or console run)</span>
      </span>
    );
  }
  const deleted = trigger.isError && isNotFoundError(trigger.error);
  return (
    <span data-testid="provenance" className="inline-flex flex-wrap items-center gap-x-1">
      Trigger{' '}
      <Link to="/triggers/$triggerId" params={{ triggerId: instance.triggerID }} className="text-accent-strong hover:underline">
        {trigger.data ? trigger.data.name || trigger.data.id.slice(0, 8) : instance.triggerID.slice(0, 8)}
      </Link>
      {deleted && <span className="text-muted">(deleted)</span>}
      {trigger.data && (
        <>
          {' '}
          on event <code className="rounded bg-subtle px-1 font-mono text-[12px]">{trigger.data.event}</code>
        </>
      )}
      {instance.occurrenceID && (
        <>
          {' · '}
          <Link
            to="/triggers/$triggerId"
            params={{ triggerId: instance.triggerID }}
            search={{ tab: 'occurrences' }}
            className="text-accent-strong hover:underline"
            title={`Occurrence ${instance.occurrenceID}`}
          >
            occurrence {instance.occurrenceID.slice(0, 8)}
          </Link>
        </>
      )}
    </span>
  );
}

/**
 * Opens the workflow's Run dialog prefilled with this instance's variables (editable), listing
 * the money it already moved. Upstream Flows (remote mode) does not return an instance's
 * variables: the dialog then says so, and offers those it can read back from the instance's
 * history (and the last values run from this console for the others).
 */
export function RunAgain({ instance }: { instance: WorkflowInstance }) {
  const [open, setOpen] = useState(false);
  // Without the variables (remote mode), the dialog reads back what it can from the history.
  const readBack = open && instance.variables === undefined && !!instance.status?.length;
  const history = useQuery({ ...instanceHistoryQuery(instance.id), enabled: readBack });
  const remote = useIsRemote();
  const roleRefusal = useRefusal('run');
  const workflow = instance.workflow;
  const reason =
    roleRefusal ??
    (workflow?.deletedAt
      ? remote
        ? 'The workflow was deleted: the stack would still run it, the console does not offer to.'
        : 'The workflow was deleted: it can no longer be run.'
      : !workflow
        ? 'The stack did not return the workflow'
        : undefined);
  return (
    <>
      <WithReason
        reason={
          reason ??
          (instance.variables === undefined
            ? "Start a new instance of this workflow: the stack does not report this instance's variables, the Run dialog asks for them"
            : 'Start a new instance of this workflow with these variables, edited if you like')
        }
      >
        <Button disabled={!!reason} onClick={() => setOpen(true)}>
          <Icon name="refresh" size={14} /> Run again…
        </Button>
      </WithReason>
      <RunDialog
        workflow={open && !(readBack && history.isPending) ? workflow : undefined}
        rerunOf={instance}
        recovered={readBack && workflow && history.data ? recoverVariables(workflow.config.stages, history.data) : undefined}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

/** The banner under the title: exactly where the instance is, with the countdown when retrying. */
function StatusCallout({ status, instance }: { status: PreciseStatus; instance: WorkflowInstance }) {
  const tone =
    status.state === 'failed'
      ? 'border-red-200 bg-red-50 dark:border-red-400/30 dark:bg-red-400/10'
      : status.state === 'aborted' || (status.state === 'running' && status.phase === 'retrying')
        ? 'border-amber-200 bg-amber-50 dark:border-amber-400/30 dark:bg-amber-400/10'
        : status.state === 'succeeded'
          ? 'border-emerald-200 bg-emerald-50 dark:border-emerald-400/30 dark:bg-emerald-400/10'
          : 'border-sky-200 bg-sky-50 dark:border-sky-400/30 dark:bg-sky-400/10';
  const body = (() => {
    if (status.state === 'succeeded')
      return <>Succeeded{instance.terminatedAt && <> in {formatDuration(Date.parse(instance.terminatedAt) - Date.parse(instance.createdAt))}</>}.</>;
    if (status.state === 'aborted')
      return <>Aborted{status.stage !== undefined && <> during stage {stageNumber(status.stage)}</>}: the instance was cancelled and its later stages never ran.</>;
    if (status.state === 'failed') {
      return (
        <>
          Failed{status.stage !== undefined && <> at stage {stageNumber(status.stage)}</>}:{' '}
          <span className="font-mono text-[12.5px] break-words whitespace-pre-wrap" data-testid="instance-error">
            {status.error}
          </span>
        </>
      );
    }
    switch (status.phase) {
      case 'starting':
        return <>Starting: no stage has started yet.</>;
      case 'stage':
        return (
          <>
            Running stage {stageNumber(status.stage)} ({status.kind}){status.activity && <>: {status.activity}</>}.
          </>
        );
      case 'waiting':
        return (
          <>
            Waiting for event <code className="rounded bg-surface/70 px-1 font-mono">{status.event}</code> (stage {stageNumber(status.stage)}). Send it below to continue.
          </>
        );
      case 'delayed':
        return status.until ? (
          <>
            Delayed until <Time value={status.until} mode="absolute" /> — resumes <Countdown to={status.until} className="font-medium tabular-nums" /> (stage{' '}
            {stageNumber(status.stage)}).
          </>
        ) : (
          <>Delayed (stage {stageNumber(status.stage)}).</>
        );
      case 'retrying':
        return (
          <>
            Retrying <span className="font-mono">{status.activity}</span> (stage {stageNumber(status.stage)}) — attempt {status.attempt}
            {status.nextExecution && (
              <>
                , next try <Countdown to={status.nextExecution} className="font-medium tabular-nums" />
              </>
            )}
            .
            {status.lastFailure && (
              <span className="mt-1 block">
                Last failure: <span className="font-mono text-[12.5px] break-words">{status.lastFailure}</span>
              </span>
            )}
          </>
        );
    }
  })();
  return (
    <div data-testid="status-callout" title={preciseText(status)} className={cn('mb-4 rounded-xl border px-4 py-3 text-[13.5px]', tone)}>
      {body}
    </div>
  );
}

export function InstanceDetail() {
  const { instanceId } = route.useParams();
  const search = route.useSearch();
  const { data: loaded } = useSuspenseQuery(instanceQuery(instanceId));
  const [live, setLive] = useLivePreference();
  const { instance, status } = useInstanceProgress(loaded, live ? LIVE_MS : false, live ? CALLS_MS : false);
  const history = useQuery({ ...instanceHistoryQuery(instanceId), enabled: !!instance.status?.length });
  const abort = useAbortInstance();
  const askReason = useAskReason();
  const [confirming, setConfirming] = useState(false);
  const qc = useQueryClient();
  const running = !instance.terminated;
  const current = currentStage(instance);
  const now = useTick(1000, running);

  // A stage started or ended: refresh the history and activities at once (not at their next poll).
  const signature = `${instance.terminated}|${(instance.status ?? []).map((s) => `${s.stage}:${s.terminatedAt ?? ''}`).join(',')}`;
  const previous = useRef(signature);
  useEffect(() => {
    if (previous.current === signature) return;
    previous.current = signature;
    // The live stream pushes the history itself when it carries it.
    if (liveStream.carries(instanceTopics(instanceId).history)) return;
    void qc.invalidateQueries({ queryKey: instanceKeys.history(instanceId) });
    void qc.invalidateQueries({ queryKey: [...instanceKeys.detail(instanceId), 'stage'] });
  }, [signature, qc, instanceId]);

  // Opened by a deep link (?stage=n): the drill-down scrolls itself into view once loaded.
  const [deepLinked] = useState(search.stage !== undefined);

  const statuses = instance.status ?? [];
  const failedStage = statuses.find((s) => s.error)?.stage;
  const lastStarted = statuses.length ? Math.max(...statuses.map((s) => s.stage)) : undefined;
  const stageCount = Math.max(instance.workflow?.config.stages?.length ?? 0, lastStarted !== undefined ? lastStarted + 1 : 0);
  const linked = search.stage !== undefined ? apiStage(search.stage) : undefined;
  const selected = linked !== undefined && linked < Math.max(stageCount, 1) ? linked : (current ?? failedStage ?? lastStarted ?? 0);
  const variables = Object.entries(instance.variables ?? {});
  const variablesReported = instance.variables !== undefined;
  const name = instance.workflow?.config.name || instance.workflowID;
  const remote = useIsRemote();
  const operatorRefusal = useRefusal('abort');
  const abortReason = instance.terminated ? 'This instance has already terminated' : operatorRefusal;

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Instance <ProgressBadge status={status} />
          </span>
        }
        meta={
          <>
            <IdText id={instance.id} short={false} />
            <span>
              of{' '}
              <Link to="/workflows/$workflowId" params={{ workflowId: instance.workflowID }} className="text-accent-strong hover:underline">
                {name}
              </Link>
              {instance.workflow?.deletedAt && <span className="ml-1 text-xs">(deleted)</span>}
            </span>
          </>
        }
        actions={
          <>
            {running && (
              <label className="mr-1 inline-flex cursor-pointer items-center gap-2 text-[13px] text-muted" title="Poll the server twice a second while the instance runs">
                <input type="checkbox" role="switch" checked={live} onChange={(e) => setLive(e.target.checked)} className="size-4 accent-[var(--accent)]" />
                Live updates
                {live && <span className="size-1.5 animate-pulse rounded-full bg-emerald-500" aria-hidden="true" />}
              </label>
            )}
            <DownloadRecord instanceID={instance.id} />
            <RunAgain instance={instance} />
            <WithReason reason={abortReason ?? (remote ? 'Ask the stack to abort this run (it refuses once a run has started)' : 'Stop this instance now')}>
              <Button variant="secondary" disabled={!!abortReason} onClick={() => setConfirming(true)}>
                Abort
              </Button>
            </WithReason>
          </>
        }
      />
      <Contained variant="panel" label="The status" resetKey={instance}>
        <StatusCallout status={status} instance={instance} />
      </Contained>
      {instance.terminated && <AbortedBy instanceId={instance.id} />}
      <div className="mb-4 rounded-xl border border-line bg-surface px-4 py-3">
        <h2 className="sr-only">Send an event</h2>
        <SendEventForm instanceID={instance.id} status={status} />
      </div>
      <Contained variant="panel" label="The facts" resetKey={instance}>
        <Facts
          items={[
            { label: 'Started', value: <Time value={instance.createdAt} mode="absolute" /> },
            {
              label: instance.terminated ? 'Ended' : 'Running for',
              value: instance.terminated ? (
                <>
                  <Time value={instance.terminatedAt} mode="absolute" />
                  {instance.terminatedAt && (
                    <span className="text-muted"> · took {formatDuration(Date.parse(instance.terminatedAt) - Date.parse(instance.createdAt))}</span>
                  )}
                </>
              ) : (
                <span className="tabular-nums">{formatDuration(Math.max(0, now - Date.parse(instance.createdAt)))}</span>
              ),
            },
            { label: 'Started by', value: <Provenance instance={instance} /> },
            {
              label: instance.terminated ? 'Stages run' : 'Current stage',
              value: instance.terminated ? (
                `${statuses.length} of ${stageCount}`
              ) : current !== undefined ? (
                <>
                  Stage {stageNumber(current)} <span className="font-mono text-xs">{stageKind(instance.workflow?.config.stages?.[current])}</span> of {stageCount}
                </>
              ) : (
                'none yet'
              ),
            },
            // A Formance stack never updates `updatedAt` (it stays the creation time): not shown there.
            ...(remote ? [] : [{ label: 'Last change', value: <Time value={instance.updatedAt} /> }]),
            { label: 'Workflow id', value: <IdText id={instance.workflowID} /> },
          ]}
        />
      </Contained>
      <Section title="Timeline">
        <Contained variant="panel" label="The timeline" resetKey={instance}>
          <StageTimeline instance={instance} selected={selected} retryingStage={status.state === 'running' && status.phase === 'retrying' ? status.stage : undefined} />
        </Contained>
      </Section>
      <Contained variant="panel" label={`Stage ${stageNumber(selected)}`} resetKey={`${selected}|${instance.updatedAt}|${history.dataUpdatedAt}`}>
        <StageDetail instance={instance} stage={selected} history={history.data} refetchMs={live && running ? CALLS_MS : false} scrollIntoView={deepLinked} />
      </Contained>
      <Section title="Variables">
        {variables.length ? (
          <DataTable
            label="Variables"
            columns={[
              { id: 'name', header: 'Name', className: 'w-1/3', cell: ([k]) => <code className="font-mono text-xs">{k}</code> },
              { id: 'value', header: 'Value', cell: ([, v]) => <code className="font-mono text-xs break-all">{v}</code> },
            ]}
            rows={variables}
            rowKey={([k]) => k}
          />
        ) : (
          <p className="rounded-xl border border-line bg-surface p-4 text-[13px] text-muted" data-testid="no-variables">
            {variablesReported ? 'This instance was started without variables.' : 'The stack does not report the variables an instance was started with.'}
          </p>
        )}
      </Section>
      <Section title="Raw instance">
        <details className="rounded-xl border border-line bg-surface px-4 py-2 text-[13px]">
          <summary className="cursor-pointer text-muted hover:text-fg">Instance JSON as the API returns it</summary>
          <div className="mt-2 mb-1">
            <JsonView value={instance} label="Instance JSON" />
          </div>
        </details>
      </Section>
      <AuditTrail targetType="instance" targetId={instance.id} />
      <ConfirmDialog
        open={confirming}
        title={remote ? 'Ask the stack to abort this instance?' : 'Abort this instance?'}
        confirmLabel={remote ? 'Ask to abort' : 'Abort instance'}
        askReason={askReason}
        onClose={() => setConfirming(false)}
        onConfirm={async (reason) => {
          try {
            await abort.mutateAsync({ instanceID: instance.id, reason });
          } catch (err) {
            // A Formance stack refuses every abort of a started run: say why, in words.
            throw remote ? new Error(abortRefusal(err)) : err;
          }
        }}
      >
        {remote ? (
          <p data-testid="abort-explanation">{STACK_ABORT}</p>
        ) : (
          <p>
            The current stage{current !== undefined ? ` (stage ${stageNumber(current)})` : ''} stops at once — waits, timers and retries are cancelled — and the instance
            ends with the error <code className="font-mono">canceled</code>. Later stages never run. Effects already made (transactions, metadata) are not undone.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
