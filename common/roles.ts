/**
 * Roles of the people and clients who sign in (`AUTH_CLIENTS`, `AUTH_USERS`), shared by the
 * server (which refuses) and the console (which disables, saying why). docs/accountability.md.
 *
 * * `viewer` reads.
 * * `operator` also runs workflows, aborts instances, sends events, publishes platform events,
 *   requests runs that need approval and approves or rejects other people's requests.
 * * `admin` also creates and deletes workflows and triggers, changes the console's settings and
 *   approval policies, and writes the sandbox's ledger, wallets and payments.
 *
 * An entry without a role keeps the access every entry had before roles existed: everything
 * (`full`). Without sign-in (no `AUTH_CLIENTS` nor `AUTH_USERS`) everyone is `full` too.
 */

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a caller may do: a role, or `full` (an entry without a role, or no sign-in at all). */
export type Access = Role | 'full';

const RANK: Record<Access, number> = { viewer: 0, operator: 1, admin: 2, full: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `access` covers what `needed` covers. */
export function allows(access: Access, needed: Role): boolean {
  return RANK[access] >= RANK[needed];
}

/** "the operator role" — how refusals and disabled controls name what is needed. */
export function roleNeeded(needed: Role): string {
  return `Needs the ${needed} role`;
}

/**
 * What the console lets people do, and the role each needs: the same as the server's rules
 * (server/http/access-rules.ts, checked by server/http/console-actions.test.ts), which refuse
 * the rest with 403 whatever the console shows.
 */
export const ACTION_ROLES = {
  /** run a workflow (also again, from an instance) */
  run: 'operator',
  abort: 'operator',
  /** abort many instances at once (a bulk job) */
  bulkAbort: 'operator',
  sendEvent: 'operator',
  /** publish a platform event (the sandbox's events page) */
  publishEvent: 'operator',
  /** save, rename, make default or delete a saved view (shared by everyone) */
  saveView: 'operator',
  /** create a workflow (new, duplicate and edit, edit as a new version) */
  authorWorkflow: 'admin',
  deleteWorkflow: 'admin',
  /** create, edit (delete and create) or delete a trigger */
  manageTriggers: 'admin',
  changeSettings: 'admin',
  /** require approval for every run of a workflow, or stop requiring it (four eyes) */
  setApprovalPolicy: 'admin',
  /** approve or reject another person's held run (four eyes) */
  decideApproval: 'operator',
} as const satisfies Record<string, Role>;

export type ConsoleAction = keyof typeof ACTION_ROLES;

/** Why the console disables an action: "Needs the operator role — you are signed in as viewer". */
export function refusalText(needed: Role, access: Access): string | undefined {
  return allows(access, needed) ? undefined : `${roleNeeded(needed)} — you are signed in as ${accessLabel(access)}`;
}

/** How a caller's access reads in the console ("operator", "full access"). */
export function accessLabel(access: Access): string {
  return access === 'full' ? 'full access' : access;
}

/** Who did something, as recorded and shown. */
export type ActorKind = 'user' | 'client' | 'local' | 'system';

/** "alice", "client ops-bot", "local, no sign-in"; "console server" for what the server does on its own (an expiry). */
export function actorLabel(kind: ActorKind, name: string): string {
  if (kind === 'local') return 'local, no sign-in';
  if (kind === 'system') return `${name} server`;
  return kind === 'client' ? `client ${name}` : name;
}
