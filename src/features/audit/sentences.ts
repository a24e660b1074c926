/**
 * How audit entries read in the console: "aborted instance", "client ops-bot", "refused (403)".
 * Pure functions (no React), tested in sentences.test.ts.
 */
import { actorLabel } from '../../../common/roles';
import type { AuditEntry } from '../../api/types';

const VERBS: Record<string, string> = {
  'workflow.create': 'created workflow',
  'workflow.delete': 'deleted workflow',
  'instance.run': 'ran workflow',
  'instance.sendEvent': 'sent an event to instance',
  'instance.abort': 'aborted instance',
  'trigger.create': 'created trigger',
  'trigger.delete': 'deleted trigger',
  'event.publish': 'published an event',
  'payment.create': 'created a sandbox payment',
  'settings.update': 'changed the settings',
  'ledger.write': 'wrote to ledger',
  'wallet.write': 'wrote to wallet',
  'wallet.hold': 'settled hold',
  'payment.write': 'wrote a payment',
  'view.create': 'saved view',
  'view.update': 'changed saved view',
  'view.delete': 'deleted saved view',
  'bulk.create': 'started bulk action',
  'bulk.stop': 'stopped bulk action',
  'approval.approve': 'approved held run',
  'approval.reject': 'rejected held run',
  'approval.expire': 'recorded the expiry of held run',
  'workflow.policy': 'changed the approval policy of workflow',
  'session.signIn': 'signed in as',
  'session.signOut': 'signed out',
  'api.write': 'called',
};

/** The actions the filter offers (a family matches all of its actions). */
export const ACTION_FILTERS: { value: string; label: string }[] = [
  { value: 'workflow', label: 'Workflows (create, delete)' },
  { value: 'instance', label: 'Instances (run, event, abort)' },
  { value: 'instance.abort', label: 'Aborts' },
  { value: 'instance.run', label: 'Runs' },
  { value: 'trigger', label: 'Triggers (create, delete)' },
  { value: 'approval', label: 'Approvals (approve, reject, expire)' },
  { value: 'settings', label: 'Settings' },
  { value: 'session', label: 'Sign-ins and sign-outs' },
  { value: 'event', label: 'Published events' },
  { value: 'ledger', label: 'Ledger' },
  { value: 'wallet', label: 'Wallets' },
  { value: 'payment', label: 'Payments' },
];

export function actionVerb(action: string): string {
  return VERBS[action] ?? action;
}

/** The verb of an entry: its action's, or what a policy change did ("stopped requiring approval for workflow"). */
export function entryVerb(entry: Pick<AuditEntry, 'action' | 'details'>): string {
  if (entry.action === 'workflow.policy') {
    const body = (entry.details as { body?: unknown } | undefined)?.body;
    if (typeof body === 'string') {
      try {
        const value = (JSON.parse(body) as { requiresApproval?: unknown } | null)?.requiresApproval;
        if (value === true) return 'required approval for every run of workflow';
        if (value === false) return 'stopped requiring approval for workflow';
      } catch {
        // not JSON: the refused request's body; the generic verb says enough
      }
    }
  }
  return actionVerb(entry.action);
}

/** "alice", "client ops-bot", "local, no sign-in". */
export function whoDid(entry: Pick<AuditEntry, 'actor'>): string {
  return actorLabel(entry.actor.kind, entry.actor.name);
}

export type OutcomeTone = 'success' | 'danger' | 'warning' | 'neutral';

/** "succeeded", "refused (403)", "failed (404 NOT_FOUND)", "outcome not recorded". */
export function outcomeText(entry: Pick<AuditEntry, 'outcome'>): { text: string; tone: OutcomeTone } {
  const o = entry.outcome;
  if (!o) return { text: 'outcome not recorded', tone: 'neutral' };
  if (o.outcome === 'succeeded') return { text: 'succeeded', tone: 'success' };
  const code = o.errorCode ? ` ${o.errorCode}` : '';
  return { text: `${o.outcome} (${o.status}${code})`, tone: o.outcome === 'refused' ? 'warning' : 'danger' };
}

/** "Aborted by client ops-bot — duplicate payout" (the instance page's line). */
export function abortedBySentence(entry: AuditEntry): string {
  return `Aborted by ${whoDid(entry)}${entry.reason ? ` — ${entry.reason}` : ''}`;
}

/** The successful abort among an instance's entries (newest first), if any. */
export function lastAbort(entries: readonly AuditEntry[]): AuditEntry | undefined {
  return entries.find((e) => e.action === 'instance.abort' && e.outcome?.outcome === 'succeeded');
}
