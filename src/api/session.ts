/**
 * The console's sign-in when the server requires credentials (`AUTH_CLIENTS`, `AUTH_USERS`). The server keeps
 * the token in an HttpOnly cookie (server/http/session.ts): this module only ever sees who is
 * signed in and until when.
 *
 * "Sign-in required" is learnt from the server, not guessed: any request it refuses with its own
 * 401 challenge (see `ApiError.signInRequired`) flips the flag below, through the query and
 * mutation caches (src/queryClient.ts). Without AUTH_CLIENTS that never happens, and nothing
 * changes.
 */
import { useSyncExternalStore } from 'react';
import { api, data } from './client';
import type { components } from './generated/sandbox';

export type Session = components['schemas']['ConsoleSession'];
/** A client's ID and secret (AUTH_CLIENTS) or a person's name and password (AUTH_USERS). */
export type Credentials = components['schemas']['SignInRequest'];

let required = false;
const listeners = new Set<() => void>();

function setRequired(next: boolean) {
  if (required === next) return;
  required = next;
  for (const listener of listeners) listener();
}

/** The server refused a request for want of a session: show the sign-in screen. */
export function markSignInRequired(): void {
  setRequired(true);
}

/** Signed in: show the console again. */
export function markSignedIn(): void {
  setRequired(false);
}

export function signInRequired(): boolean {
  return required;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSignInRequired(): boolean {
  return useSyncExternalStore(subscribe, signInRequired, () => false);
}

/** Checks the credentials; on success the server sets the session cookie. */
export function signIn(credentials: Credentials): Promise<Session> {
  return data(api().sandbox.POST('/api/auth/session', { body: credentials }));
}

/** Clears the session cookie. */
export async function signOut(): Promise<void> {
  await data(api().sandbox.DELETE('/api/auth/session'));
}
