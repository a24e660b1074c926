import { queryOptions } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import { instanceKeys } from '../../api/instances';
import { fetchAllTriggers } from '../../api/triggers';
import type { Page, Trigger, TriggerOccurrence, WorkflowInstance } from '../../api/types';
import { walkList, walkUnsure } from '../../api/walk';

/** Occurrences read per trigger, at most (pages of 100). */
const OCCURRENCES_CAP = 2_000;

export type Provenance = { found: true; trigger: Trigger; occurrence: TriggerOccurrence } | { found: false; triggers: number; capped: boolean; unsure: boolean };

/**
 * Remote mode: upstream Flows does not say what started an instance, but each trigger occurrence
 * records the instance it started. So: every live trigger of the instance's workflow, and its
 * occurrences until one names this instance. A trigger deleted since cannot be listed, and a run
 * started by hand has no occurrence: both read as "not found".
 */
async function findProvenance(instance: WorkflowInstance, signal?: AbortSignal): Promise<Provenance> {
  const all = await fetchAllTriggers(signal);
  const triggers = all.rows.filter((t) => t.workflowID === instance.workflowID);
  let capped = false;
  let unsure = walkUnsure(all);
  for (const trigger of triggers) {
    const walk = await walkList(
      (cursor) =>
        data(
          api().flows.GET('/api/orchestration/v2/triggers/{triggerID}/occurrences', {
            params: { path: { triggerID: trigger.id }, query: cursor ? { cursor } : { pageSize: 100 } },
            signal,
          }),
        ).then((r) => r.cursor as Page<TriggerOccurrence>),
      { cap: OCCURRENCES_CAP, key: (o) => o.id ?? `${o.date}|${o.workflowInstanceID ?? ''}` },
    );
    const occurrence = walk.rows.find((o) => o.workflowInstanceID === instance.id);
    if (occurrence) return { found: true, trigger, occurrence };
    capped ||= walk.capped;
    unsure ||= walkUnsure(walk);
  }
  return { found: false, triggers: triggers.length, capped, unsure };
}

export function provenanceQuery(instance: WorkflowInstance) {
  return queryOptions({
    queryKey: [...instanceKeys.detail(instance.id), 'provenance'] as const,
    queryFn: ({ signal }) => findProvenance(instance, signal),
    // An occurrence is recorded just after the run it starts: look again while not found.
    staleTime: (q) => (q.state.data?.found ? Infinity : 15_000),
  });
}
