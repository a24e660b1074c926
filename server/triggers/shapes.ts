import { iso, toInstance } from '../engine/shapes.js';

export function toTrigger(r: any) {
  const t: Record<string, unknown> = {
    id: r.id,
    name: r.name ?? '',
    event: r.event,
    workflowID: r.workflow_id,
    createdAt: iso(r.created_at),
  };
  if (r.filter !== null && r.filter !== undefined) t.filter = r.filter;
  if (r.version !== null && r.version !== undefined) t.version = r.version;
  if (r.vars !== null && r.vars !== undefined) t.vars = r.vars;
  return t;
}

/** The embedded instance has neither `status` nor `workflow` (upstream). */
export function toOccurrence(r: any) {
  const o: Record<string, unknown> = {
    id: r.id,
    triggerID: r.trigger_id,
    date: iso(r.date),
    event: r.event,
  };
  if (r.workflow_instance_id) {
    o.workflowInstanceID = r.workflow_instance_id;
    if (r.i_id) {
      o.workflowInstance = toInstance({
        id: r.i_id,
        workflow_id: r.i_workflow_id,
        created_at: r.i_created_at,
        updated_at: r.i_updated_at,
        terminated: r.i_terminated,
        terminated_at: r.i_terminated_at,
        error: r.i_error,
      });
    }
  }
  if (r.error !== null && r.error !== undefined) o.error = r.error;
  return o;
}
