import { useEffect, useId, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { allWorkflowsQuery } from '../../api/workflows';
import { useIsRemote } from '../../api/info';
import { allTriggersQuery } from '../../api/triggers';
import { useModalDialog } from '../useModalDialog';
import { listInstancesQuery } from '../../api/instances';
import { cn } from '../../lib/cn';
import { rankItems } from '../../lib/match';
import { getSettings, updateSettings } from '../../lib/settings';
import { Icon, type IconName } from '../Icon';
import { isPaletteShortcut } from './paletteShortcut';
import { currentTheme } from './theme';

interface Command {
  id: string;
  group: 'Navigation' | 'Actions' | 'Workflows' | 'Instances' | 'Triggers' | 'Open by id';
  label: string;
  hint?: string;
  icon: IconName;
  keywords?: string[];
  run: () => void;
}

/** `value`, once it has stopped changing for `ms` (typing in the palette). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

const GROUP_ORDER: Command['group'][] = ['Instances', 'Workflows', 'Triggers', 'Navigation', 'Actions'];

/** ⌘K / Ctrl+K: jump to a workflow, instance or trigger by id or name; navigation and actions. */
export function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange: Dispatch<SetStateAction<boolean>> }) {
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const dialog = useModalDialog(open, {
    onShow: () => {
      setQuery('');
      setActive(0);
      input.current?.focus();
    },
    onClose: () => onOpenChange(false),
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isPaletteShortcut(e)) {
        e.preventDefault();
        // Functional update: a press right after a jump must see the palette as closed.
        onOpenChange((isOpen) => !isOpen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onOpenChange]);

  const remote = useIsRemote();
  const workflows = useQuery({ ...allWorkflowsQuery(), enabled: open });
  const triggers = useQuery({ ...allTriggersQuery(), enabled: open });
  const instances = useQuery({ ...listInstancesQuery({ pageSize: 100, ...(remote ? {} : { order: 'desc' as const }) }), enabled: open });
  // An id or a piece of one (the console shows ids as their first 8 characters): ask the server
  // for the instances it names, beyond the latest 100 (embedded; upstream cannot search by id).
  const idPiece = useDebounced(/^[\w-]{4,}$/.test(query.trim()) ? query.trim() : '', 150);
  // While a new piece is being asked for, the last answer stays (ranked against the new query):
  // otherwise an instance shown a moment ago from it could vanish before the new answer, and an
  // Enter pressed on it would find nothing to open.
  const byId = useQuery({
    ...listInstancesQuery({ id: idPiece, pageSize: 20, order: 'desc' }),
    enabled: open && !!idPiece && !remote,
    placeholderData: keepPreviousData,
  });

  const commands = useMemo<Command[]>(() => {
    const go = (to: string, params?: Record<string, string>, search?: Record<string, unknown>) => () => void navigate({ to, params, search } as never);
    const nav: Command[] = [
      { id: 'nav-overview', group: 'Navigation', label: 'Go to Overview', icon: 'home', keywords: ['dashboard', 'failures', 'money'], run: go('/') },
      { id: 'nav-workflows', group: 'Navigation', label: 'Go to Workflows', icon: 'workflows', run: go('/workflows') },
      { id: 'nav-instances', group: 'Navigation', label: 'Go to Instances', icon: 'instances', run: go('/instances') },
      { id: 'nav-running', group: 'Navigation', label: 'Show running instances', icon: 'instances', run: go('/instances', undefined, { status: 'running' }) },
      { id: 'nav-triggers', group: 'Navigation', label: 'Go to Triggers', icon: 'triggers', run: go('/triggers') },
      { id: 'nav-ledger', group: 'Navigation', label: 'Go to Ledger', icon: 'ledger', keywords: ['sandbox', 'accounts', 'transactions'], run: go('/sandbox/ledger') },
      { id: 'nav-wallets', group: 'Navigation', label: 'Go to Wallets', icon: 'wallet', keywords: ['sandbox'], run: go('/sandbox/wallets') },
      { id: 'nav-payments', group: 'Navigation', label: 'Go to Payments', icon: 'payments', keywords: ['sandbox', 'connectors'], run: go('/sandbox/payments') },
      { id: 'nav-events', group: 'Navigation', label: 'Go to Events', icon: 'events', keywords: ['sandbox', 'platform'], run: go('/sandbox/events') },
      { id: 'nav-settings', group: 'Navigation', label: 'Go to Settings', icon: 'settings', run: go('/settings') },
    ];
    const dark = currentTheme() === 'dark';
    const utc = getSettings().timeZone === 'utc';
    const actions: Command[] = [
      {
        id: 'act-theme',
        group: 'Actions',
        label: `Switch to ${dark ? 'light' : 'dark'} theme`,
        icon: dark ? 'sun' : 'moon',
        keywords: ['theme', 'dark', 'light'],
        run: () => updateSettings({ theme: dark ? 'light' : 'dark' }),
      },
      { id: 'act-system', group: 'Actions', label: 'Use the system theme', icon: 'monitor', keywords: ['theme'], run: () => updateSettings({ theme: 'system' }) },
      { id: 'act-new-trigger', group: 'Actions', label: 'New trigger', icon: 'plus', keywords: ['create', 'trigger', 'event'], run: go('/triggers/new') },
      // Publishing by hand needs the embedded service's event bus.
      ...(remote
        ? []
        : [
            {
              id: 'act-publish-event',
              group: 'Actions',
              label: 'Publish an event',
              icon: 'events',
              keywords: ['sandbox', 'platform', 'fire', 'trigger'],
              run: go('/sandbox/events', undefined, { publish: true }),
            } satisfies Command,
          ]),
      {
        id: 'act-tz',
        group: 'Actions',
        label: `Show times in ${utc ? 'local time' : 'UTC'}`,
        icon: 'clock',
        keywords: ['time zone', 'utc', 'local'],
        run: () => updateSettings({ timeZone: utc ? 'local' : 'utc' }),
      },
    ];
    const names = new Map((workflows.data ?? []).map((w) => [w.id, w.config.name || w.id]));
    const wf: Command[] = (workflows.data ?? []).map((w) => ({
      id: `wf-${w.id}`,
      group: 'Workflows',
      label: w.config.name || '(unnamed workflow)',
      hint: w.id,
      icon: 'workflows',
      keywords: [w.id],
      run: go('/workflows/$workflowId', { workflowId: w.id }),
    }));
    const tr: Command[] = (triggers.data ?? []).map((t) => ({
      id: `tr-${t.id}`,
      group: 'Triggers',
      label: t.name || t.event,
      hint: `${t.event} · ${t.id}`,
      icon: 'triggers',
      keywords: [t.id, t.event],
      run: go('/triggers/$triggerId', { triggerId: t.id }),
    }));
    const seen = new Set<string>();
    const known = [...(byId.data?.data ?? []), ...(instances.data?.data ?? [])].filter((i) => !seen.has(i.id) && !!seen.add(i.id));
    const inst: Command[] = known.map((i) => ({
      id: `in-${i.id}`,
      group: 'Instances',
      label: i.id,
      hint: names.get(i.workflowID) ?? i.workflowID,
      icon: 'instances',
      keywords: [i.workflowID],
      run: go('/instances/$instanceId', { instanceId: i.id }),
    }));
    return [...nav, ...actions, ...wf, ...tr, ...inst];
  }, [navigate, workflows.data, triggers.data, instances.data, byId.data, open, remote]);

  const results = useMemo(() => {
    const q = query.trim();
    const ranked = rankItems(commands, q, (c) => [c.label, ...(c.keywords ?? [])]);
    const limited = q ? ranked : ranked.filter((c) => c.group === 'Navigation' || c.group === 'Actions');
    // Groups in the order of their best match (ranked is best first), ties by the default order.
    const order = [...new Set([...limited.map((c) => c.group), ...GROUP_ORDER])];
    const grouped = order.flatMap((g) => limited.filter((c) => c.group === g).slice(0, g === 'Navigation' || g === 'Actions' ? 12 : 6));
    // A whole id (36 characters and more) can be opened directly, even if no list here has it;
    // a shorter piece is only a search, so it never leads to a "Not found" page.
    if (q && /^[\w-]{36,}$/.test(q)) {
      const known = new Set(grouped.flatMap((c) => [c.label, ...(c.keywords ?? [])]));
      if (known.has(q)) return grouped;
      const direct: Command[] = [
        {
          id: 'open-instance',
          group: 'Open by id',
          label: `Open instance ${q}`,
          icon: 'instances',
          run: () => void navigate({ to: '/instances/$instanceId', params: { instanceId: q } }),
        },
        {
          id: 'open-workflow',
          group: 'Open by id',
          label: `Open workflow ${q}`,
          icon: 'workflows',
          run: () => void navigate({ to: '/workflows/$workflowId', params: { workflowId: q } }),
        },
        {
          id: 'open-trigger',
          group: 'Open by id',
          label: `Open trigger ${q}`,
          icon: 'triggers',
          run: () => void navigate({ to: '/triggers/$triggerId', params: { triggerId: q } }),
        },
      ];
      return [...grouped, ...direct];
    }
    return grouped;
  }, [commands, query, navigate]);

  useEffect(() => setActive(0), [query]);

  const runAt = (index: number) => {
    const cmd = results[index];
    if (!cmd) return;
    onOpenChange(false);
    cmd.run();
  };

  let lastGroup: string | undefined;
  return (
    <dialog
      ref={dialog}
      aria-label="Command palette"
      onClick={(e) => {
        if (e.target === dialog.current) onOpenChange(false);
      }}
      className="mx-auto mt-[12vh] w-[min(94vw,620px)] overflow-hidden rounded-xl border border-line bg-surface p-0 text-fg shadow-2xl"
    >
      <div className="flex items-center gap-2 border-b border-line px-4">
        <Icon name="search" className="text-muted" />
        <input
          ref={input}
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={results[active] ? `${listId}-${results[active].id}` : undefined}
          aria-label="Search workflows, instances, triggers and actions"
          placeholder="Search by name or id, or type a command…"
          className="h-12 flex-1 bg-transparent text-[14px] outline-none focus-visible:outline-none"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, results.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              runAt(active);
            }
          }}
        />
        <kbd className="rounded border border-line px-1.5 text-[11px] text-muted">Esc</kbd>
      </div>
      <ul id={listId} role="listbox" aria-label="Results" className="max-h-[52vh] overflow-y-auto p-2">
        {results.length === 0 && (
          <li className="px-3 py-8 text-center text-[13px] text-muted">
            No match for “{query}”.
            {remote && /^[\w-]{4,}$/.test(query.trim()) && ' The stack cannot search instances by id: only the latest 100 are searched here.'}
          </li>
        )}
        {results.map((c, index) => {
          const header = c.group !== lastGroup ? c.group : undefined;
          lastGroup = c.group;
          return (
            <li key={c.id} role="presentation">
              {header && (
                <div className="px-2 pt-2 pb-1 text-[11px] font-semibold tracking-wider text-muted uppercase" aria-hidden="true">
                  {header}
                </div>
              )}
              <div
                id={`${listId}-${c.id}`}
                role="option"
                aria-selected={index === active}
                onMouseMove={() => setActive(index)}
                onClick={() => runAt(index)}
                className={cn('flex cursor-pointer items-center gap-3 rounded-md px-2.5 py-2 text-[13px]', index === active && 'bg-accent-soft text-accent-strong')}
              >
                <Icon name={c.icon} className={index === active ? '' : 'text-muted'} />
                <span className="truncate">{c.label}</span>
                {c.hint && <span className="ml-auto truncate pl-4 font-mono text-xs text-muted">{c.hint}</span>}
              </div>
            </li>
          );
        })}
      </ul>
    </dialog>
  );
}
