/**
 * Money in flight (010_overview_live's `overview_pending`) at a lower price per engine write:
 * measured on PostgreSQL, 010's statement triggers were about 60 % of the database time of an
 * engine transition (README, Performance), and a quarter of that was the recompute of money in
 * flight for every instance whose stage moved, also for instances of workflows without a send,
 * for which it writes nothing.
 *
 * Now, after the lock (as in 010), only the instances that have a row or may need one (running,
 * a workflow not deleted with a send at or after the current stage) are recomputed, by 010's
 * recompute, renamed; the triggers call the name below. The choice is made after the lock, from
 * what is committed then, so two transactions touching one instance still recompute it one after
 * the other, the second from what the first committed.
 *
 * Each statement inside a trigger costs about as much as the rows it touches here, so nothing is
 * called when nothing is left; the live figures' recompute (`overview_live_refresh`) is left as
 * it was: a choice before it would cost one statement more than the recompute it spares.
 */
export default /* sql */ `
alter function overview_pending_refresh(text[], boolean) rename to overview_pending_recompute;

create function overview_pending_refresh(ids text[], lock boolean) returns void
language plpgsql volatile as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  if lock then
    perform 1 from instances where id = any(ids) order by id for no key update;
  end if;
  ids := array(
    select i.id from instances i
    join workflows w on w.id = i.workflow_id and w.deleted_at is null and w.send_keys is not null
    where i.id = any(ids) and not i.terminated and i.current_stage <= (w.send_keys->>'lastSend')::int
    union
    select p.instance_id from overview_pending p where p.instance_id = any(ids));
  if cardinality(ids) > 0 then
    perform overview_pending_recompute(ids, false);
  end if;
end $$;
`;
