/**
 * Whether a trigger's workflow still exists. A trigger on a deleted workflow looks healthy in the
 * API (same fields), but it no longer starts anything useful: the list and the detail flag it,
 * say why, and offer to re-point it (a new trigger with the same settings, since triggers are
 * immutable) or delete it.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { useRefusal } from '../../api/access';
import { DisabledAction } from '../../components/WithReason';
import { Link } from '@tanstack/react-router';
import type { Trigger } from '../../api/types';
import { allWorkflowsQuery, workflowQuery } from '../../api/workflows';
import { buttonClass } from '../../components/Button';
import { Icon } from '../../components/Icon';

export type TriggerWorkflow = { state: 'active'; name: string } | { state: 'deleted'; name: string; deletedAt: string } | { state: 'missing' } | { state: 'unknown' };

/** The workflow of each trigger: active ones from the list, the others looked up one by one. */
export function useTriggerWorkflows(triggers: readonly Trigger[]): Map<string, TriggerWorkflow> {
  const active = useQuery(allWorkflowsQuery());
  const names = new Map((active.data ?? []).map((w) => [w.id, w.config.name || w.id]));
  // Deleted workflows are left out of the list, but a workflow's own page still returns them.
  const others = active.isSuccess ? [...new Set(triggers.map((t) => t.workflowID))].filter((id) => !names.has(id)) : [];
  const lookups = useQueries({ queries: others.map((id) => ({ ...workflowQuery(id), retry: false, staleTime: 30_000 })) });
  const out = new Map<string, TriggerWorkflow>();
  for (const [id, name] of names) out.set(id, { state: 'active', name });
  others.forEach((id, i) => {
    const q = lookups[i]!;
    if (q.data)
      out.set(
        id,
        q.data.deletedAt ? { state: 'deleted', name: q.data.config.name || id, deletedAt: q.data.deletedAt } : { state: 'active', name: q.data.config.name || id },
      );
    else if (q.isError) out.set(id, { state: 'missing' });
  });
  return out;
}

/** Why a trigger whose workflow is gone does not do its job (undefined when it does). */
export function orphanReason(workflow: TriggerWorkflow | undefined, remote: boolean): string | undefined {
  if (!workflow || workflow.state === 'active' || workflow.state === 'unknown') return undefined;
  const what = workflow.state === 'deleted' ? `Its workflow “${workflow.name}” was deleted` : 'Its workflow cannot be found';
  // Upstream Flows keeps firing such triggers; the embedded service skips them (README).
  return remote ? `${what}: the stack still fires this trigger, but the instances it starts are left out of instance lists.` : `${what}: this trigger no longer fires.`;
}

/** Re-point: the trigger form with this trigger's settings and the workflow left to choose. */
export function RepointLink({ trigger, className }: { trigger: Trigger; className?: string }) {
  const refusal = useRefusal('manageTriggers');
  if (refusal) {
    return (
      <DisabledAction reason={refusal} size="sm">
        <Icon name="triggers" size={13} /> Re-point…
      </DisabledAction>
    );
  }
  return (
    <Link
      to="/triggers/new"
      search={{ from: trigger.id, repoint: true }}
      className={className ?? buttonClass('secondary', 'sm')}
      title="Create a new trigger with the same event, filter and variables for another workflow, then delete this one"
    >
      <Icon name="triggers" size={13} /> Re-point…
    </Link>
  );
}
