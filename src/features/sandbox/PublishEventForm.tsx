/**
 * Publish a platform event by hand (embedded mode): type, optional envelope app/version, and a
 * JSON payload validated as you type. Matching triggers fire exactly as for a real event.
 */
import { useId, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { errorText } from '../../api/errors';
import { listEventsQuery, usePublishEvent } from '../../api/events';
import { consoleInfoQuery } from '../../api/info';
import { eventTypesQuery } from '../../api/triggers';
import type { ConsoleEvent } from '../../api/types';
import { Button } from '../../components/Button';
import { RefusalNote, WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { cn } from '../../lib/cn';
import { parseJsonObject } from '../triggers/editor/jsonLanguage';
import { JsonEditor } from '../triggers/editor/LazyEditors';

/** Envelope app / version the server fills in per publishing service. */
const DEFAULTS: Record<string, [string, string]> = { ledger: ['ledger', 'v2'], payments: ['payments', 'v3'], orchestration: ['orchestration', 'v2'] };

/** Payload templates for the types triggers use most (the stack's event payloads). */
export const PAYLOAD_EXAMPLES: Record<string, unknown> = {
  COMMITTED_TRANSACTIONS: {
    ledger: 'main',
    transactions: [
      {
        id: 1000,
        postings: [{ source: 'world', destination: 'users:001', amount: 250000, asset: 'USD/2' }],
        metadata: { reason: 'published by hand' },
        timestamp: '2024-07-01T10:00:00Z',
        insertedAt: '2024-07-01T10:00:00Z',
        reverted: false,
      },
    ],
    accountMetadata: {},
  },
  SAVED_PAYMENT: {
    id: 'pay_manual_1',
    connectorID: 'stripe',
    provider: 'stripe',
    reference: 'pi_manual_1',
    createdAt: '2024-07-01T10:00:00Z',
    type: 'PAY-IN',
    status: 'SUCCEEDED',
    scheme: 'CARD_VISA',
    asset: 'USD/2',
    amount: '1999',
    initialAmount: '1999',
    rawData: {},
    metadata: {},
  },
  SAVED_METADATA: { ledger: 'main', targetType: 'ACCOUNT', targetId: 'users:001', metadata: { kyc: 'verified' } },
};

export function PublishEventForm({ initialType, onPublished }: { initialType?: string; onPublished?: (event: ConsoleEvent) => void }) {
  const ids = useId();
  const info = useQuery(consoleInfoQuery());
  const types = useQuery(eventTypesQuery());
  const publish = usePublishEvent();
  const refusal = useRefusal('publishEvent');
  const qc = useQueryClient();
  const [type, setType] = useState(initialType ?? '');
  const [app, setApp] = useState('');
  const [version, setVersion] = useState('');
  const [payload, setPayload] = useState(() => (initialType && PAYLOAD_EXAMPLES[initialType] ? JSON.stringify(PAYLOAD_EXAMPLES[initialType], null, 2) : ''));
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string>();
  const [published, setPublished] = useState<ConsoleEvent>();

  const remote = info.data?.mode === 'remote';
  const parsed = useMemo(() => parseJsonObject(payload), [payload]);
  const trimmedType = type.trim();
  const group = Object.entries(types.data ?? {}).find(([, list]) => list.includes(trimmedType))?.[0];
  const [defApp, defVersion] = (group && DEFAULTS[group]) ?? ['console', 'v1'];
  const typeProblem = !trimmedType
    ? 'Enter the event type, e.g. COMMITTED_TRANSACTIONS'
    : !/^[A-Z][A-Z0-9_]*$/.test(trimmedType)
      ? 'Triggers only match UPPER_SNAKE_CASE types such as COMMITTED_TRANSACTIONS'
      : undefined;
  const payloadProblem = 'problem' in parsed ? parsed.problem : undefined;

  async function startFromLatest() {
    if (!trimmedType) return;
    setError(undefined);
    try {
      const page = await qc.fetchQuery(listEventsQuery({ type: trimmedType, limit: 1 }));
      const latest = page.data[0];
      if (latest) setPayload(JSON.stringify(latest.payload, null, 2));
      else if (PAYLOAD_EXAMPLES[trimmedType]) setPayload(JSON.stringify(PAYLOAD_EXAMPLES[trimmedType], null, 2));
      else setError(`No ${trimmedType} event yet to start from.`);
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function submit() {
    setTouched(true);
    setError(undefined);
    if (typeProblem && !trimmedType) return;
    if (!('value' in parsed)) return;
    try {
      const event = await publish.mutateAsync({
        type: trimmedType,
        payload: parsed.value,
        ...(app.trim() ? { app: app.trim() } : {}),
        ...(version.trim() ? { version: version.trim() } : {}),
      });
      setPublished(event);
      onPublished?.(event);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <form
      className="rounded-xl border border-line bg-surface p-4"
      aria-labelledby={`${ids}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id={`${ids}-title`} className="text-sm font-semibold">
        Publish an event
      </h2>
      <p className="mt-0.5 text-xs text-muted">
        Goes on the bus like a real ledger or payments event: triggers listening to its type evaluate it and may start workflows.
      </p>
      {remote && (
        <p role="note" className="mt-3 rounded-md bg-subtle px-3 py-2 text-[13px] text-muted">
          Publishing by hand exists only with the embedded sandbox. In remote mode, events come from the stack’s own services.
        </p>
      )}
      <fieldset disabled={remote || publish.isPending} className="mt-3 flex flex-col gap-3">
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_8rem_6rem]">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${ids}-type`} className="text-[13px] font-medium">
              Event type
            </label>
            <input
              id={`${ids}-type`}
              list={`${ids}-types`}
              className={cn(inputClass, 'font-mono')}
              value={type}
              onChange={(e) => setType(e.target.value)}
              placeholder={touched && typeProblem ? undefined : 'e.g. COMMITTED_TRANSACTIONS'}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={touched && !!typeProblem}
            />
            <datalist id={`${ids}-types`}>
              {Object.entries(types.data ?? {}).flatMap(([g, list]) =>
                list.map((t) => (
                  <option key={t} value={t}>
                    {g}
                  </option>
                )),
              )}
            </datalist>
            {(touched || trimmedType) && typeProblem && <p className={cn('text-xs', trimmedType ? 'text-muted' : 'text-danger')}>{typeProblem}</p>}
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${ids}-app`} className="text-[13px] font-medium">
              App
            </label>
            <input
              id={`${ids}-app`}
              className={cn(inputClass, 'font-mono')}
              value={app}
              onChange={(e) => setApp(e.target.value)}
              placeholder={`if blank: ${defApp}`}
              autoComplete="off"
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${ids}-version`} className="text-[13px] font-medium">
              Version
            </label>
            <input
              id={`${ids}-version`}
              className={cn(inputClass, 'font-mono')}
              value={version}
              onChange={(e) => setVersion(e.target.value)}
              placeholder={`if blank: ${defVersion}`}
              autoComplete="off"
            />
          </div>
        </div>
        <div>
          <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
            <span className="text-[13px] font-medium">Payload (JSON object)</span>
            <span className="flex gap-1">
              <Button size="sm" variant="ghost" disabled={!trimmedType} onClick={startFromLatest}>
                Start from the latest {trimmedType && !typeProblem ? trimmedType : 'event'}
              </Button>
              {PAYLOAD_EXAMPLES[trimmedType] !== undefined && (
                <Button size="sm" variant="ghost" onClick={() => setPayload(JSON.stringify(PAYLOAD_EXAMPLES[trimmedType], null, 2))}>
                  Example
                </Button>
              )}
            </span>
          </div>
          <JsonEditor
            value={payload}
            onChange={setPayload}
            onSubmit={() => void submit()}
            ariaLabel="Event payload (JSON)"
            placeholder='{"ledger": "main", "transactions": [ … ]}'
            problems={payloadProblem && (touched || payload.trim()) ? [payloadProblem] : []}
            minLines={6}
            maxLines={14}
            readOnly={remote}
          />
          {payloadProblem && (touched || payload.trim()) && (
            <p className="mt-1 text-xs text-danger">
              {payload.trim() ? `Line ${payloadProblem.line}, column ${payloadProblem.column}: ` : ''}
              {payloadProblem.message}
            </p>
          )}
        </div>
        {error && (
          <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] break-words text-danger">
            {error}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <WithReason reason={refusal}>
            <Button type="submit" variant="primary" disabled={remote || publish.isPending || !!refusal}>
              <Icon name="events" size={14} /> {publish.isPending ? 'Publishing…' : 'Publish event'}
            </Button>
          </WithReason>
          <RefusalNote reason={refusal} />
          {published && (
            <p className="text-[13px]" role="status">
              Published <span className="font-mono">#{published.seq}</span> ({published.type}, {published.app} {published.version}).{' '}
              <Link to="/triggers" className="text-accent-strong hover:underline">
                Triggers
              </Link>{' '}
              show the occurrences it caused.
            </p>
          )}
        </div>
      </fieldset>
    </form>
  );
}
