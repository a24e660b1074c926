import type { Context, MiddlewareHandler } from 'hono';
import { actorLabel, allows, roleNeeded } from '../../common/roles.js';
import type { AuditLog, NewEntry, NewOutcome } from '../flows/accountability/audit.js';
import { storable } from '../flows/accountability/audit.js';
import { readSettings } from '../flows/accountability/settings.js';
import type { Db } from '../store/db.js';
import { currentRequestId } from '../lib/request-context.js';
import { isRead, ruleFor, type AccessRule } from './access-rules.js';
import { unauthorized } from './auth.js';
import { answerOf } from './respond.js';
import { requestPrincipal, type Principal } from './principal.js';
import { acceptedScopes, scopeAllows } from './scopes.js';

/**
 * What a caller may do, and the record of what they did (docs/accountability.md). Runs on
 * `/api/*` after authentication (auth.ts leaves the principal; without sign-in everyone is
 * `local`, full access):
 *
 * 1. scopes (scopes.ts): a token asked for with scopes is refused outside them (upstream's 401);
 * 2. reads pass; a write's rule (access-rules.ts) names its action, role and target;
 * 3. a role that does not cover the rule's → 403 `FORBIDDEN` naming the role needed;
 * 4. an abort or delete without a reason while the settings require one → 400 `VALIDATION`;
 * 5. otherwise the audit entry is committed **before** the write runs (a database that cannot
 *    record it refuses the write with 503), and its outcome (status, the error the service or
 *    the stack answered, what was created) is committed before the caller gets the answer.
 *
 * Refusals (3, 4) are recorded as an entry with its outcome; nothing else is stored for them.
 * The reason travels in `X-Audit-Reason` (percent-encoded UTF-8, so any language fits a header).
 */

export const REASON_HEADER = 'x-audit-reason';

/** How refusals name an action ("to abort an instance"); others read from the action's name. */
const PHRASES: Record<string, string> = {
  'instance.abort': 'abort an instance',
  'instance.run': 'run a workflow',
  'instance.sendEvent': 'send an event to an instance',
  'workflow.create': 'create a workflow',
  'workflow.delete': 'delete a workflow',
  'trigger.create': 'create a trigger',
  'trigger.delete': 'delete a trigger',
  'event.publish': 'publish a platform event',
  'settings.update': "change the console's settings",
  'approval.approve': 'approve a held run',
  'approval.reject': 'reject a held run',
  'workflow.policy': "change a workflow's approval policy",
  'view.create': 'save a view',
  'view.update': 'change a saved view',
  'view.delete': 'delete a saved view',
  'bulk.create': 'start a bulk action',
  'bulk.stop': 'stop a bulk action',
};
const phrase = (action: string) => PHRASES[action] ?? `write (${action})`;
const MAX_BODY_RECORDED = 4_000;

export interface AccessOptions {
  mode: 'embedded' | 'remote';
  audit: AuditLog;
  db: () => Promise<Db>;
  /** paths the stack answers (remote mode's proxy) */
  answeredByStack?: (path: string) => boolean;
}

/** The reason of `X-Audit-Reason`, decoded; undefined when absent or blank. */
export function reasonOf(c: Context): string | undefined {
  const raw = c.req.header(REASON_HEADER);
  if (raw === undefined) return undefined;
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // not percent-encoded: keep it as sent
  }
  text = text.trim();
  return text === '' ? undefined : text;
}

/** `{"reason": "…"}` of a decision's body, when it has one. */
function reasonInBody(text: string): string | undefined {
  try {
    const reason = (JSON.parse(text) as { reason?: unknown } | null)?.reason;
    return typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
  } catch {
    return undefined;
  }
}

function forbidden(c: Context, principal: Principal, rule: AccessRule) {
  const who = principal.kind === 'local' ? actorLabel('local', '') : actorLabel(principal.kind, principal.name);
  return c.json(
    {
      errorCode: 'FORBIDDEN',
      errorMessage: `${roleNeeded(rule.role)} to ${phrase(rule.action)}: ${who} is ${principal.access === 'full' ? 'full access' : `a ${principal.access}`}`,
      requiredRole: rule.role,
    },
    403,
  );
}

async function requestBodyText(c: Context, proxied: boolean): Promise<string | undefined> {
  // Not `c.req.raw.body`: asking for the stream makes the Node adapter build a full Request.
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return undefined;
  try {
    // Remote mode: the proxy streams the body on untouched (a teed clone broke uploads of the
    // official SDK), so the stack's writes are recorded without it. Our handlers read Hono's cache.
    if (proxied) return undefined;
    const text = await c.req.text();
    return text === '' ? undefined : storable(text, MAX_BODY_RECORDED);
  } catch {
    return undefined;
  }
}

/** What the answer says: its error (bounded), or what it created. */
async function outcomeOf(c: Context, rule: AccessRule, answeredBy: NewOutcome['answeredBy']): Promise<NewOutcome> {
  const res = c.res;
  const status = res.status;
  const outcome: NewOutcome = { outcome: status < 400 ? 'succeeded' : 'failed', status, answeredBy };
  const wanted = status >= 400 || status === 202 || rule.creates !== undefined;
  if (!wanted || !/json/i.test(res.headers.get('content-type') ?? '')) return outcome;
  let body: any;
  const answer = answerOf(res);
  if (answer.found) body = answer.value;
  else {
    try {
      body = JSON.parse(await res.clone().text());
    } catch {
      return outcome;
    }
  }
  if (status >= 400) {
    if (typeof body?.errorCode === 'string') outcome.errorCode = body.errorCode;
    if (typeof body?.errorMessage === 'string') outcome.errorMessage = body.errorMessage;
    else if (typeof body?.error === 'string') outcome.errorMessage = body.error;
  } else if (status === 202 && body?.data?.status === 'pending') {
    // A run held for approval (console-approvals.ts): what it created is the request.
    if (typeof body.data.id === 'string') outcome.result = { type: 'approval', id: body.data.id };
  } else if (rule.creates) {
    const created = rule.createdField ? body?.data?.[rule.createdField] : (body?.data?.id ?? body?.id);
    if (typeof created === 'string' || typeof created === 'number') outcome.result = { type: rule.creates, id: String(created) };
  }
  return outcome;
}

export function accessControl(opts: AccessOptions): MiddlewareHandler {
  return async (c, next) => {
    const principal = requestPrincipal(c);
    const { method, path } = c.req;
    // Upstream refuses a missing scope with the same 401 (RFC 6750 would say 403).
    if (!scopeAllows(principal.scope, method, path)) {
      const needed = acceptedScopes(method, path)!.join(' or ');
      return unauthorized(c, { code: 'insufficient_scope', description: `this request needs the scope ${needed}` });
    }
    if (isRead(method, path)) return next();

    const rule = ruleFor(method, path);
    const reason = reasonOf(c);
    const entry: NewEntry = {
      actor: { kind: principal.kind, name: principal.name, access: principal.access, via: principal.via },
      action: rule.action,
      target: rule.target,
      ...(reason !== undefined ? { reason } : {}),
      requestId: currentRequestId() ?? '',
      method,
      path,
      mode: opts.mode,
    };
    const answeredBy = opts.answeredByStack?.(path) ? 'stack' : 'console';

    if (!allows(principal.access, rule.role)) {
      const res = forbidden(c, principal, rule);
      const body = (await res.clone().json()) as { errorCode: string; errorMessage: string };
      await opts.audit.record(entry, { outcome: 'refused', status: 403, errorCode: body.errorCode, errorMessage: body.errorMessage, answeredBy: 'console' });
      return res;
    }
    if (rule.asksReason && reason === undefined && (await readSettings(await opts.db())).requireReason) {
      const errorMessage = `${REASON_HEADER}: a reason is required to ${phrase(rule.action)} (the console's settings require one)`;
      await opts.audit.record(entry, { outcome: 'refused', status: 400, errorCode: 'VALIDATION', errorMessage, answeredBy: 'console' });
      return c.json({ errorCode: 'VALIDATION', errorMessage }, 400);
    }

    const body = await requestBodyText(c, answeredBy === 'stack');
    if (body !== undefined) entry.details = { body };
    if (entry.reason === undefined && rule.reasonInBody && body !== undefined) {
      const fromBody = reasonInBody(body);
      if (fromBody !== undefined) entry.reason = fromBody;
    }
    let entryId: string;
    try {
      entryId = await opts.audit.begin(entry);
    } catch (err) {
      console.error('audit log: cannot record a write, refusing it:', err instanceof Error ? err.message : String(err));
      return c.json({ errorCode: 'INTERNAL', errorMessage: 'the audit log cannot record this request right now: nothing was done, try again' }, 503);
    }
    await next();
    try {
      await opts.audit.finish(entryId, await outcomeOf(c, rule, answeredBy));
    } catch (err) {
      // The write happened; its entry stays, marked "outcome not recorded" in the log.
      console.error('audit log: cannot record an outcome:', err instanceof Error ? err.message : String(err));
    }
  };
}
