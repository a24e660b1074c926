import { useMutation, useQueryClient } from '@tanstack/react-query';
import { reasonHeaders } from '../../api/audit';
import { api, data } from '../../api/client';
import { isNotFoundError } from '../../api/errors';
import { fetchAllTriggers, triggerKeys } from '../../api/triggers';
import type { Trigger } from '../../api/types';
import { walkUnsure } from '../../api/walk';
import { workflowKeys } from '../../api/workflows';

/** The triggers of `workflowID`, from a clean reading of every trigger (or an error saying why not). */
export async function triggersOf(workflowID: string, signal?: AbortSignal): Promise<Trigger[]> {
  const walk = await fetchAllTriggers(signal);
  if (walkUnsure(walk)) throw new Error('The stack’s trigger list moved while the console read it, so some triggers may be missing. Try again.');
  return walk.rows.filter((t) => t.workflowID === workflowID);
}

/**
 * Remote mode: upstream Flows keeps firing the triggers of a deleted workflow and leaves the runs
 * they start out of every list, so the console deletes the workflow's triggers first, reads the
 * trigger list again to be sure none is left (one may have been added meanwhile), and only then
 * deletes the workflow. Stops before deleting the workflow if any trigger remains.
 */
export function useDeleteWorkflowAndTriggers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ workflowID, reason }: { workflowID: string; reason?: string }) => {
      const deleted: string[] = [];
      for (const trigger of await triggersOf(workflowID)) {
        try {
          await data(
            api().flows.DELETE('/api/orchestration/v2/triggers/{triggerID}', {
              params: { path: { triggerID: trigger.id } },
              headers: reasonHeaders(reason && `${reason} (deleting its workflow)`),
            }),
          );
        } catch (err) {
          if (!isNotFoundError(err)) throw err; // already gone is what we want
        }
        deleted.push(trigger.id);
      }
      const left = await triggersOf(workflowID);
      if (left.length) {
        throw new Error(
          `The workflow was not deleted: it still has ${left.length} trigger(s) (${left.map((t) => t.name || t.id).join(', ')}), added while the others were deleted.`,
        );
      }
      await data(api().flows.DELETE('/api/orchestration/v2/workflows/{flowId}', { params: { path: { flowId: workflowID } }, headers: reasonHeaders(reason) }));
      return { deletedTriggers: deleted };
    },
    meta: { success: 'Workflow deleted', error: 'Could not delete the workflow' },
    onSettled: (_, __, { workflowID }) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: workflowKeys.lists() }),
        qc.invalidateQueries({ queryKey: workflowKeys.detail(workflowID) }),
        qc.invalidateQueries({ queryKey: triggerKeys.all }),
      ]),
  });
}
