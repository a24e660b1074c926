import type { Context } from 'hono';
import type { Access } from '../../common/roles.js';
import type { AuditLog, NewOutcome } from '../flows/accountability/audit.js';
import { currentRequestId } from '../lib/request-context.js';
import type { Subject } from './auth.js';

/** A sign-in or sign-out to record: who (when known) and how it ended. */
export interface SessionEvent {
  action: 'session.signIn' | 'session.signOut';
  /** the client or person named by the request (a sign-in's claim, a sign-out's session) */
  subject?: Subject;
  /** their access when the request proved who they are */
  access?: Access;
  outcome: Pick<NewOutcome, 'outcome' | 'status' | 'errorCode' | 'errorMessage'>;
}

export type RecordSessionEvent = (c: Context, event: SessionEvent) => Promise<void>;

/**
 * Sign-ins and sign-outs in the audit log (docs/accountability.md): a successful one in the name
 * of who signed in; a refused one as an unauthenticated request ("local, no sign-in") whose
 * target names the client or person it claimed. Never the password or the secret: no body is kept.
 */
export function sessionAudit(audit: AuditLog, mode: 'embedded' | 'remote'): RecordSessionEvent {
  return async (c, event) => {
    const proven = event.subject && event.access;
    const actor = proven
      ? { kind: event.subject!.kind, name: event.subject!.name, access: event.access!, via: 'session' as const }
      : { kind: 'local' as const, name: '', access: 'full' as const, via: 'none' as const };
    await audit.record(
      {
        actor,
        action: event.action,
        target: { type: 'session', id: event.subject ? `${event.subject.kind} ${event.subject.name}` : '' },
        requestId: currentRequestId() ?? '',
        method: c.req.method,
        path: c.req.path,
        mode,
      },
      { ...event.outcome, answeredBy: 'console' },
    );
  };
}
