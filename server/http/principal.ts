import type { Context } from 'hono';
import type { Access, ActorKind } from '../../common/roles.js';

/**
 * Who a request speaks for, once authenticated (auth.ts): a client (bearer token or a client's
 * console session), a person (`AUTH_USERS`, console session), or — without sign-in — whoever
 * reaches the server (`local`, full access). What the audit log records as "who".
 */
export interface Principal {
  kind: ActorKind;
  /** client id or person's name; '' for local */
  name: string;
  access: Access;
  via: 'token' | 'session' | 'none';
  /** the token's `scope` claim, when it was asked for with scopes (scopes.ts) */
  scope?: string;
  /** when the token or session that authenticated the request expires (epoch ms) */
  expiresAt?: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** set by authMiddleware; absent without sign-in, and on the open paths */
    principal: Principal | undefined;
  }
}

export const LOCAL: Principal = { kind: 'local', name: '', access: 'full', via: 'none' };

export function principalOf(token: { kind: 'client' | 'user'; name: string; access: Access; scope?: string; expiresAt?: number }, via: 'token' | 'session'): Principal {
  return {
    kind: token.kind,
    name: token.name,
    access: token.access,
    via,
    ...(token.scope !== undefined ? { scope: token.scope } : {}),
    ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}),
  };
}

/** The request's principal: the authenticated one, or local when nobody signs in. */
export function requestPrincipal(c: Context): Principal {
  return c.get('principal') ?? LOCAL;
}
