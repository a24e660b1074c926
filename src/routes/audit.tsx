/**
 * /audit — the audit log: every write through the console, newest first.
 *   ?actor=ops-bot            who (client id or person's name, exact)
 *   ?action=instance          an action (instance.abort) or a family (instance)
 *   ?targetType=instance&targetId=<id>   one workflow, instance or trigger (and what it created)
 *   ?outcome=refused          succeeded | refused | failed | unknown
 *   ?since=…&until=…          RFC 3339
 */
import { createFileRoute } from '@tanstack/react-router';
import { optionalParam, textParam, utcTime, v } from '../lib/search';
import { AuditPage } from '../features/audit/AuditPage';

const searchSchema = v.object({
  actor: textParam,
  action: textParam,
  targetType: textParam,
  targetId: textParam,
  outcome: optionalParam(v.picklist(['succeeded', 'refused', 'failed', 'unknown'])),
  since: optionalParam(utcTime),
  until: optionalParam(utcTime),
});

export const Route = createFileRoute('/audit')({
  staticData: { crumb: 'Audit log' },
  validateSearch: searchSchema,
  component: AuditPage,
});
