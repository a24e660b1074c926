import { stageNumber } from '../../lib/stages';
import { useRefusal } from '../../api/access';
import { WithReason } from '../../components/WithReason';
import { useEffect, useId } from 'react';
import { useForm } from 'react-hook-form';
import { useSendEvent } from '../../api/instances';
import { Button } from '../../components/Button';
import { toast } from '../../components/toast';
import { inputClass } from '../../components/inputs';
import { cn } from '../../lib/cn';
import type { PreciseStatus } from '../../../common/status';

/** Why an event cannot be sent now (undefined when it can). */
export function sendEventBlocker(status: PreciseStatus): string | undefined {
  if (status.state !== 'running') return 'The instance has finished: events can only be sent to a running instance.';
  if (status.phase === 'waiting') return undefined;
  if (status.phase === 'starting') return 'No stage has started yet: an event is only delivered to a stage waiting for it.';
  return `Stage ${stageNumber(status.stage)} is not waiting for an event (${status.phase === 'delayed' ? 'it is a delay' : status.phase === 'retrying' ? 'it is retrying a call' : 'it is running'}): an event sent now would be dropped.`;
}

/** What became of a sent event: the server answers 204 either way, and drops a name the stage does not wait for. */
function announceOutcome(name: string, expected: string | undefined) {
  if (expected !== undefined && name !== expected) {
    toast({
      tone: 'warning',
      title: 'Event dropped',
      description: `The stage waits for “${expected}”: “${name}” was accepted and dropped, and the stage keeps waiting.`,
    });
  } else {
    toast({ tone: 'success', title: expected !== undefined ? `Event “${name}” delivered` : 'Event sent' });
  }
}

/**
 * Sends an event to the instance; the name is prefilled from the waiting stage. Disabled, with
 * the reason shown, whenever the event could not be delivered.
 */
export function SendEventForm({ instanceID, status }: { instanceID: string; status: PreciseStatus }) {
  const expected = status.state === 'running' && status.phase === 'waiting' ? status.event : undefined;
  const roleRefusal = useRefusal('sendEvent');
  const blocker = sendEventBlocker(status) ?? roleRefusal;
  const send = useSendEvent();
  const id = useId();
  const form = useForm<{ name: string }>({ defaultValues: { name: expected ?? '' } });
  const name = form.watch('name');

  // Prefill when the instance reaches a wait_event stage (or a different one).
  useEffect(() => {
    if (expected) form.reset({ name: expected });
  }, [expected, form]);

  const mismatch = expected && name.trim() && name.trim() !== expected;
  const error = form.formState.errors.name?.message;

  return (
    <form
      aria-label="Send an event"
      className="flex flex-wrap items-start gap-2"
      onSubmit={form.handleSubmit(async (v) => {
        const sent = v.name.trim();
        const ok = await send.mutateAsync({ instanceID, name: sent }).then(
          () => true,
          () => false,
        );
        if (ok) announceOutcome(sent, expected);
      })}
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={id} className="text-[13px] whitespace-nowrap text-muted">
            Event name
          </label>
          <input
            id={id}
            className={cn(inputClass, 'w-64 max-w-full min-w-0 font-mono')}
            disabled={!!blocker}
            aria-invalid={!!error}
            aria-describedby={`${id}-hint`}
            placeholder={error ? undefined : `e.g. ${expected ?? 'approved'}`}
            {...form.register('name', { validate: (v) => v.trim() !== '' || 'Enter the event name' })}
          />
          <WithReason reason={blocker}>
            <Button type="submit" variant="primary" disabled={!!blocker || send.isPending}>
              {send.isPending ? 'Sending…' : 'Send event'}
            </Button>
          </WithReason>
        </div>
        <p id={`${id}-hint`} className={cn('text-xs', error ? 'text-danger' : mismatch ? 'text-amber-700 dark:text-amber-300' : 'text-muted')}>
          {blocker ??
            error ??
            (mismatch
              ? `The stage waits for “${expected}”: an event with another name is dropped and the stage keeps waiting.`
              : `Completes the waiting stage; names are case-sensitive.`)}
        </p>
      </div>
    </form>
  );
}
