import { json } from '../store/db.js';

/**
 * `insert into events …` for a data-modifying CTE guarded by a CTE named `inst`: writes the rows
 * EventBus.publish writes (app `orchestration`, version `v2`), one per event, only when `inst`
 * returned a row, in this order (a VALUES list keeps its order, so the events' seq follow it).
 * Appends its parameters to `params`; `date` names the parameter holding the event date.
 * Lets the engine write a stage transition and its events in one statement (one round trip).
 */
export function insertEvents(events: { type: string; payload: Record<string, unknown> }[], params: unknown[], date: string): string {
  const rows = events.map((e) => {
    params.push(e.type, json(e.payload));
    return `($${params.length - 1}::text, $${params.length}::jsonb)`;
  });
  return `insert into events (app, version, type, payload, date, idempotency_key)
    select 'orchestration', 'v2', e.type, e.payload, ${date}, '' from (values ${rows.join(', ')}) as e(type, payload)
    where exists (select 1 from inst)`;
}
