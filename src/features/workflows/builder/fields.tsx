import { useId, type ReactNode } from 'react';
import { get, useFormContext, useWatch, type FieldError } from 'react-hook-form';
import { inputClass } from '../../../components/inputs';
import { cn } from '../../../lib/cn';
import type { WorkflowForm } from '../form';

/** react-hook-form field names of the builder (typed loosely: paths are built from indexes). */
export type FieldName = string;

export function useFieldError(name: FieldName): string | undefined {
  const { formState } = useFormContext<WorkflowForm>();
  const error = get(formState.errors, name) as FieldError | undefined;
  return error?.message ?? (error ? 'Invalid value' : undefined);
}

function Message({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  if (error) {
    return (
      <p id={id} className="mt-1 text-xs text-danger" data-testid="field-error">
        {error}
      </p>
    );
  }
  return hint ? (
    <p id={id} className="mt-1 text-xs text-muted">
      {hint}
    </p>
  ) : null;
}

/**
 * A text field of the builder. Its placeholder is a hint, never a value: `example` shows as
 * "e.g. …", `fallback` (what the server uses when the field is blank) as "if blank: …", and
 * neither shows while the field has an error (an empty field that seems filled in, next to an
 * error asking to fill it in, is confusing).
 */
export function TextField({
  name,
  label,
  example,
  fallback,
  hint,
  mono = true,
  required,
  className,
}: {
  name: FieldName;
  label: string;
  example?: string;
  fallback?: string;
  hint?: ReactNode;
  mono?: boolean;
  required?: boolean;
  className?: string;
}) {
  const { register } = useFormContext<WorkflowForm>();
  const id = useId();
  const error = useFieldError(name);
  return (
    <div className={cn('min-w-0', className)}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-muted">
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        {...register(name as never)}
        placeholder={error ? undefined : fallback !== undefined ? `if blank: ${fallback}` : example !== undefined ? `e.g. ${example}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-msg` : undefined}
        aria-required={required || undefined}
        spellCheck={false}
        autoComplete="off"
        className={cn(inputClass, 'w-full', mono && 'font-mono text-[12.5px]', error && 'border-danger focus:border-danger focus:ring-danger/25')}
      />
      <Message id={`${id}-msg`} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  options,
  hint,
  className,
}: {
  name: FieldName;
  label: string;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  className?: string;
}) {
  const { register, control } = useFormContext<WorkflowForm>();
  const id = useId();
  const error = useFieldError(name);
  const value = useWatch({ control, name: name as never }) as unknown as string;
  // A value the options do not list (e.g. a ${variable}) stays selectable instead of being lost.
  const all = value !== undefined && value !== '' && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <div className={cn('min-w-0', className)}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-muted">
        {label}
      </label>
      <select
        id={id}
        {...register(name as never)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-msg` : undefined}
        className={cn(inputClass, 'w-full pr-7', error && 'border-danger')}
      >
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Message id={`${id}-msg`} error={error} hint={hint} />
    </div>
  );
}

/** A boolean with a default: default / true / false (a ${variable} is kept). */
export function FlagField({ name, label, hint, className }: { name: FieldName; label: string; hint?: ReactNode; className?: string }) {
  return (
    <SelectField
      name={name}
      label={label}
      hint={hint}
      className={className}
      options={[
        { value: '', label: 'default (false)' },
        { value: 'true', label: 'true' },
        { value: 'false', label: 'false' },
      ]}
    />
  );
}

/** Segmented radio buttons bound to a field (endpoint kinds, wallet id/name, delay mode). */
export function ChoiceField<T extends string>({
  name,
  legend,
  options,
  className,
}: {
  name: FieldName;
  legend: string;
  options: { value: T; label: string }[];
  className?: string;
}) {
  const { register, control } = useFormContext<WorkflowForm>();
  const current = useWatch({ control, name: name as never }) as unknown as string;
  const error = useFieldError(name);
  const id = useId();
  return (
    <fieldset className={cn('min-w-0', className)} aria-describedby={error ? `${id}-msg` : undefined}>
      <legend className="mb-1 block text-xs font-medium text-muted">{legend}</legend>
      <div className={cn('inline-flex flex-wrap rounded-lg border bg-subtle p-0.5', error ? 'border-danger' : 'border-line-strong')}>
        {options.map((o) => (
          <label
            key={o.value}
            className={cn(
              'inline-flex h-7 cursor-pointer items-center rounded-md px-2.5 text-[12.5px] has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent',
              current === o.value ? 'bg-surface font-medium text-fg shadow-sm' : 'text-muted hover:text-fg',
            )}
          >
            <input type="radio" value={o.value} {...register(name as never)} className="sr-only" />
            {o.label}
          </label>
        ))}
      </div>
      <Message id={`${id}-msg`} error={error} />
    </fieldset>
  );
}

export function CheckboxField({ name, label, hint }: { name: FieldName; label: string; hint?: ReactNode }) {
  const { register } = useFormContext<WorkflowForm>();
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="inline-flex items-center gap-2 text-[13px]">
        <input id={id} type="checkbox" {...register(name as never)} className="size-4 accent-[var(--accent)]" />
        {label}
      </label>
      {hint && <p className="mt-0.5 ml-6 text-xs text-muted">{hint}</p>}
    </div>
  );
}

/** Optional settings folded away unless one of them is set. */
export function MoreOptions({ children, open, label = 'More options' }: { children: ReactNode; open: boolean; label?: string }) {
  return (
    <details className="group mt-3" open={open || undefined}>
      <summary className="cursor-pointer text-xs font-medium text-muted select-none hover:text-fg">{label}</summary>
      <div className="mt-2 grid gap-3 sm:grid-cols-2">{children}</div>
    </details>
  );
}
