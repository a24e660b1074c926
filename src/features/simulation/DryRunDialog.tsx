/**
 * "Dry run": what a workflow — saved, or the unsaved definition of the author page — would do
 * with money for given variables, computed without writing anything; then "Run for real" with
 * the same variables (saved workflows). Lazy-loaded by the pages that open it.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { useRunWorkflow } from '../../api/instances';
import { errorText } from '../../api/errors';
import { useDryRun } from '../../api/simulations';
import type { Workflow } from '../../api/types';
import { Button } from '../../components/Button';
import { WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { inputClass } from '../../components/inputs';
import { Skeleton } from '../../components/states';
import { useModalDialog } from '../../components/useModalDialog';
import { cn } from '../../lib/cn';
import { readRunPreferences, writeRunPreferences } from '../workflows/draft';
import { checkVariableValue, KIND_HINT, variableUsages } from '../workflows/variables';
import { DryRunReport } from './DryRunReport';

export interface DryRunTarget {
  /** a saved workflow… */
  workflow?: Workflow;
  /** …or an unsaved definition */
  definition?: { name?: string; stages: unknown[] };
  /** the variables to start with (else the last ones run with) */
  variables?: Record<string, string>;
}

export default function DryRunDialog({ target, onClose }: { target: DryRunTarget | undefined; onClose: () => void }) {
  const ref = useModalDialog(!!target, { onClose });
  return (
    <dialog
      ref={ref}
      aria-labelledby="dry-run-title"
      className="m-auto w-[min(96vw,1100px)] rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl"
      data-testid="dry-run-dialog"
    >
      {target && <DryRun key={target.workflow?.id ?? 'draft'} target={target} onClose={() => ref.current?.close()} />}
    </dialog>
  );
}

function DryRun({ target, onClose }: { target: DryRunTarget; onClose: () => void }) {
  const { workflow } = target;
  const config = useMemo(() => workflow?.config ?? { name: target.definition?.name, stages: target.definition?.stages ?? [] }, [workflow, target.definition]);
  const variables = useMemo(() => variableUsages(config), [config]);
  const [values, setValues] = useState<Record<string, string>>(() => {
    const start = target.variables ?? (workflow ? readRunPreferences(workflow.id).variables : {});
    return Object.fromEntries(variables.map((v) => [v.name, start[v.name] ?? '']));
  });
  const waits = config.stages.some((s) => s && typeof s === 'object' && 'wait_event' in s);
  const [assumeEvents, setAssumeEvents] = useState(false);
  const dry = useDryRun();
  const run = useRunWorkflow();
  const refusal = useRefusal('run');
  const navigate = useNavigate();
  const ids = useId();
  const deleted = !!workflow?.deletedAt;

  const dryRun = (assume = assumeEvents) => {
    setAssumeEvents(assume);
    dry.mutate({ ...(workflow ? { workflowID: workflow.id } : { stages: config.stages as Record<string, unknown>[] }), variables: values, assumeEvents: assume });
  };
  // Straight away when nothing is left to fill in.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (variables.every((v) => values[v.name] !== '')) dryRun(false);
  }, []);
  // "Run for real" runs what was dry-run: the variables of the answer shown.
  const tried = dry.data?.variables;
  const changed = !!tried && variables.some((v) => (tried[v.name] ?? '') !== (values[v.name] ?? ''));

  async function runForReal() {
    if (!workflow || !tried) return;
    const prefs = readRunPreferences(workflow.id);
    writeRunPreferences(workflow.id, { ...prefs, variables: { ...prefs.variables, ...tried } });
    const outcome = await run.mutateAsync({ workflowID: workflow.id, variables: tried });
    onClose();
    if (outcome.kind === 'held') await navigate({ to: '/approvals/$approvalId', params: { approvalId: outcome.approvalId } });
    else await navigate({ to: '/instances/$instanceId', params: { instanceId: outcome.instance.id } });
  }

  return (
    <div className="flex max-h-[90vh] flex-col">
      <div className="overflow-auto p-5">
        <h2 id="dry-run-title" className="text-base font-semibold [overflow-wrap:anywhere]">
          Dry run “{config.name || workflow?.id || 'unsaved workflow'}”
        </h2>
        <p className="mt-1 text-[13px] text-muted">What a run would do with money, stage by stage. Nothing is written: no instance, transaction, event or metadata.</p>
        <form
          className="mt-4 flex flex-wrap items-end gap-x-4 gap-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            dryRun();
          }}
        >
          {variables.map((v) => {
            const id = `${ids}-${v.name}`;
            const problem = checkVariableValue(v, values[v.name] ?? '');
            const kinds = [...new Set(v.uses.map((u) => u.kind))];
            return (
              <div key={v.name} className="min-w-40">
                <label htmlFor={id} className="mb-1 block font-mono text-[12px] font-medium">{`\${${v.name}}`}</label>
                <input
                  id={id}
                  value={values[v.name] ?? ''}
                  onChange={(e) => setValues((prev) => ({ ...prev, [v.name]: e.target.value }))}
                  placeholder={kinds.length === 1 && kinds[0] !== 'text' ? KIND_HINT[kinds[0]!] : undefined}
                  aria-invalid={problem ? true : undefined}
                  title={problem}
                  spellCheck={false}
                  autoComplete="off"
                  className={cn(inputClass, 'w-48 font-mono text-[12.5px]', problem && 'border-amber-500')}
                />
              </div>
            );
          })}
          {waits && (
            <label className="flex items-center gap-2 pb-1.5 text-[13px]">
              <input type="checkbox" checked={assumeEvents} onChange={(e) => setAssumeEvents(e.target.checked)} className="size-4 accent-[var(--accent)]" />
              Assume awaited events arrive
            </label>
          )}
          <Button type="submit" variant={dry.data ? 'secondary' : 'primary'} disabled={dry.isPending}>
            {dry.isPending ? 'Dry-running…' : dry.data ? 'Dry run again' : 'Dry run'}
          </Button>
        </form>

        <div className="mt-5">
          {dry.isPending && !dry.data && (
            <div className="space-y-2" role="status" aria-label="Dry-running">
              <Skeleton className="h-10 w-full" />
              <Skeleton className="h-32 w-full" />
            </div>
          )}
          {dry.error && (
            <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] break-words text-danger" data-testid="dry-run-error">
              {errorText(dry.error)}
            </p>
          )}
          {dry.data && !dry.error && <DryRunReport report={dry.data} stageCount={config.stages.length} onAssumeEvents={() => dryRun(true)} />}
        </div>
      </div>
      <div className="flex flex-wrap items-center justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        {run.error && <span className="mr-auto text-[13px] text-danger">{errorText(run.error)}</span>}
        {!workflow && <span className="mr-auto text-[13px] text-muted">Create the workflow to run it for real.</span>}
        {workflow && changed && <span className="mr-auto text-[13px] text-muted">The variables changed since this dry run.</span>}
        <Button onClick={onClose}>Close</Button>
        {workflow && (
          <WithReason
            reason={
              deleted
                ? 'Deleted workflows cannot be run'
                : (refusal ?? (!tried ? 'Dry-run first' : changed ? 'The variables changed: dry-run them first' : 'Start a real run with the variables of this dry run'))
            }
          >
            <Button
              variant="primary"
              disabled={deleted || !!refusal || run.isPending || dry.isPending || !tried || changed}
              onClick={() => void runForReal().catch(() => undefined)}
            >
              {run.isPending ? 'Starting…' : 'Run for real'}
            </Button>
          </WithReason>
        )}
      </div>
    </div>
  );
}
