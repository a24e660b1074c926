import type { Trigger } from '../../api/types';

/**
 * What deleting a trigger does, said once for the list and the detail page. Both the embedded
 * service and a Formance stack keep a deleted trigger's occurrences but no longer show the
 * trigger itself.
 */
export function DeleteTriggerText({ trigger }: { trigger: Trigger }) {
  return (
    <p>
      “{trigger.name || trigger.id}” stops firing on <code className="font-mono">{trigger.event}</code> events and leaves the list. Instances it already started keep
      running; its occurrences are kept, but the trigger itself is no longer shown, so its page will answer “not found”.
    </p>
  );
}
