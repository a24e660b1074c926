/**
 * /triggers/new — create a trigger; with ?from=<triggerId>, "edit" it (triggers are immutable:
 * a new one is created from a copy, then the original is deleted).
 *   ?from=<triggerId>     copy this trigger's settings (edit)
 *   ?workflowID=<id>      preselect the workflow to start (e.g. from a workflow page)
 *   ?event=<TYPE>         preselect the event type, e.g. COMMITTED_TRANSACTIONS
 *   ?from=<id>&repoint=true   re-point: the copy leaves the workflow to choose (its own was deleted)
 */
import { createFileRoute } from '@tanstack/react-router';
import { eventTypesQuery, triggerQuery } from '../api/triggers';
import { allWorkflowsQuery } from '../api/workflows';
import { optionalParam, textParam, v } from '../lib/search';
import { NewTriggerPage } from '../features/triggers/NewTriggerPage';

const searchSchema = v.object({ from: textParam, workflowID: textParam, event: textParam, repoint: optionalParam(v.boolean()) });

export const Route = createFileRoute('/triggers/new')({
  staticData: { crumb: 'New' },
  validateSearch: searchSchema,
  loaderDeps: ({ search: { from } }) => ({ from }),
  loader: async ({ context: { queryClient }, deps: { from } }) => {
    // The pickers can fill in later; the copied trigger is needed to render the form.
    void queryClient.prefetchQuery(allWorkflowsQuery());
    void queryClient.prefetchQuery(eventTypesQuery());
    if (from) await queryClient.ensureQueryData(triggerQuery(from));
  },
  component: NewTriggerPage,
});
