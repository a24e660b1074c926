/**
 * Who the console speaks for and what they may do (server/http/access.ts refuses the rest with
 * 403): the console disables those actions and says which role they need.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ACTION_ROLES, refusalText, type ConsoleAction } from '../../common/roles';
import { api, data } from './client';
import type { ConsoleSettingsPatch } from './types';

export const accessKeys = {
  all: ['access'] as const,
  me: () => [...accessKeys.all, 'me'] as const,
  settings: () => [...accessKeys.all, 'settings'] as const,
};

export function meQuery() {
  return queryOptions({
    queryKey: accessKeys.me(),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/me', { signal })),
    staleTime: 60_000,
    retry: false,
  });
}

/**
 * Why the signed-in caller may not do `action` ("Needs the operator role — you are signed in as
 * viewer"), or undefined when they may — or while it is not known yet (the server decides anyway).
 * The one "can I do X" of the console: disabled controls show this text (components/WithReason.tsx).
 */
export function useRefusal(action: ConsoleAction): string | undefined {
  const me = useQuery(meQuery()).data;
  return me ? refusalText(ACTION_ROLES[action], me.access) : undefined;
}

/** The settings the server keeps for everyone (a reason required to abort or delete, …). */
export function consoleSettingsQuery() {
  return queryOptions({
    queryKey: accessKeys.settings(),
    queryFn: ({ signal }) => data(api().console.GET('/api/console/settings', { signal })).then((r) => r.data),
    staleTime: 30_000,
  });
}

export function useUpdateConsoleSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: ConsoleSettingsPatch) => data(api().console.PUT('/api/console/settings', { body: patch })).then((r) => r.data),
    meta: { success: 'Settings saved', error: 'Could not save the settings' },
    onSuccess: (saved) => qc.setQueryData(accessKeys.settings(), saved),
  });
}

/** Whether abort and delete dialogs require a reason (the server refuses one without, then). */
export function useAskReason(): 'optional' | 'required' {
  return useQuery(consoleSettingsQuery()).data?.requireReason ? 'required' : 'optional';
}
