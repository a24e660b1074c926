import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { consoleInfoQuery } from '../../api/info';
import { errorText } from '../../api/errors';
import { Icon } from '../../components/Icon';
import { toast } from '../../components/toast';
import { signOutAndForget } from './reload';

/**
 * Header: who is signed in (a person's name or a client's id, and their role) and "Sign out" —
 * only when the console runs on a session
 * (`/api/console/info` says so); nothing at all otherwise.
 */
export function SessionMenu() {
  const info = useQuery(consoleInfoQuery());
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const session = info.data?.session;
  if (!session) return null;
  const who = `Signed in as ${session.name}${session.access === 'full' ? '' : ` (${session.access})`}`;
  return (
    <div className="flex items-center gap-1" data-testid="session">
      {/* Narrow screens have no room beside the connection: the name is on Sign out's title and in Settings. */}
      <span className="hidden min-w-0 items-center gap-1.5 px-1.5 text-[13px] text-muted sm:inline-flex">
        <Icon name="user" size={14} className="shrink-0" />
        <span className="sr-only">Signed in as</span>
        <span className={session.kind === 'client' ? 'max-w-40 truncate font-mono text-xs text-fg' : 'max-w-40 truncate text-fg'} data-testid="session-name">
          {session.name}
        </span>
        {session.access !== 'full' && (
          <span className="rounded-full border border-line px-1.5 text-[11px] leading-4 font-medium" data-testid="session-role">
            <span className="sr-only">, role </span>
            {session.access}
          </span>
        )}
      </span>
      <button
        type="button"
        disabled={busy}
        title={who}
        className="inline-flex h-8 items-center gap-1.5 rounded-md px-2 text-[12px] font-medium text-muted hover:bg-hover hover:text-fg disabled:opacity-50"
        onClick={async () => {
          setBusy(true);
          try {
            await signOutAndForget(queryClient);
          } catch (err) {
            toast({ tone: 'error', title: 'Could not sign out', description: errorText(err) });
            setBusy(false);
          }
        }}
      >
        <Icon name="logout" size={14} />
        Sign out
      </button>
    </div>
  );
}
