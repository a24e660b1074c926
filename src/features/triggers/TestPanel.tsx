/**
 * "Test on a sample event": pick a recent sandbox event of the trigger's type (or paste a payload),
 * evaluate the filter and vars — unsaved (console preview) or saved (v2 test endpoint) — and show
 * match / no match, each variable's value, and errors. Nothing is started or recorded.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { listEventsQuery } from '../../api/events';
import { consoleInfoQuery } from '../../api/info';
import { errorText } from '../../api/errors';
import { usePreviewTrigger, useTestTrigger } from '../../api/triggers';
import type { ConsoleEvent } from '../../api/types';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { StatusBadge } from '../../components/StatusBadge';
import { useDateText } from '../../components/Time';
import { cn } from '../../lib/cn';
import { setCompletionSample } from './editor/completionSample';
import { locateExprError } from './editor/errors';
import { parseJsonObject } from './editor/jsonLanguage';
import { JsonEditor } from './editor/LazyEditors';
import type { ExpressionSources, TestResultData } from './problems';
import { summarizePayload } from './samples';

export type TestTarget =
  { kind: 'preview'; filter: string; vars: Record<string, string> } | { kind: 'saved'; triggerID: string; filter?: string; vars?: Record<string, string> };

interface Outcome {
  result: TestResultData;
  /** What was tested (to say when the form changed since). */
  key: string;
  sources: ExpressionSources;
}

const pretty = (payload: unknown) => JSON.stringify(payload, null, 2);

export function TestPanel({
  eventType,
  target,
  onOutcome,
  workflowName,
  missingVars = [],
}: {
  eventType: string;
  target: TestTarget;
  /** Called with each result (the form turns errors into editor markers). */
  onOutcome?: (result: TestResultData, sources: ExpressionSources) => void;
  workflowName?: string;
  /** `${vars}` the workflow reads that the trigger does not set. */
  missingVars?: string[];
}) {
  const info = useQuery(consoleInfoQuery());
  const remote = info.data?.mode === 'remote';
  const type = /^[A-Z][A-Z0-9_]*$/.test(eventType) ? eventType : undefined;
  // Recent events come from the embedded service's event log (none on a Formance stack). The
  // unsaved preview runs in the console server in both modes.
  const events = useQuery({ ...listEventsQuery({ type, limit: 20 }), enabled: !!type && info.isSuccess && !remote });
  const [payloadText, setPayloadText] = useState('');
  const [pickedSeq, setPickedSeq] = useState<number>();
  const [outcome, setOutcome] = useState<Outcome>();
  const preview = usePreviewTrigger();
  const test = useTestTrigger();
  const running = preview.isPending || test.isPending;
  const [requestError, setRequestError] = useState<string>();
  const selectId = useId();
  const samples = events.data?.data ?? [];
  const dateText = useDateText();

  // The newest sample of the type fills an empty payload, so a test is one click away.
  const autoFilled = useRef<string>(undefined);
  useEffect(() => {
    if (!type || autoFilled.current === type || !samples.length) return;
    if (payloadText.trim() && autoFilled.current === undefined) return;
    autoFilled.current = type;
    pick(samples[0]!);
  }, [type, samples]); // not on payload edits: typing must not bring the sample back

  const parsed = useMemo(() => parseJsonObject(payloadText), [payloadText]);
  useEffect(() => {
    if ('value' in parsed) setCompletionSample(parsed.value);
  }, [parsed]);
  const sources: ExpressionSources = { filter: target.filter ?? '', vars: target.vars ?? {} };
  // Reformatting the payload is not a change: compare what it means.
  const key = JSON.stringify(['value' in parsed ? parsed.value : payloadText, target]);

  function pick(event: ConsoleEvent) {
    setPickedSeq(event.seq);
    setPayloadText(pretty(event.payload));
  }

  async function run() {
    if (!('value' in parsed)) return;
    setRequestError(undefined);
    try {
      const result =
        target.kind === 'preview'
          ? await preview.mutateAsync({
              filter: target.filter.trim() ? target.filter : undefined,
              vars: Object.keys(target.vars).length ? target.vars : undefined,
              payload: parsed.value,
            })
          : await test.mutateAsync({ triggerID: target.triggerID, payload: parsed.value });
      setOutcome({ result, key, sources });
      onOutcome?.(result, sources);
    } catch (err) {
      setOutcome(undefined);
      setRequestError(errorText(err));
    }
  }

  const problems = 'problem' in parsed && payloadText.trim() ? [parsed.problem] : [];
  const stale = outcome && outcome.key !== key;

  return (
    <section aria-labelledby={`${selectId}-title`} className="rounded-xl border border-line bg-surface p-4">
      <div className="flex items-start justify-between gap-3">
        <div>
          <h2 id={`${selectId}-title`} className="text-sm font-semibold">
            Test on a sample event
          </h2>
          <p className="mt-0.5 text-xs text-muted">
            {target.kind === 'preview' ? 'Runs the filter and variables above before saving. ' : 'Runs this trigger’s filter and variables (v2 test endpoint). '}
            Nothing is started or recorded.
          </p>
        </div>
      </div>

      <div className="mt-3 flex flex-col gap-1.5">
        <label htmlFor={selectId} className="text-xs font-medium text-muted">
          {remote ? 'Recent events' : <>Recent {type ?? ''} events in the sandbox</>}
        </label>
        <select
          id={selectId}
          className={cn(inputClass, 'w-full')}
          value={pickedSeq ?? ''}
          disabled={!type || !samples.length || remote}
          onChange={(e) => {
            const ev = samples.find((s) => s.seq === Number(e.target.value));
            if (ev) pick(ev);
          }}
        >
          {remote ? (
            <option value="">The stack’s events cannot be listed from the console — paste a payload below</option>
          ) : !type ? (
            <option value="">Choose an event type first</option>
          ) : events.isPending ? (
            <option value="">Loading recent events…</option>
          ) : events.isError ? (
            <option value="">Recent events unavailable ({errorText(events.error)})</option>
          ) : samples.length === 0 ? (
            <option value="">No {type} events yet — paste a payload below</option>
          ) : (
            <>
              {pickedSeq === undefined && <option value="">Pick a sample…</option>}
              {samples.map((ev) => (
                <option key={ev.seq} value={ev.seq}>
                  #{ev.seq} · {dateText(ev.date)} · {summarizePayload(ev.type, ev.payload)}
                </option>
              ))}
            </>
          )}
        </select>
      </div>

      <div className="mt-3">
        <div className="mb-1.5 flex items-center justify-between gap-2">
          <span className="text-xs font-medium text-muted" id={`${selectId}-payload`}>
            Payload (what <code className="font-mono">event</code> is bound to)
          </span>
          <Button size="sm" variant="ghost" disabled={!('value' in parsed)} onClick={() => 'value' in parsed && setPayloadText(pretty(parsed.value))}>
            Format
          </Button>
        </div>
        <JsonEditor
          value={payloadText}
          onChange={(v) => {
            setPayloadText(v);
            setPickedSeq(undefined);
          }}
          onSubmit={run}
          ariaLabel="Sample event payload (JSON)"
          placeholder='{"ledger": "main", "transactions": [ … ]}'
          problems={problems}
          minLines={8}
          maxLines={18}
        />
        {problems[0] && (
          <p className="mt-1 text-xs text-danger">
            Line {problems[0].line}, column {problems[0].column}: {problems[0].message}
          </p>
        )}
      </div>

      {remote && target.kind === 'preview' && (
        <p role="note" className="mt-3 rounded-md bg-subtle px-3 py-2 text-[13px] text-muted" data-testid="preview-where">
          Before saving, this console evaluates the expressions itself (the same language as the stack’s); <code className="font-mono">link()</code> calls get no stack
          credentials. Once saved, the trigger’s Test tab asks the stack.
        </p>
      )}
      <div className="mt-3 flex items-center gap-2">
        <Button variant="primary" onClick={run} disabled={running || !('value' in parsed)}>
          <Icon name="triggers" size={14} /> {running ? 'Testing…' : 'Run test'}
        </Button>
        <span className="text-xs text-muted">Ctrl/⌘ + Enter in the payload</span>
      </div>

      <div aria-live="polite" className="mt-4">
        {requestError && (
          <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] break-words text-danger">
            {requestError}
          </p>
        )}
        {outcome && <TestResult outcome={outcome} stale={!!stale} eventType={eventType} workflowName={workflowName} missingVars={missingVars} />}
      </div>
    </section>
  );
}

function ErrorText({ text }: { text: string }) {
  const loc = locateExprError(text);
  return (
    <div className="mt-1">
      <p className="text-[13px] text-danger">
        {loc.message}
        {loc.line !== undefined && (
          <span className="text-muted">
            {' '}
            (line {loc.line}, column {loc.column})
          </span>
        )}
      </p>
      {text.includes('\n |') && (
        <pre className="mt-1 overflow-x-auto rounded bg-subtle p-2 font-mono text-xs leading-snug text-muted">{text.slice(text.indexOf('\n |') + 1)}</pre>
      )}
    </div>
  );
}

function TestResult({
  outcome,
  stale,
  eventType,
  workflowName,
  missingVars,
}: {
  outcome: Outcome;
  stale: boolean;
  eventType: string;
  workflowName?: string;
  missingVars: string[];
}) {
  const { result, sources } = outcome;
  const compileErrors = result.errors ?? [];
  const vars = Object.keys(sources.vars);
  const hasFilter = sources.filter.trim() !== '';
  const matched = compileErrors.length === 0 && (!hasFilter || result.filter?.match === true);
  const filterError = result.filter?.error;

  return (
    <div className={cn('rounded-lg border border-line p-3', stale && 'border-dashed border-line-strong')} data-testid="test-result" data-stale={stale || undefined}>
      {stale && (
        <p className="mb-2 flex items-center gap-1.5 text-xs font-medium text-amber-800 dark:text-amber-300">
          <Icon name="alert" size={13} /> The trigger or the payload changed since this result — run the test again.
        </p>
      )}
      {compileErrors.length > 0 ? (
        <>
          <div className="flex items-center gap-2">
            <StatusBadge tone="danger">Does not compile</StatusBadge>
            <span className="text-[13px] text-muted">Fix the marked expressions; nothing was evaluated.</span>
          </div>
          <ul className="mt-2 space-y-2">
            {compileErrors.map((e, i) => (
              <li key={i}>
                <span className="font-mono text-xs font-medium">{e.field === 'filter' ? 'Filter' : `Variable ${e.field.slice(5)}`}</span>
                <ErrorText text={e.message} />
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-xs font-medium tracking-wide text-muted uppercase">Filter</span>
            {!hasFilter ? (
              <StatusBadge tone="success">Match — no filter</StatusBadge>
            ) : filterError ? (
              <StatusBadge tone="danger">Error — no match</StatusBadge>
            ) : result.filter?.match ? (
              <StatusBadge tone="success">Match</StatusBadge>
            ) : (
              <StatusBadge tone="neutral">No match</StatusBadge>
            )}
          </div>
          {filterError && <ErrorText text={filterError} />}
          {hasFilter && !filterError && !result.filter?.match && (
            <p className="mt-1 text-[13px] text-muted">The filter is not true for this payload: a {eventType} event like it would be skipped (no occurrence).</p>
          )}
          {filterError && <p className="mt-1 text-[13px] text-muted">An event the filter cannot evaluate is skipped, like a non-match.</p>}

          {vars.length > 0 && (
            <div className="mt-3">
              <span className="text-xs font-medium tracking-wide text-muted uppercase">Variables</span>
              {!matched || !result.variables ? (
                <p className="mt-1 text-[13px] text-muted">Not computed: variables are evaluated only when the filter matches.</p>
              ) : (
                <table className="mt-1 w-full text-left text-[13px]">
                  <caption className="sr-only">Variable values</caption>
                  <thead>
                    <tr className="text-xs text-muted">
                      <th scope="col" className="py-1 pr-3 font-medium">
                        Name
                      </th>
                      <th scope="col" className="py-1 font-medium">
                        Value
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {vars.map((name) => {
                      const v = result.variables?.[name];
                      return (
                        <tr key={name} className="border-t border-line align-top">
                          <td className="py-1.5 pr-3 font-mono text-xs">{name}</td>
                          <td className="py-1.5">
                            {v?.error ? (
                              <ErrorText text={v.error} />
                            ) : (
                              <code className="font-mono text-xs break-all">{v?.value ?? <span className="text-muted italic">empty string</span>}</code>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )}
            </div>
          )}
          {matched && (
            <p className="mt-3 text-[13px]">
              {Object.values(result.variables ?? {}).some((v) => v.error) ? (
                <>A real event like this one would record an occurrence with the variable error, and start nothing.</>
              ) : (
                <>
                  A real event like this one would start {workflowName ? <strong className="font-medium">{workflowName}</strong> : 'the workflow'}
                  {vars.length ? ' with these variables.' : '.'}
                </>
              )}
            </p>
          )}
          {matched && missingVars.length > 0 && (
            <p className="mt-1 flex items-start gap-1.5 text-[13px] text-amber-800 dark:text-amber-300">
              <Icon name="alert" size={14} className="mt-0.5 shrink-0" />
              <span>
                The workflow also reads {missingVars.map((v) => `\${${v}}`).join(', ')}, which this trigger does not set: the run would see{' '}
                {missingVars.length === 1 ? 'an empty string' : 'empty strings'} there.
              </span>
            </p>
          )}
        </>
      )}
    </div>
  );
}

/** Link to the events page filtered on a type (to publish or inspect samples). */
export function EventsLink({ type }: { type: string }) {
  return (
    <Link to="/sandbox/events" search={{ type }} className="text-accent-strong hover:underline">
      {type} events
    </Link>
  );
}
