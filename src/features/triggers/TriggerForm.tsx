/**
 * Create a trigger — or "edit" one: triggers are immutable upstream (no update endpoint), so
 * editing creates a new trigger from a copy and then deletes the original.
 */
import { clip } from '../../lib/text';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { Controller, useFieldArray, useForm, useWatch } from 'react-hook-form';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { ApiError, errorText } from '../../api/errors';
import { eventTypesQuery, useCreateTrigger, useDeleteTrigger } from '../../api/triggers';
import { allWorkflowsQuery } from '../../api/workflows';
import type { Trigger, TriggerData, Workflow } from '../../api/types';
import { Button } from '../../components/Button';
import { RefusalNote, WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { parseTriggerError } from './editor/errors';
import { ExpressionEditor } from './editor/LazyEditors';
import { NO_PROBLEMS, problemsFor, problemsFromPreview, type FormProblems } from './problems';
import { TestPanel } from './TestPanel';
import { BacktestPanel } from '../simulation/BacktestPanel';
import { rowsToVars, varRowProblems, varsToRows, type VarRow } from './vars';

interface FormValues {
  name: string;
  event: string;
  version: string;
  workflowID: string;
  filter: string;
  vars: VarRow[];
}

const EVENT_TYPE = /^[A-Z][A-Z0-9_]{0,99}$/;
/** Envelope version each publishing service uses (the stack's event envelopes). */
const APP_VERSION: Record<string, string> = { ledger: 'v2', payments: 'v3', orchestration: 'v2' };
const COMMON_TYPES = ['COMMITTED_TRANSACTIONS', 'SAVED_PAYMENT', 'SAVED_METADATA', 'SAVED_ACCOUNT'];

/** `${name}` placeholders a workflow definition reads. */
export function workflowVariables(workflow: Workflow | undefined): string[] {
  if (!workflow) return [];
  const found = new Set<string>();
  for (const m of JSON.stringify(workflow.config.stages ?? []).matchAll(/\$\{([^}]+)\}/g)) found.add(m[1]!);
  return [...found];
}

function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
  optional,
}: {
  label: string;
  htmlFor?: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  optional?: boolean;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={htmlFor} className="text-[13px] font-medium">
        {label}
        {optional && <span className="ml-1 font-normal text-muted">(optional)</span>}
      </label>
      {children}
      {error ? (
        <p className="text-xs text-danger" role="alert">
          {error}
        </p>
      ) : (
        hint && <div className="text-xs text-muted">{hint}</div>
      )}
    </div>
  );
}

export function TriggerForm({ original, initial }: { original?: Trigger; initial?: { workflowID?: string; event?: string } }) {
  const navigate = useNavigate();
  const ids = useId();
  const eventTypes = useQuery(eventTypesQuery());
  const workflows = useQuery(allWorkflowsQuery());
  const create = useCreateTrigger();
  const remove = useDeleteTrigger();
  const refusal = useRefusal('manageTriggers');
  const [deleteOriginal, setDeleteOriginal] = useState(true);
  const [problems, setProblems] = useState<FormProblems>(NO_PROBLEMS);
  const [formError, setFormError] = useState<string>();

  const form = useForm<FormValues>({
    defaultValues: {
      name: original ? (original.name ?? '') : '',
      event: original?.event ?? initial?.event ?? '',
      version: original?.version ?? '',
      // A workflow asked for (re-pointing a copy, or ?workflowID=) wins over the copied one.
      workflowID: initial?.workflowID ?? original?.workflowID ?? '',
      filter: original?.filter ?? '',
      vars: varsToRows(original?.vars as Record<string, unknown> | undefined),
    },
  });
  const { register, control, handleSubmit, setError, clearErrors, formState } = form;
  const rows = useFieldArray({ control, name: 'vars' });
  const values = useWatch({ control }) as FormValues;
  const eventType = values.event?.trim() ?? '';

  const knownApp = useMemo(() => {
    for (const [app, types] of Object.entries(eventTypes.data ?? {})) if (types.includes(eventType)) return app;
    return undefined;
  }, [eventTypes.data, eventType]);
  const sortedWorkflows = useMemo(() => [...(workflows.data ?? [])].sort((a, b) => (a.config.name || a.id).localeCompare(b.config.name || b.id)), [workflows.data]);
  const workflow = sortedWorkflows.find((w) => w.id === values.workflowID);
  const needed = workflowVariables(workflow);
  const varNames = (values.vars ?? []).map((r) => r.name.trim()).filter(Boolean);
  const missing = needed.filter((n) => !varNames.includes(n));
  const varsMap = rowsToVars(values.vars ?? []) ?? {};

  async function onSubmit(v: FormValues) {
    setFormError(undefined);
    const rowProblems = varRowProblems(v.vars);
    let invalid = false;
    rowProblems.forEach((p, i) => {
      if (p?.name) setError(`vars.${i}.name`, { message: p.name });
      if (p?.expression) setError(`vars.${i}.expression`, { message: p.expression });
      invalid ||= !!p;
    });
    if (invalid) return;
    const vars = rowsToVars(v.vars);
    const body: TriggerData = {
      event: v.event.trim(),
      workflowID: v.workflowID,
      ...(v.name.trim() ? { name: v.name.trim() } : {}),
      ...(v.version.trim() ? { version: v.version.trim() } : {}),
      ...(v.filter.trim() ? { filter: v.filter } : {}),
      ...(vars ? { vars } : {}),
    };
    let created: Trigger;
    try {
      created = await create.mutateAsync(body);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 0 || err.status >= 500) {
        setFormError(errorText(err));
        return;
      }
      const fe = parseTriggerError(err.errorMessage, { filter: v.filter, vars });
      const where = fe.line !== undefined ? ` (line ${fe.line}, column ${fe.column})` : '';
      if (fe.field === 'filter') {
        setError('filter', { message: `${fe.message}${where}` });
        setProblems((p) => ({ ...p, filter: { source: v.filter, problems: [{ message: fe.message, line: fe.line, column: fe.column }] } }));
      } else if (fe.field.startsWith('vars.')) {
        const name = fe.field.slice(5);
        const index = v.vars.findIndex((r) => r.name.trim() === name);
        if (index >= 0) {
          setError(`vars.${index}.expression`, { message: `${fe.message}${where}` });
          setProblems((p) => ({
            ...p,
            vars: { ...p.vars, [name]: { source: v.vars[index]!.expression, problems: [{ message: fe.message, line: fe.line, column: fe.column }] } },
          }));
        } else setFormError(err.errorMessage);
      } else if (fe.field === 'event' || fe.field === 'workflowID' || fe.field === 'name' || fe.field === 'version') {
        setError(fe.field, { message: fe.message });
      } else setFormError(err.errorMessage);
      return;
    }
    if (original && deleteOriginal) {
      try {
        await remove.mutateAsync({ id: original.id, reason: `replaced by the edited trigger ${created.id}` });
      } catch (err) {
        toast({
          tone: 'error',
          title: 'The new trigger was created, but the original was not deleted',
          description: `${errorText(err)} — delete “${original.name || original.id}” by hand, or both will fire.`,
        });
      }
    }
    await navigate({ to: '/triggers/$triggerId', params: { triggerId: created.id } });
  }

  const submitting = formState.isSubmitting;
  const title = original ? `Edit “${original.name || 'unnamed trigger'}”` : 'New trigger';

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1.05fr)_minmax(0,1fr)]">
      <form onSubmit={handleSubmit(onSubmit)} noValidate aria-label={title} className="flex flex-col gap-5">
        {original && (
          <div
            className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-[13px] text-amber-950 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-100"
            role="note"
          >
            <p className="font-medium">Triggers cannot be changed in place.</p>
            <p className="mt-1">
              The Flows API has no update for triggers. Saving creates a <strong>new trigger</strong> (with a new id) from these settings, then deletes{' '}
              <Link to="/triggers/$triggerId" params={{ triggerId: original.id }} className="font-mono underline">
                {original.name || original.id}
              </Link>
              . The original’s occurrences stay readable at its link; instances it started keep running.
            </p>
            <label className="mt-2 flex items-center gap-2">
              <input type="checkbox" checked={deleteOriginal} onChange={(e) => setDeleteOriginal(e.target.checked)} className="size-4 accent-[var(--accent)]" />
              Delete the original after the new trigger is created
            </label>
            {!deleteOriginal && <p className="mt-1 text-xs">Both triggers will fire on matching events.</p>}
          </div>
        )}

        <div className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-4">
          <Field label="Name" htmlFor={`${ids}-name`} optional hint="Shown in lists and the command palette; search matches it." error={formState.errors.name?.message}>
            <input id={`${ids}-name`} className={inputClass} placeholder="e.g. big-deposits" autoComplete="off" {...register('name')} />
          </Field>

          <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_9rem]">
            <Field
              label="Event type"
              htmlFor={`${ids}-event`}
              error={formState.errors.event?.message}
              hint={
                !eventType ? (
                  <span className="flex flex-wrap items-center gap-1">
                    Common:
                    {COMMON_TYPES.map((t) => (
                      <button
                        key={t}
                        type="button"
                        className="rounded bg-subtle px-1.5 py-0.5 font-mono text-[11px] text-fg ring-1 ring-line ring-inset hover:bg-hover"
                        onClick={() => form.setValue('event', t, { shouldValidate: true })}
                      >
                        {t}
                      </button>
                    ))}
                  </span>
                ) : knownApp ? (
                  <>
                    Published by <strong className="font-medium">{knownApp}</strong> (envelope {APP_VERSION[knownApp] ?? 'any version'}).
                  </>
                ) : EVENT_TYPE.test(eventType) && eventTypes.isSuccess ? (
                  'Not a type the console knows — fine if your stack publishes it.'
                ) : undefined
              }
            >
              <input
                id={`${ids}-event`}
                list={`${ids}-event-types`}
                className={cn(inputClass, 'font-mono')}
                placeholder={formState.errors.event ? undefined : 'e.g. COMMITTED_TRANSACTIONS'}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={!!formState.errors.event}
                {...register('event', {
                  required: 'Choose the platform event type that fires this trigger',
                  validate: (v) => EVENT_TYPE.test(v.trim()) || 'Event types are UPPER_SNAKE_CASE, e.g. COMMITTED_TRANSACTIONS or SAVED_PAYMENT',
                })}
              />
              <datalist id={`${ids}-event-types`}>
                {Object.entries(eventTypes.data ?? {}).flatMap(([app, types]) =>
                  types.map((t) => (
                    <option key={t} value={t}>
                      {app}
                    </option>
                  )),
                )}
              </datalist>
            </Field>
            <Field label="Version" htmlFor={`${ids}-version`} optional error={formState.errors.version?.message} hint="Envelope version; empty = any.">
              <input
                id={`${ids}-version`}
                className={cn(inputClass, 'font-mono')}
                placeholder={knownApp ? `e.g. ${APP_VERSION[knownApp]}` : 'any'}
                autoComplete="off"
                {...register('version')}
              />
            </Field>
          </div>

          <Field
            label="Workflow to start"
            htmlFor={`${ids}-workflow`}
            error={formState.errors.workflowID?.message}
            hint={
              workflow ? (
                <span>
                  <Link to="/workflows/$workflowId" params={{ workflowId: workflow.id }} className="text-accent-strong hover:underline">
                    Open {workflow.config.name || workflow.id}
                  </Link>
                  {needed.length > 0 && (
                    <>
                      {' '}
                      · reads{' '}
                      {needed.map((n, i) => (
                        <span key={n}>
                          {i > 0 && ', '}
                          <code className={cn('font-mono', missing.includes(n) && 'text-danger')}>{`\${${n}}`}</code>
                        </span>
                      ))}
                    </>
                  )}
                </span>
              ) : workflows.isError ? (
                `Workflows could not be listed: ${errorText(workflows.error)}`
              ) : undefined
            }
          >
            <select
              id={`${ids}-workflow`}
              className={cn(inputClass, 'w-full')}
              aria-invalid={!!formState.errors.workflowID}
              {...register('workflowID', { required: 'Choose the workflow this trigger starts' })}
              // Controlled, so a preset workflow (?workflowID=) stays selected once the list arrives
              // (an uncontrolled select drops a value its options do not have yet).
              value={values.workflowID ?? ''}
            >
              <option value="">{workflows.isPending ? 'Loading workflows…' : 'Choose a workflow…'}</option>
              {sortedWorkflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {clip(w.config.name || 'unnamed')} — {w.id.slice(0, 8)}
                </option>
              ))}
              {values.workflowID && !workflow && workflows.isSuccess && <option value={values.workflowID}>{values.workflowID} (not found or deleted)</option>}
            </select>
          </Field>
        </div>

        <div className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-4">
          <Field
            label="Filter"
            htmlFor={`${ids}-filter`}
            optional
            error={formState.errors.filter?.message}
            hint={
              <>
                Only events for which this is <code className="font-mono">true</code> start the workflow; <code className="font-mono">event</code> is the payload. Empty:
                every {eventType || 'event'} matches. Use <code className="font-mono">?.</code> for fields that may be missing.
              </>
            }
          >
            <Controller
              control={control}
              name="filter"
              render={({ field }) => (
                <ExpressionEditor
                  id={`${ids}-filter`}
                  value={field.value}
                  onChange={(v) => {
                    field.onChange(v);
                    clearErrors('filter');
                  }}
                  onBlur={field.onBlur}
                  ariaLabel="Filter expression"
                  placeholder='event.ledger == "main" && event.transactions[0].postings[0].amount > 100000'
                  problems={problemsFor(problems.filter, field.value)}
                  minLines={2}
                  maxLines={10}
                />
              )}
            />
          </Field>

          <fieldset className="flex flex-col gap-2">
            <legend className="text-[13px] font-medium">
              Variables <span className="font-normal text-muted">(optional)</span>
            </legend>
            <p className="-mt-1 text-xs text-muted">
              Each expression becomes the workflow variable <code className="font-mono">${'{name}'}</code> (converted to text).
              {missing.length > 0 && (
                <>
                  {' '}
                  <span className="text-danger">The workflow also reads {missing.map((m) => `\${${m}}`).join(', ')} (empty unless set here).</span>{' '}
                  <button
                    type="button"
                    className="text-accent-strong underline"
                    onClick={() => missing.forEach((name) => rows.append({ name, expression: '' }, { shouldFocus: false }))}
                  >
                    Add {missing.length === 1 ? 'it' : 'them'}
                  </button>
                </>
              )}
            </p>
            {rows.fields.length > 0 && (
              <ul className="flex flex-col gap-2">
                {rows.fields.map((row, i) => {
                  const nameError = formState.errors.vars?.[i]?.name?.message;
                  const exprError = formState.errors.vars?.[i]?.expression?.message;
                  const name = values.vars?.[i]?.name?.trim() ?? '';
                  return (
                    <li key={row.id} className="grid grid-cols-[10rem_minmax(0,1fr)_auto] items-start gap-2" data-testid="var-row">
                      <div>
                        <input
                          className={cn(inputClass, 'w-full font-mono')}
                          placeholder="name"
                          aria-label={`Variable ${i + 1} name`}
                          autoComplete="off"
                          spellCheck={false}
                          aria-invalid={!!nameError}
                          {...register(`vars.${i}.name`, { onChange: () => clearErrors(`vars.${i}.name`) })}
                        />
                        {nameError && <p className="mt-1 text-xs text-danger">{nameError}</p>}
                      </div>
                      <div className="min-w-0">
                        <Controller
                          control={control}
                          name={`vars.${i}.expression`}
                          render={({ field }) => (
                            <ExpressionEditor
                              value={field.value}
                              onChange={(v) => {
                                field.onChange(v);
                                clearErrors(`vars.${i}.expression`);
                              }}
                              onBlur={field.onBlur}
                              ariaLabel={`Variable ${name || i + 1} expression`}
                              placeholder="event.transactions[0].id"
                              problems={problemsFor(problems.vars[name], field.value)}
                              minLines={1}
                              maxLines={6}
                            />
                          )}
                        />
                        {exprError && <p className="mt-1 text-xs whitespace-pre-wrap text-danger">{exprError}</p>}
                      </div>
                      <Button variant="ghost" size="sm" className="mt-0.5" aria-label={`Remove variable ${name || i + 1}`} onClick={() => rows.remove(i)}>
                        <Icon name="x" size={14} />
                      </Button>
                    </li>
                  );
                })}
              </ul>
            )}
            <div>
              <Button size="sm" onClick={() => rows.append({ name: '', expression: '' })}>
                <Icon name="plus" size={14} /> Add variable
              </Button>
            </div>
          </fieldset>
        </div>

        {formError && (
          <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] break-words text-danger">
            {formError}
          </p>
        )}
        <div className="flex items-center justify-end gap-2">
          {original ? (
            <Link to="/triggers/$triggerId" params={{ triggerId: original.id }} className="px-2 text-[13px] text-muted hover:text-fg">
              Cancel
            </Link>
          ) : (
            <Link to="/triggers" className="px-2 text-[13px] text-muted hover:text-fg">
              Cancel
            </Link>
          )}
          <RefusalNote reason={refusal} className="mr-auto" />
          <WithReason reason={refusal}>
            <Button type="submit" variant="primary" disabled={submitting || !!refusal}>
              {submitting ? 'Saving…' : original ? (deleteOriginal ? 'Save as new trigger and delete the original' : 'Save as new trigger') : 'Create trigger'}
            </Button>
          </WithReason>
        </div>
      </form>

      <div className="xl:sticky xl:top-4 xl:self-start">
        <TestPanel
          eventType={eventType}
          target={{ kind: 'preview', filter: values.filter ?? '', vars: varsMap }}
          workflowName={workflow?.config.name || undefined}
          missingVars={missing}
          onOutcome={(result, sources) => setProblems(problemsFromPreview(result, sources))}
        />
        <div className="mt-6">
          <BacktestPanel
            target={{
              trigger: {
                event: eventType,
                workflowID: values.workflowID ?? '',
                ...(values.version?.trim() ? { version: values.version.trim() } : {}),
                ...(values.filter?.trim() ? { filter: values.filter } : {}),
                vars: varsMap,
              },
            }}
            disabledReason={!eventType || !values.workflowID ? 'Pick an event type and a workflow first' : undefined}
          />
        </div>
      </div>
    </div>
  );
}
