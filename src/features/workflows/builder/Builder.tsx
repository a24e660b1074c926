import { useEffect, useMemo, useRef, useState } from 'react';
import { FormProvider, get, useFieldArray, useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button } from '../../../components/Button';
import { Icon } from '../../../components/Icon';
import { definitionToForm, emptyStage, formFieldForPath, formToDefinition, type StageFormKind, type WorkflowForm } from '../form';
import { workflowFormSchema } from '../formValidation';
import type { ServerProblem } from '../serverErrors';
import { definitionProblems } from '../validation';
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

const formRules = zodResolver(workflowFormSchema);

/** Puts an error at a react-hook-form field name (`stages.0.send.amount.asset`), unless one is there or `replace`. */
function markField(errors: FieldErrors<WorkflowForm>, field: string, type: string, message: string, replace = false) {
  if (!replace && get(errors, field)) return;
  const segments = field.split('.');
  let node = errors as Record<string, unknown>;
  segments.slice(0, -1).forEach((seg, i) => {
    node[seg] ??= /^\d+$/.test(segments[i + 1]!) ? [] : {};
    node = node[seg] as Record<string, unknown>;
  });
  node[segments.at(-1)!] = { type, message };
}

/**
 * The builder's errors: its field rules, then every other problem the page lists for this
 * definition (the schema's, on a raw stage's JSON) and the server's, each on the field it is about.
 */
function builderResolver(server: { current: ServerProblem[] }): Resolver<WorkflowForm> {
  return async (values, context, options) => {
    const result = await formRules(values, context, options);
    const errors: FieldErrors<WorkflowForm> = { ...result.errors };
    for (const p of server.current) {
      const field = formFieldForPath(p.path, values);
      if (field) markField(errors, field, 'server', p.message, true);
    }
    for (const p of definitionProblems(formToDefinition(values))) {
      const field = formFieldForPath(p.path, values);
      if (field) markField(errors, field, 'definition', p.message);
    }
    return Object.keys(errors).length ? { values: {}, errors } : { values, errors: {} };
  };
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
  const server = useRef(serverProblems);
  server.current = serverProblems;
  const [resolver] = useState(() => builderResolver(server));
  const form = useForm<WorkflowForm>({ defaultValues: initial, resolver, mode: 'onChange' });
  const stages = useFieldArray({ control: form.control, name: 'stages' });
  const latest = useRef(onChange);
  latest.current = onChange;

  // Report changes made here; a form that only normalizes what it loaded reports nothing.
  useEffect(() => {
    let baseline = JSON.stringify(formToDefinition(initial));
    const sub = form.watch((values) => {
      const definition = formToDefinition(values as WorkflowForm);
      const text = JSON.stringify(definition);
      // Every field is checked again on each change (a picker that reveals an empty required
      // field marks it at once, not after the server refuses).
      void form.trigger();
      if (text === baseline) return;
      baseline = text;
      latest.current(definition);
    });
    return () => sub.unsubscribe();
  }, [form, initial]);

  // Every problem of what was loaded shows at once (templates are valid; imports may not be), and
  // again when the server's refusal changes: its word on a field wins over the form's own check.
  useEffect(() => {
    void form.trigger();
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
            <TextField
              name="name"
              label="Workflow name"
              example="payin-to-wallet"
              mono={false}
              required
              hint="Definitions are immutable: the name cannot change later."
            />
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
