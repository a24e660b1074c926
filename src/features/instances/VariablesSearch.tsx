import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { cn } from '../../lib/cn';
import { variablesError } from './queries';

/**
 * The list's search by run variables (`userID = 42 and amount > 1000`): checked as it is typed
 * with the server's own parser, and committed (after a pause, or on Enter) only when valid.
 */
export function VariablesSearch({ value, onChange, className }: { value: string; onChange: (value: string) => void; className?: string }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latest = useRef(onChange);
  latest.current = onChange;
  const errorId = useId();
  useEffect(() => setText(value), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const error = variablesError(text);
  const commit = (next: string) => {
    clearTimeout(timer.current);
    if (!variablesError(next)) latest.current(next.trim());
  };
  return (
    <div className={cn('relative', className)}>
      <span className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 font-mono text-[12px] text-muted">{'${}'}</span>
      <input
        type="search"
        aria-label="Search by variables"
        aria-invalid={!!error}
        aria-describedby={error ? errorId : undefined}
        placeholder="Variables: userID = 42 and amount > 1000"
        title="Conditions on run variables: = != ^= (prefix) > >= < <= (numbers), joined with and. A value ending in * matches by prefix."
        className={cn(inputClass, 'w-full pl-9 font-mono', error && 'border-danger focus:border-danger focus:ring-danger/25')}
        value={text}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(next), 500);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(text);
        }}
      />
      {error && (
        <p
          id={errorId}
          role="alert"
          className="absolute top-full left-0 z-20 mt-1 flex max-w-[min(32rem,90vw)] items-start gap-1 rounded-md border border-danger/40 bg-surface px-2 py-1 text-xs text-danger shadow"
        >
          <Icon name="alert" size={12} className="mt-0.5 shrink-0" />
          {error}
        </p>
      )}
    </div>
  );
}
