import { useId } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { Button } from '../../../components/Button';
import { Icon } from '../../../components/Icon';
import { inputClass } from '../../../components/inputs';
import { cn } from '../../../lib/cn';
import { formToDefinition, type StageForm, type StageFormKind, type WorkflowForm } from '../form';
import { LEDGER_DEFAULTS } from '../schema';
import { describeStage } from '../stageFacts';
import { ChoiceField, TextField, useFieldError } from './fields';
import { MetadataRows } from './MetadataRows';
import { SendFields } from './SendFields';

export const KIND_LABELS: Record<StageFormKind, string> = {
  send: 'Send money',
  delay: 'Delay',
  wait_event: 'Wait for an event',
  update: 'Update account metadata',
  noop: 'No-op',
  raw: 'Raw JSON',
};

function Summary({ index }: { index: number }) {
  const { control } = useFormContext<WorkflowForm>();
  const stage = useWatch({ control, name: `stages.${index}` }) as StageForm;
  const text = stage ? describeStage(formToDefinition({ name: '', stages: [stage] }).stages[0]) : '';
  return (
    <p className="truncate text-xs text-muted" title={text}>
      {text}
    </p>
  );
}

function RawField({ name }: { name: string }) {
  const { register } = useFormContext<WorkflowForm>();
  const id = useId();
  const error = useFieldError(name);
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-muted">
        Stage JSON
      </label>
      <textarea
        id={id}
        {...register(name as never)}
        rows={6}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        className={cn(inputClass, 'h-auto w-full py-2 font-mono text-[12.5px]', error && 'border-danger')}
      />
      <p id={`${id}-msg`} className={cn('mt-1 text-xs', error ? 'text-danger' : 'text-muted')}>
        {error ?? 'The forms cannot express this stage (unknown kind or key, or values of another type): edit its JSON here, or pick a kind above to start a form.'}
      </p>
    </div>
  );
}

export function StageCard({
  index,
  count,
  onMove,
  onDuplicate,
  onRemove,
}: {
  index: number;
  count: number;
  onMove: (to: number) => void;
  onDuplicate: () => void;
  onRemove: () => void;
}) {
  const { register, control } = useFormContext<WorkflowForm>();
  const kind = useWatch({ control, name: `stages.${index}.kind` }) as StageFormKind;
  const base = `stages.${index}`;
  const kindId = useId();
  const kindError = useFieldError(`${base}.kind`);
  const kinds = (Object.keys(KIND_LABELS) as StageFormKind[]).filter((k) => k !== 'raw' || kind === 'raw');
  return (
    <li className="rounded-xl border border-line bg-surface shadow-[0_1px_2px_rgba(16,24,40,0.04)]" data-testid="stage-card" aria-label={`Stage ${index + 1}`}>
      <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2.5">
        <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-accent-soft text-xs font-semibold text-accent-strong" aria-hidden="true">
          {index + 1}
        </span>
        <div>
          <label htmlFor={kindId} className="sr-only">
            Kind of stage {index + 1}
          </label>
          <select
            id={kindId}
            {...register(`stages.${index}.kind`)}
            className={cn(inputClass, 'h-7 pr-7 font-medium', kindError && 'border-danger')}
            aria-invalid={kindError ? true : undefined}
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-0 flex-1">
          <Summary index={index} />
          {kindError && <p className="text-xs text-danger">{kindError}</p>}
        </div>
        <div className="flex items-center gap-0.5">
          <Button variant="ghost" size="sm" aria-label={`Move stage ${index + 1} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
            <Icon name="arrowUp" size={14} />
          </Button>
          <Button variant="ghost" size="sm" aria-label={`Move stage ${index + 1} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
            <Icon name="arrowDown" size={14} />
          </Button>
          <Button variant="ghost" size="sm" aria-label={`Duplicate stage ${index + 1}`} onClick={onDuplicate}>
            <Icon name="copy" size={14} />
          </Button>
          <Button variant="ghost" size="sm" aria-label={`Remove stage ${index + 1}`} onClick={onRemove}>
            <Icon name="trash" size={14} />
          </Button>
        </div>
      </div>
      <div className="p-4">
        {kind === 'send' && <SendFields base={`${base}.send`} />}
        {kind === 'delay' && <DelayFields base={`${base}.delay`} />}
        {kind === 'wait_event' && (
          <TextField
            name={`${base}.wait_event.event`}
            label="Event name"
            example="approved"
            required
            hint="The instance waits until an event with exactly this name is sent to it."
            className="max-w-md"
          />
        )}
        {kind === 'update' && (
          <div className="space-y-3">
            <div className="grid gap-3 sm:grid-cols-2">
              <TextField name={`${base}.update.account.id`} label="Account address" example="users:${userID}" required />
              <TextField
                name={`${base}.update.account.ledger`}
                label="Ledger"
                fallback={LEDGER_DEFAULTS.update}
                hint={`Blank: “${LEDGER_DEFAULTS.update}” (a send stage's blank ledger is “${LEDGER_DEFAULTS.send}”).`}
              />
            </div>
            <MetadataRows name={`${base}.update.account.metadata`} label="Metadata to add" hint="String values; ${variables} are replaced when the stage runs." />
          </div>
        )}
        {kind === 'noop' && <p className="text-[13px] text-muted">Does nothing and completes at once.</p>}
        {kind === 'raw' && <RawField name={`${base}.raw`} />}
      </div>
    </li>
  );
}

function DelayFields({ base }: { base: string }) {
  const { control } = useFormContext<WorkflowForm>();
  const mode = useWatch({ control, name: `${base}.mode` as never }) as unknown as 'duration' | 'until';
  return (
    <div className="grid gap-3 sm:grid-cols-[auto_1fr] sm:items-start">
      <ChoiceField
        name={`${base}.mode`}
        legend="Wait"
        options={[
          { value: 'duration', label: 'For a duration' },
          { value: 'until', label: 'Until a date' },
        ]}
      />
      {mode === 'duration' ? (
        <TextField name={`${base}.duration`} label="Duration" example="30s" required hint="Go duration: 300ms, 90s, 1h30m (no days)." className="max-w-xs" />
      ) : (
        <TextField name={`${base}.until`} label="Until (RFC 3339)" example="2030-01-01T00:00:00Z" required hint="A past date continues at once." className="max-w-sm" />
      )}
    </div>
  );
}
