import { useId, useState } from 'react';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { useModalDialog } from '../../components/useModalDialog';
import { columnLabel, DEFAULT_LIST_COLUMNS, INSTANCE_COLUMNS, MAX_COLUMNS, variableColumn } from '../../../common/instance-columns';

/**
 * Chooses and orders the list's columns; every change applies at once (the list behind shows it).
 * A run variable becomes a column by its name (`userID` → `${userID}`).
 */
export function ColumnsDialog({
  open,
  columns,
  unavailable = [],
  onChange,
  onClose,
}: {
  open: boolean;
  columns: readonly string[];
  /** built-in columns this mode cannot fill (not offered) */
  unavailable?: readonly string[];
  onChange: (columns: string[]) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const ref = useModalDialog(open, { onClose, onShow: () => setVariable('') });
  const [variable, setVariable] = useState('');
  const hidden = INSTANCE_COLUMNS.filter((c) => !columns.includes(c.id) && !unavailable.includes(c.id));
  const name = variable
    .trim()
    .replace(/^\$\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  const variableError = !name
    ? undefined
    : columns.includes(variableColumn(name))
      ? `\${${name}} is already a column`
      : name.includes(',')
        ? 'A variable name has no comma'
        : undefined;
  const full = columns.length >= MAX_COLUMNS;

  const move = (index: number, by: -1 | 1) => {
    const next = [...columns];
    const [c] = next.splice(index, 1);
    next.splice(index + by, 0, c!);
    onChange(next);
  };
  const addVariable = () => {
    if (!name || variableError || full) return;
    onChange([...columns, variableColumn(name)]);
    setVariable('');
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} className="m-auto w-[min(94vw,460px)] rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl">
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold">
          Columns
        </h2>
        <p className="mt-1 text-[13px] text-muted">Shown in this order, left to right. A saved view keeps them.</p>
        <ol aria-label="Shown columns" className="mt-3 max-h-72 overflow-auto rounded-md border border-line">
          {columns.map((c, n) => (
            <li key={c} className="flex items-center gap-2 border-b border-line px-2.5 py-1.5 text-[13px] last:border-0">
              <span className={c.startsWith('$') ? 'min-w-0 flex-1 truncate font-mono' : 'min-w-0 flex-1 truncate'}>{columnLabel(c)}</span>
              <Button size="sm" variant="ghost" aria-label={`Move ${columnLabel(c)} left`} disabled={n === 0} onClick={() => move(n, -1)}>
                <Icon name="arrowUp" size={13} />
              </Button>
              <Button size="sm" variant="ghost" aria-label={`Move ${columnLabel(c)} right`} disabled={n === columns.length - 1} onClick={() => move(n, 1)}>
                <Icon name="arrowDown" size={13} />
              </Button>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Hide ${columnLabel(c)}`}
                disabled={columns.length === 1}
                onClick={() => onChange(columns.filter((x) => x !== c))}
              >
                <Icon name="x" size={13} />
              </Button>
            </li>
          ))}
        </ol>
        {hidden.length > 0 && (
          <div className="mt-3">
            <p className="text-[13px] text-muted">Add a column</p>
            <div className="mt-1 flex flex-wrap gap-1.5">
              {hidden.map((c) => (
                <Button key={c.id} size="sm" aria-label={`Add ${c.label}`} disabled={full} onClick={() => onChange([...columns, c.id])}>
                  <Icon name="plus" size={12} /> {c.label}
                </Button>
              ))}
            </div>
          </div>
        )}
        <form
          className="mt-3"
          onSubmit={(e) => {
            e.preventDefault();
            addVariable();
          }}
        >
          <label className="text-[13px] text-muted" htmlFor={`${titleId}-var`}>
            A run variable as a column
          </label>
          <div className="mt-1 flex gap-2">
            <input
              id={`${titleId}-var`}
              className={`${inputClass} min-w-0 flex-1 font-mono`}
              placeholder="userID"
              value={variable}
              onChange={(e) => setVariable(e.target.value)}
            />
            <Button type="submit" disabled={!name || !!variableError || full}>
              Add
            </Button>
          </div>
          {variableError && <p className="mt-1 text-xs text-danger">{variableError}</p>}
          {full && <p className="mt-1 text-xs text-muted">At most {MAX_COLUMNS} columns.</p>}
        </form>
      </div>
      <div className="flex justify-between gap-2 border-t border-line bg-subtle px-5 py-3">
        <Button variant="ghost" onClick={() => onChange([...DEFAULT_LIST_COLUMNS])}>
          Reset to default
        </Button>
        <Button variant="primary" onClick={() => ref.current?.close()}>
          Done
        </Button>
      </div>
    </dialog>
  );
}
