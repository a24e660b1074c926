import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { instanceQuery, useRunWorkflow } from '../../api/instances';
import { errorText } from '../../api/errors';
import { useIsRemote } from '../../api/info';
import type { Workflow, WorkflowInstance } from '../../api/types';
import { Button } from '../../components/Button';
import { WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { inputClass } from '../../components/inputs';
import { useModalDialog } from '../../components/useModalDialog';
import { cn } from '../../lib/cn';
import { currentStage, instanceState } from '../../../common/status';
import { readRunPreferences, writeRunPreferences } from './draft';
import { checkVariableValue, KIND_HINT, usesNeedingValue, variableUsages, type VariableUse } from './variables';
import type { DryRunTarget } from '../simulation/DryRunDialog';
import { RerunMoneyCheck, type RerunGate } from '../instances/RerunMoneyCheck';

const DryRunDialog = lazy(() => import('../simulation/DryRunDialog'));

/**
 * Runs a workflow: asks for every `${variable}` its definition uses (last values remembered per
 * workflow), starts the instance, then opens it — at once, or when it ends ("Wait for completion":
 * the dialog links to the instance as soon as it exists and watches it; the operator can stop
 * waiting at any time, and nothing navigates once the dialog is closed).
 * With `rerunOf` (Run again): prefilled with that instance's variables, and it lists the money
 * that instance already moved; Run then waits for the operator to confirm. `recovered`: the
 * variables read back from its history when the stack does not report them (remote mode).
 */
export function RunDialog({
  workflow,
  onClose,
  rerunOf,
  recovered,
}: {
  workflow: Workflow | undefined;
  onClose: () => void;
  rerunOf?: WorkflowInstance;
  recovered?: Record<string, string>;
}) {
  const ref = useModalDialog(!!workflow, { onClose });
  // "Dry run" hands the variables over to the dry-run dialog (it can then run for real).
  const [dryRun, setDryRun] = useState<DryRunTarget>();
  return (
    <>
      {dryRun && (
        <Suspense fallback={null}>
          <DryRunDialog target={dryRun} onClose={() => setDryRun(undefined)} />
        </Suspense>
      )}
      <dialog ref={ref} aria-labelledby="run-dialog-title" className="m-auto w-[min(94vw,560px)] rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl">
        {workflow && (
          <RunForm
            key={workflow.id}
            workflow={workflow}
            rerunOf={rerunOf}
            recovered={recovered}
            onCancel={() => ref.current?.close()}
            isOpen={() => ref.current?.open === true}
            onDryRun={(variables) => {
              setDryRun({ workflow, variables });
              ref.current?.close();
            }}
          />
        )}
      </dialog>
    </>
  );
}

function RunForm({
  workflow,
  rerunOf,
  recovered = {},
  onCancel,
  isOpen,
  onDryRun,
}: {
  workflow: Workflow;
  rerunOf?: WorkflowInstance;
  recovered?: Record<string, string>;
  onCancel: () => void;
  /** whether the dialog is still open: false as soon as it closes, before React unmounts the form */
  isOpen: () => boolean;
  onDryRun: (variables: Record<string, string>) => void;
}) {
  const variables = useMemo(() => variableUsages(workflow.config), [workflow]);
  const remembered = useMemo(() => readRunPreferences(workflow.id), [workflow.id]);
  const original = rerunOf?.variables;
  const [prefilled] = useState<Record<string, string>>(() =>
    Object.fromEntries(variables.map((v) => [v.name, (original ?? { ...remembered.variables, ...recovered })[v.name] ?? ''])),
  );
  const [values, setValues] = useState(prefilled);
  // A rerun's button says whether it runs the original's variables or edited ones.
  const edited = variables.some((v) => (values[v.name] ?? '') !== (prefilled[v.name] ?? ''));
  const runLabel = rerunOf ? (edited ? 'Run again with changes' : 'Run again') : 'Run';
  // A rerun keeps the original's variables that the definition does not use (they stay searchable).
  const unused = useMemo(() => Object.fromEntries(Object.entries(original ?? {}).filter(([k]) => !variables.some((v) => v.name === k))), [original, variables]);
  const [gate, setGate] = useState<RerunGate>(rerunOf ? 'checking' : 'clear');
  const [confirmed, setConfirmed] = useState(false);
  const held = gate === 'checking' || (gate === 'needs-confirm' && !confirmed);
  const [wait, setWait] = useState(remembered.wait);
  const [error, setError] = useState<string>();
  // Blank variables a stage needs: shown once Run is pressed, and Run then asks to confirm.
  const [checkedBlanks, setCheckedBlanks] = useState(false);
  const blanks = variables.filter((v) => (values[v.name] ?? '') === '' && usesNeedingValue(v).length > 0);
  const run = useRunWorkflow();
  const refusal = useRefusal('run');
  const navigate = useNavigate();
  const formId = useId();
  const deleted = !!workflow.deletedAt;
  const remote = useIsRemote();
  /** The instance being waited for. */
  const [started, setStarted] = useState<WorkflowInstance>();
  /** The approval request a held run became (four eyes). */
  const [heldAs, setHeldAs] = useState<string>();
  // Closing the dialog unmounts this form: a run answered after that must not navigate anywhere.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // Also once the dialog is closed (Stop waiting, Escape) and not yet unmounted: a poll answered in
  // between must not pull the page away either.
  const open = (instanceId: string) => {
    if (!mounted.current || !isOpen()) return;
    onCancel();
    void navigate({ to: '/instances/$instanceId', params: { instanceId } });
  };

  async function submit(runAnyway = false) {
    setError(undefined);
    if (blanks.length > 0 && !runAnyway) {
      setCheckedBlanks(true);
      document.getElementById(`${formId}-${blanks[0]!.name}`)?.focus();
      return;
    }
    writeRunPreferences(workflow.id, { variables: { ...remembered.variables, ...values }, wait });
    try {
      // Never the server's blocking wait (it holds the request, up to a minute, with nothing to
      // show): start, then watch the instance here.
      const outcome = await run.mutateAsync({ workflowID: workflow.id, variables: { ...unused, ...values } });
      if (!mounted.current) return;
      if (outcome.kind === 'held') return setHeldAs(outcome.approvalId);
      const instance = outcome.instance;
      if (wait && !instance.terminated) setStarted(instance);
      else open(instance.id);
    } catch (err) {
      if (mounted.current) setError(errorText(err));
    }
  }

  if (started) return <Waiting workflow={workflow} started={started} onEnded={open} onStop={onCancel} />;
  if (heldAs) return <HeldForApproval workflow={workflow} approvalId={heldAs} onClose={onCancel} />;

  return (
    <form
      id={formId}
      onSubmit={(e) => {
        e.preventDefault();
        if (!deleted && !refusal && !held && !run.isPending) void submit();
      }}
    >
      <div className="max-h-[70vh] overflow-auto p-5">
        <h2 id="run-dialog-title" className="text-base font-semibold [overflow-wrap:anywhere]">
          Run “{workflow.config.name || workflow.id}”{rerunOf && ' again'}
        </h2>
        {rerunOf && (
          <p className="mt-1 text-[13px] text-muted" data-testid="rerun-source">
            {original
              ? `Prefilled with the variables of instance ${rerunOf.id.slice(0, 8)}; edit any before running.`
              : recoveredText(rerunOf.id, Object.keys(recovered))}
            {Object.keys(unused).length > 0 && ` Its variables the definition does not use are passed on as they were: ${Object.keys(unused).join(', ')}.`}
          </p>
        )}
        <p className="mt-1 text-[13px] text-muted">
          {variables.length
            ? `The definition uses ${variables.length} variable${variables.length === 1 ? '' : 's'}. Values are strings; an empty value counts as absent (the field's default applies).`
            : 'This definition uses no variables.'}
        </p>
        {deleted && (
          <p role="alert" className="mt-3 rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
            {remote ? 'This workflow is deleted: the console does not run it (the stack still would).' : 'This workflow is deleted: it cannot be run any more.'}
          </p>
        )}
        <div className="mt-4 space-y-3">
          {variables.map((v) => {
            const id = `${formId}-${v.name}`;
            const needs = usesNeedingValue(v);
            const blank = (values[v.name] ?? '') === '';
            const problem =
              checkVariableValue(v, values[v.name] ?? '') ?? (checkedBlanks && blank && needs.length ? `Required: blank, it breaks ${describeUses(needs)}` : undefined);
            const kinds = [...new Set(v.uses.map((u) => u.kind))];
            const where = v.uses.map((u) => u.path.replace(/^stages\[(\d+)\]\./, (_, n) => `stage ${Number(n) + 1}: `)).join(', ');
            return (
              <div key={v.name}>
                <label htmlFor={id} className="mb-1 block font-mono text-[12.5px] font-medium">
                  {'${'}
                  {v.name}
                  {'}'}
                  {needs.length > 0 && (
                    <span className="ml-1.5 font-sans text-[11px] font-normal text-muted" title={`Left blank, it breaks ${describeUses(needs)}`}>
                      required
                    </span>
                  )}
                </label>
                <input
                  id={id}
                  value={values[v.name] ?? ''}
                  onChange={(e) => setValues((prev) => ({ ...prev, [v.name]: e.target.value }))}
                  placeholder={kinds.length === 1 && kinds[0] !== 'text' ? KIND_HINT[kinds[0]!] : undefined}
                  aria-describedby={`${id}-hint`}
                  aria-invalid={problem ? true : undefined}
                  aria-required={needs.length > 0 ? true : undefined}
                  spellCheck={false}
                  autoComplete="off"
                  className={cn(inputClass, 'w-full font-mono text-[12.5px]', problem && 'border-amber-500')}
                />
                <p id={`${id}-hint`} className={cn('mt-1 text-xs', problem ? 'text-amber-700 dark:text-amber-300' : 'text-muted')}>
                  {problem ?? `Used in ${where}`}
                </p>
              </div>
            );
          })}
        </div>
        <label className="mt-4 flex items-start gap-2 text-[13px]">
          <input type="checkbox" checked={wait} onChange={(e) => setWait(e.target.checked)} className="mt-0.5 size-4 accent-[var(--accent)]" />
          <span>
            Wait for completion
            <span className="block text-xs text-muted">
              The dialog links to the instance as soon as it starts and opens it when it ends; you can stop waiting at any time.
            </span>
          </span>
        </label>
        {rerunOf && <RerunMoneyCheck instance={rerunOf} confirmed={confirmed} onConfirm={setConfirmed} onGate={setGate} />}
        {checkedBlanks && blanks.length > 0 && (
          <div
            role="alert"
            className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] text-amber-900 dark:border-amber-400/40 dark:bg-amber-400/10 dark:text-amber-200"
            data-testid="blank-variables"
          >
            <p>
              {blanks.length === 1 ? 'One required variable is' : `${blanks.length} required variables are`} blank ({blanks.map((b) => `\${${b.name}}`).join(', ')}): the
              run would fail at stage {Math.min(...blanks.flatMap((b) => usesNeedingValue(b).map((u) => (u.stage ?? 0) + 1)))}.
            </p>
            <button type="button" className="mt-1.5 font-medium underline" onClick={() => void submit(true)} disabled={deleted || !!refusal || held || run.isPending}>
              Run anyway
            </button>
          </div>
        )}
        {error && (
          <p role="alert" className="mt-4 rounded-md bg-danger-soft px-3 py-2 text-[13px] break-words text-danger" data-testid="run-error">
            {error}
          </p>
        )}
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        <Button onClick={onCancel} disabled={run.isPending}>
          Cancel
        </Button>
        <Button onClick={() => onDryRun(values)} disabled={run.isPending} title="See what the run would do with money first; nothing is written">
          Dry run
        </Button>
        <WithReason
          reason={
            deleted
              ? 'Deleted workflows cannot be run'
              : (refusal ??
                (gate === 'checking' ? 'Checking what the original run moved' : held ? 'Confirm first, above, that running again is what you want' : undefined))
          }
        >
          <Button type="submit" variant="primary" disabled={deleted || !!refusal || held || run.isPending}>
            {run.isPending ? 'Starting…' : runLabel}
          </Button>
        </WithReason>
      </div>
    </form>
  );
}

/** Watches a started instance until it ends (then opens it), with its link and a way to stop waiting. */
function Waiting({ workflow, started, onEnded, onStop }: { workflow: Workflow; started: WorkflowInstance; onEnded: (id: string) => void; onStop: () => void }) {
  const live = useQuery(instanceQuery(started.id, { refetchInterval: 1000 }));
  const remote = useIsRemote();
  const instance = live.data ?? started;
  const ended = instance.terminated;
  useEffect(() => {
    if (ended) onEnded(instance.id);
  }, [ended, instance.id, onEnded]);
  const stage = currentStage(instance);
  const stages = workflow.config.stages.length;
  return (
    <div>
      <div className="p-5" role="status" aria-live="polite" data-testid="run-waiting">
        <h2 id="run-dialog-title" className="text-base font-semibold [overflow-wrap:anywhere]">
          Waiting for “{workflow.config.name || workflow.id}” to end
        </h2>
        <p className="mt-2 text-[13px]">
          Instance{' '}
          <Link to="/instances/$instanceId" params={{ instanceId: instance.id }} className="font-mono text-accent-strong underline" onClick={onStop}>
            {instance.id}
          </Link>{' '}
          started. {instanceState(instance) === 'running' ? (stage !== undefined ? `It is at stage ${stage + 1} of ${stages}.` : 'It is starting.') : 'It has ended.'}
        </p>
        <p className="mt-1 text-xs text-muted">
          It opens when it ends. Stopping the wait leaves it running: the instance page shows its progress, and lets you send it an event
          {remote ? ' (a Formance stack cannot abort a started run)' : ' or abort it'}.
        </p>
        {live.error && <p className="mt-2 text-xs text-danger">{errorText(live.error)}</p>}
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        <Button onClick={onStop}>Stop waiting</Button>
      </div>
    </div>
  );
}

function recoveredText(instanceID: string, names: string[]): string {
  const head = `The stack does not report the variables of instance ${instanceID.slice(0, 8)}:`;
  if (!names.length) return `${head} the fields hold the last values run from this console, if any.`;
  return `${head} ${names.map((n) => `\${${n}}`).join(', ')} ${names.length === 1 ? 'is' : 'are'} read back from the values its stages ran with; any other field holds the last value run from this console. Check them before running.`;
}

/** The run did not start: it waits for a second person's approval (docs/accountability.md). */
function HeldForApproval({ workflow, approvalId, onClose }: { workflow: Workflow; approvalId: string; onClose: () => void }) {
  return (
    <div>
      <div className="p-5" role="status" data-testid="run-held">
        <h2 id="run-dialog-title" className="text-base font-semibold [overflow-wrap:anywhere]">
          “{workflow.config.name || workflow.id}” is held for approval
        </h2>
        <p className="mt-2 text-[13px]">
          The run has not started. Another operator must approve it; it starts then, with these variables. Until then it waits on the{' '}
          <Link to="/approvals/$approvalId" params={{ approvalId }} className="text-accent-strong underline" onClick={onClose}>
            approval request
          </Link>
          , where it can also be withdrawn.
        </p>
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-subtle px-5 py-3">
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      </div>
    </div>
  );
}

/** `stage 2: send.source.account.id` (numbered from 1, as the dialog's hints). */
function describeUses(uses: VariableUse[]): string {
  return uses.map((u) => u.path.replace(/^stages\[(\d+)\]\./, (_, n) => `stage ${Number(n) + 1}: `)).join(', ');
}
