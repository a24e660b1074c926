import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { consoleInfoQuery } from '../../api/info';
import { errorText } from '../../api/errors';
import { Icon } from '../../components/Icon';
import { toast } from '../../components/toast';
import { signOutAndForget } from './reload';

/**
 * Header: who is signed in and "Sign out" — only when the console runs on a session
 * (`/api/console/info` says so); nothing at all otherwise.
 */
export function SessionMenu() {
  const info = useQuery(consoleInfoQuery());
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const session = info.data?.session;
  if (!session) return null;
  return (
    <div className="flex items-center gap-1" data-testid="session">
      <span className="hidden items-center gap-1.5 px-1.5 text-[13px] text-muted sm:inline-flex" title={`Signed in as ${session.clientId}`}>
        <Icon name="user" size={14} />
        <span className="sr-only">Signed in as</span>
        <span className="max-w-40 truncate font-mono text-xs text-fg" data-testid="session-client">
          {session.clientId}
        </span>
      </span>
      <button
        type="button"
        disabled={busy}
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
