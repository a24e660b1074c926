import type { Role } from '../../common/roles.js';

/**
 * What each write of the API is, for the audit log and for roles (docs/accountability.md): its
 * action name, the role it needs and what it acts on. Rules match paths, not the app's routes, so
 * the same table serves embedded mode and remote mode (where the proxy forwards any path).
 *
 * Reads (GET, HEAD, OPTIONS) and the POSTs that only read need no role and are not recorded.
 * A write no rule names (a path the stack serves that the console does not know) needs `admin`
 * and is recorded as `api.write`. server/http/access.test.ts fails when a route of the app has
 * no rule of its own.
 */

export interface AccessRule {
  /** `instance.abort`, `workflow.create`, … */
  action: string;
  role: Role;
  target: { type: string; id: string };
  /** the action asks for a reason (`X-Audit-Reason`), required when the settings say so */
  asksReason?: boolean;
  /** the response's `data.id` is what the action created (a run's instance, a new workflow) */
  creates?: string;
  /** the created thing's id is this field of `data` rather than `data.id` */
  createdField?: string;
  /** the reason may come as the body's `reason` (an approval's decision) */
  reasonInBody?: boolean;
}

export const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * POSTs that only read: evaluate a trigger (saved or not) on a sample, preview a bulk action,
 * dry-run a workflow or backtest a trigger. Nothing is stored.
 */
const READ_ONLY_POSTS =
  /^\/api\/(?:console\/triggers\/preview|console\/bulk-jobs\/preview|console\/simulations\/(?:workflow|trigger)|orchestration\/v2\/triggers\/[^/]+\/test)$/;

const FLOWS = '/api/orchestration(?:/v2)?';

type Matcher = [method: string, pattern: RegExp, rule: (m: RegExpExecArray) => AccessRule];

const id = (m: RegExpExecArray) => decodeSafe(m[1] ?? '');

const MATCHERS: Matcher[] = [
  ['POST', new RegExp(`^${FLOWS}/workflows$`), () => ({ action: 'workflow.create', role: 'admin', target: { type: 'workflow', id: '' }, creates: 'workflow' })],
  [
    'DELETE',
    new RegExp(`^${FLOWS}/workflows/([^/]+)$`),
    (m) => ({ action: 'workflow.delete', role: 'admin', target: { type: 'workflow', id: id(m) }, asksReason: true }),
  ],
  [
    'POST',
    new RegExp(`^${FLOWS}/workflows/([^/]+)/instances$`),
    (m) => ({ action: 'instance.run', role: 'operator', target: { type: 'workflow', id: id(m) }, creates: 'instance' }),
  ],
  ['POST', new RegExp(`^${FLOWS}/instances/([^/]+)/events$`), (m) => ({ action: 'instance.sendEvent', role: 'operator', target: { type: 'instance', id: id(m) } })],
  [
    'PUT',
    new RegExp(`^${FLOWS}/instances/([^/]+)/abort$`),
    (m) => ({ action: 'instance.abort', role: 'operator', target: { type: 'instance', id: id(m) }, asksReason: true }),
  ],
  ['POST', new RegExp(`^${FLOWS}/triggers$`), () => ({ action: 'trigger.create', role: 'admin', target: { type: 'trigger', id: '' }, creates: 'trigger' })],
  ['DELETE', new RegExp(`^${FLOWS}/triggers/([^/]+)$`), (m) => ({ action: 'trigger.delete', role: 'admin', target: { type: 'trigger', id: id(m) }, asksReason: true })],
  ['POST', /^\/api\/console\/events$/, () => ({ action: 'event.publish', role: 'operator', target: { type: 'event', id: '' } })],
  ['POST', /^\/api\/console\/payments$/, () => ({ action: 'payment.create', role: 'admin', target: { type: 'payment', id: '' }, creates: 'payment' })],
  // Saved views are shared by everyone who opens the console (one may be the default): operators.
  ['POST', /^\/api\/console\/views$/, () => ({ action: 'view.create', role: 'operator', target: { type: 'view', id: '' }, creates: 'view' })],
  ['PATCH', /^\/api\/console\/views\/([^/]+)$/, (m) => ({ action: 'view.update', role: 'operator', target: { type: 'view', id: id(m) } })],
  ['DELETE', /^\/api\/console\/views\/([^/]+)$/, (m) => ({ action: 'view.delete', role: 'operator', target: { type: 'view', id: id(m) } })],
  // A bulk job aborts many instances in the background: what an operator may do one by one.
  ['POST', /^\/api\/console\/bulk-jobs$/, () => ({ action: 'bulk.create', role: 'operator', target: { type: 'bulkJob', id: '' }, asksReason: true, creates: 'bulkJob' })],
  ['POST', /^\/api\/console\/bulk-jobs\/([^/]+)\/stop$/, (m) => ({ action: 'bulk.stop', role: 'operator', target: { type: 'bulkJob', id: id(m) } })],
  // Four eyes: deciding a held run is what running it needs; a workflow's policy is its admin's.
  [
    'POST',
    /^\/api\/console\/approvals\/([^/]+)\/approve$/,
    (m) => ({
      action: 'approval.approve',
      role: 'operator',
      target: { type: 'approval', id: id(m) },
      creates: 'instance',
      createdField: 'instanceID',
      reasonInBody: true,
    }),
  ],
  [
    'POST',
    /^\/api\/console\/approvals\/([^/]+)\/reject$/,
    (m) => ({ action: 'approval.reject', role: 'operator', target: { type: 'approval', id: id(m) }, reasonInBody: true }),
  ],
  // Turning four eyes off removes a control on money: it asks a reason like a delete.
  [
    'PUT',
    /^\/api\/console\/workflows\/([^/]+)\/approval-policy$/,
    (m) => ({ action: 'workflow.policy', role: 'admin', target: { type: 'workflow', id: id(m) }, asksReason: true }),
  ],
  ['PUT', /^\/api\/console\/settings$/, () => ({ action: 'settings.update', role: 'admin', target: { type: 'settings', id: 'accountability' } })],
  // The sandbox services (the stack's own in remote mode): money moves by hand, so admin.
  ['*', /^\/api\/ledger\/v2\/([^/]+)(?:\/.*)?$/, (m) => ({ action: 'ledger.write', role: 'admin', target: { type: 'ledger', id: id(m) } })],
  ['*', /^\/api\/ledger(?:\/.*)?$/, () => ({ action: 'ledger.write', role: 'admin', target: { type: 'ledger', id: '' } })],
  ['*', /^\/api\/wallets\/wallets\/([^/]+)(?:\/.*)?$/, (m) => ({ action: 'wallet.write', role: 'admin', target: { type: 'wallet', id: id(m) } })],
  ['*', /^\/api\/wallets\/holds\/([^/]+)(?:\/.*)?$/, (m) => ({ action: 'wallet.hold', role: 'admin', target: { type: 'hold', id: id(m) } })],
  ['*', /^\/api\/wallets(?:\/.*)?$/, () => ({ action: 'wallet.write', role: 'admin', target: { type: 'wallet', id: '' }, creates: 'wallet' })],
  ['*', /^\/api\/payments\/transfer-initiations\/([^/]+)(?:\/.*)?$/, (m) => ({ action: 'payment.write', role: 'admin', target: { type: 'transfer', id: id(m) } })],
  ['*', /^\/api\/payments(?:\/.*)?$/, () => ({ action: 'payment.write', role: 'admin', target: { type: 'payment', id: '' }, creates: 'transfer' })],
];

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A path as rules see it: no trailing slash (upstream tolerates one). */
export function normalPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Whether the request only reads. */
export function isRead(method: string, path: string): boolean {
  return READ_METHODS.has(method.toUpperCase()) || (method.toUpperCase() === 'POST' && READ_ONLY_POSTS.test(normalPath(path)));
}

/** The rule of a write under /api (never undefined: an unknown write needs admin). */
export function ruleFor(method: string, path: string): AccessRule & { known: boolean } {
  const p = normalPath(path);
  const upper = method.toUpperCase();
  for (const [m, pattern, rule] of MATCHERS) {
    if (m !== '*' && m !== upper) continue;
    const match = pattern.exec(p);
    if (match) return { ...rule(match), known: true };
  }
  return { action: 'api.write', role: 'admin', target: { type: 'api', id: p }, known: false };
}
