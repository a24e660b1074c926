import { useFieldArray, useFormContext } from 'react-hook-form';
import { Button } from '../../../components/Button';
import { Icon } from '../../../components/Icon';
import type { WorkflowForm } from '../form';
import { TextField, useFieldError, type FieldName } from './fields';

/** Key/value rows of a metadata map. Values accept ${variables}; keys are written as is. */
export function MetadataRows({ name, label, hint }: { name: FieldName; label: string; hint?: string }) {
  const { control } = useFormContext<WorkflowForm>();
  const rows = useFieldArray({ control, name: name as never });
  const error = useFieldError(name);
  return (
    <fieldset className="min-w-0">
      <legend className="mb-1 text-xs font-medium text-muted">{label}</legend>
      {hint && <p className="mb-2 text-xs text-muted">{hint}</p>}
      <div className="space-y-2">
        {rows.fields.map((row, j) => (
          <div key={row.id} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <TextField name={`${name}.${j}.key`} label={`Key ${j + 1}`} example="reason" />
            <TextField name={`${name}.${j}.value`} label={`Value ${j + 1}`} example="value or ${variable}" />
            <Button variant="ghost" size="sm" className="mt-5" aria-label={`Remove metadata row ${j + 1}`} onClick={() => rows.remove(j)}>
              <Icon name="x" size={14} />
            </Button>
          </div>
        ))}
      </div>
      {error && <p className="mt-1 text-xs text-danger">{error}</p>}
      <Button size="sm" variant="ghost" className="mt-2" onClick={() => rows.append({ key: '', value: '' } as never)}>
        <Icon name="plus" size={14} /> Add metadata
      </Button>
    </fieldset>
  );
}
