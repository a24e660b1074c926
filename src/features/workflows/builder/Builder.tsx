import { useEffect, useMemo, useRef } from 'react';
import { FormProvider, useFieldArray, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button } from '../../../components/Button';
import { Icon } from '../../../components/Icon';
import { definitionToForm, emptyStage, formFieldForPath, formToDefinition, type StageFormKind, type WorkflowForm } from '../form';
import { workflowFormSchema } from '../formValidation';
import type { ServerProblem } from '../serverErrors';
import { TextField } from './fields';
import { KIND_LABELS, StageCard } from './StageCard';

export interface FocusRequest {
  path: (string | number)[];
  nonce: number;
}

const ADDABLE: StageFormKind[] = ['send', 'delay', 'wait_event', 'update', 'noop'];

/**
 * The visual builder: a form per stage (react-hook-form), kept in sync with the definition.
 * It reloads when `revision` changes (the definition changed in an editor, a template, an
 * import) and reports its own changes through `onChange`.
 */
export function Builder({
  definition,
  revision,
  readOnly,
  serverProblems,
  focus,
  onChange,
}: {
  definition: unknown;
  revision: number;
  readOnly?: boolean;
  serverProblems: ServerProblem[];
  focus?: FocusRequest;
  onChange: (definition: unknown) => void;
}) {
  // Only a new revision reloads the form: its own changes come back as the same definition.
  const initial = useMemo(() => definitionToForm(definition), [revision]);
  if (!initial.ok) {
    return (
      <div role="status" className="rounded-xl border border-line bg-surface p-6 text-[13px]">
        <p className="font-medium">The builder cannot show this definition</p>
        <p className="mt-1 text-muted">{initial.reason} Edit it in the JSON or YAML tab.</p>
      </div>
    );
  }
  return <BuilderForm key={revision} initial={initial.form} readOnly={readOnly} serverProblems={serverProblems} focus={focus} onChange={onChange} />;
}

function BuilderForm({
  initial,
  readOnly,
  serverProblems,
  focus,
  onChange,
}: {
  initial: WorkflowForm;
  readOnly?: boolean;
  serverProblems: ServerProblem[];
  focus?: FocusRequest;
  onChange: (definition: unknown) => void;
}) {
  const form = useForm<WorkflowForm>({ defaultValues: initial, resolver: zodResolver(workflowFormSchema), mode: 'onChange' });
  const stages = useFieldArray({ control: form.control, name: 'stages' });
  const latest = useRef(onChange);
  latest.current = onChange;

  // Report changes made here; a form that only normalizes what it loaded reports nothing.
  useEffect(() => {
    let baseline = JSON.stringify(formToDefinition(initial));
    const sub = form.watch((values) => {
      const definition = formToDefinition(values as WorkflowForm);
      const text = JSON.stringify(definition);
      if (text === baseline) return;
      baseline = text;
      latest.current(definition);
    });
    return () => sub.unsubscribe();
  }, [form, initial]);

  // Show every problem of what was loaded at once (templates are valid; imports may not be), then
  // the server's on top: its word on a field wins over the form's own check.
  const validated = useRef<Promise<unknown> | undefined>(undefined);
  useEffect(() => {
    validated.current ??= form.trigger();
  }, [form]);
  useEffect(() => {
    let live = true;
    void (validated.current ?? Promise.resolve()).then(() => {
      if (!live) return;
      const values = form.getValues();
      for (const p of serverProblems) {
        const field = formFieldForPath(p.path, values);
        if (field) form.setError(field as never, { type: 'server', message: p.message });
      }
    });
    return () => {
      live = false;
    };
  }, [form, serverProblems]);

  useEffect(() => {
    if (!focus) return;
    const field = formFieldForPath(focus.path, form.getValues());
    if (field) form.setFocus(field as never, { shouldSelect: false });
  }, [form, focus]);

  return (
    <FormProvider {...form}>
      <form onSubmit={(e) => e.preventDefault()} aria-label="Workflow builder" noValidate>
        <fieldset disabled={readOnly} className="min-w-0 space-y-4">
          <div className="max-w-md">
            <TextField name="name" label="Workflow name" placeholder="payin-to-wallet" mono={false} />
          </div>
          {stages.fields.length === 0 ? (
            <div className="rounded-xl border border-dashed border-line-strong p-8 text-center text-[13px] text-muted">
              No stages yet: running this workflow would succeed at once. Add a stage below, or start from a template.
            </div>
          ) : (
            <ol className="space-y-3" aria-label="Stages">
              {stages.fields.map((field, index) => (
                <StageCard
                  key={field.id}
                  index={index}
                  count={stages.fields.length}
                  onMove={(to) => stages.move(index, to)}
                  onDuplicate={() => stages.insert(index + 1, structuredClone(form.getValues(`stages.${index}`)))}
                  onRemove={() => stages.remove(index)}
                />
              ))}
            </ol>
          )}
          <div className="flex flex-wrap items-center gap-2 rounded-xl border border-dashed border-line-strong bg-surface/50 px-4 py-3">
            <span className="mr-1 text-[13px] text-muted">Add a stage:</span>
            {ADDABLE.map((kind) => (
              <Button key={kind} size="sm" onClick={() => stages.append(emptyStage(kind))}>
                <Icon name="plus" size={14} /> {KIND_LABELS[kind]}
              </Button>
            ))}
          </div>
        </fieldset>
      </form>
    </FormProvider>
  );
}
