import { useIsRemote } from '../../api/info';
import type { Trigger } from '../../api/types';

/** What deleting a trigger does, said once for the list and the detail page. */
export function DeleteTriggerText({ trigger }: { trigger: Trigger }) {
  const remote = useIsRemote();
  return (
    <p>
      “{trigger.name || trigger.id}” stops firing on <code className="font-mono">{trigger.event}</code> events and leaves the list. Instances it already started keep
      running;{' '}
      {remote
        ? 'the stack keeps its occurrences but no longer shows the trigger itself, so its page will answer “not found”.'
        : 'its occurrences stay readable at its link.'}
    </p>
  );
}
