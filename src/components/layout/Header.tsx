import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { consoleInfoQuery, serverInfoQuery } from '../../api/info';
import { ApiError } from '../../api/errors';
import { cn } from '../../lib/cn';
import { updateSettings } from '../../lib/settings';
import { Icon } from '../Icon';
import { useSettings, useTimeZone } from '../preferences';
import { zoneLabel, zoneName } from '../../lib/time';
import { currentTheme } from './theme';
import { healthView, type HealthView } from './connection';

const DOT: Record<HealthView['tone'], string> = {
  ok: 'bg-emerald-500',
  warn: 'bg-amber-500',
  down: 'bg-red-500',
};

export function ConnectionStatus() {
  const info = useQuery(consoleInfoQuery());
  const remote = info.data?.mode === 'remote';
  // Remote: the stack's Flows version (its `/api/orchestration/_info`), not this console's.
  const server = useQuery({ ...serverInfoQuery(), enabled: info.isError || remote });
  let mode = 'Connecting…';
  let where: string | undefined;
  const version = remote ? server.data?.version : (info.data?.version ?? server.data?.version);
  let health: HealthView = { tone: 'warn', label: 'Checking' };
  if (info.data) {
    mode = info.data.mode === 'remote' ? 'Remote stack' : 'Embedded sandbox';
    where = info.data.mode === 'remote' ? info.data.stackUrl : undefined;
    health = healthView(info.data.health);
  } else if (info.error) {
    const err = info.error instanceof ApiError ? info.error : undefined;
    if (err?.errorCode === 'NETWORK') {
      mode = 'Disconnected';
      health = { tone: 'down', label: 'Server unreachable', detail: err.errorMessage };
    } else if (server.data) {
      mode = 'Connected';
      health = { tone: 'ok', label: 'Healthy' };
    } else {
      mode = 'Connection error';
      health = { tone: 'down', label: err ? `${err.errorCode}` : 'Error', detail: err?.errorMessage };
    }
  }
  const title = [mode, where, version && `${remote ? 'Flows ' : ''}version ${version}`, `${health.label}${health.detail ? `: ${health.detail}` : ''}`]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="flex min-w-0 items-center gap-2 text-[13px]" title={title} data-testid="connection-status">
      <span className="relative flex size-2.5 shrink-0" aria-hidden="true">
        {health.tone === 'ok' && <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-500 opacity-40 motion-reduce:hidden" />}
        <span className={cn('relative inline-flex size-2.5 rounded-full', DOT[health.tone])} />
      </span>
      <span className="sr-only">Health: {health.label}.</span>
      <span className="font-medium whitespace-nowrap">{mode}</span>
      {where && <span className="hidden truncate font-mono text-xs text-muted lg:inline">{where}</span>}
      {version && (
        <span className="hidden rounded bg-subtle px-1.5 py-0.5 font-mono text-[11px] whitespace-nowrap text-muted sm:inline" data-testid="header-version">
          {remote ? 'Flows ' : ''}v{version.replace(/^v/, '')}
        </span>
      )}
      {health.tone !== 'ok' && (
        <span className={cn('truncate text-xs', health.tone === 'down' ? 'text-danger' : 'text-muted')} data-testid="connection-problem">
          {health.label}
          {health.detail ? `: ${health.detail}` : ''}
        </span>
      )}
    </div>
  );
}

function ThemeToggle() {
  useSettings(); // re-render when the preference changes
  const theme = currentTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
      className="inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-hover hover:text-fg"
      onClick={() => updateSettings({ theme: next })}
    >
      <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
    </button>
  );
}

function TimeZoneToggle() {
  const tz = useTimeZone();
  const navigate = useNavigate();
  const next = tz === 'utc' ? 'local' : 'utc';
  // The title names the browser's zone, which takes `Intl`: the page's first `Intl` call loads
  // ICU's data (20–40 ms, ×4 on a slow phone). Written once a pointer or the focus reaches the
  // button (before its tooltip shows), so the first render does not pay for it.
  const [titled, setTitled] = useState(false);
  return (
    <button
      type="button"
      aria-label={`Show times in ${next === 'utc' ? 'UTC' : 'local time'}`}
      title={titled ? `Times are shown in ${zoneLabel(tz)} — click for ${next === 'utc' ? 'UTC' : 'local time'} (Settings: time style and other zones)` : undefined}
      onPointerEnter={() => setTitled(true)}
      onFocus={() => setTitled(true)}
      className="inline-flex h-8 items-center gap-1.5 rounded-md px-2 text-[12px] font-medium text-muted hover:bg-hover hover:text-fg"
      onClick={() => {
        updateSettings({ timeZone: next });
        // A link may carry `tz`; keep the URL telling the truth.
        void navigate({ to: '.', search: (prev: Record<string, unknown>) => ('tz' in prev ? { ...prev, tz: next } : prev), replace: true } as never);
      }}
    >
      <Icon name="clock" size={14} />
      {tz === 'utc' ? 'UTC' : tz === 'local' ? 'Local' : zoneName(new Date(), tz)}
    </button>
  );
}

export function Header({ onOpenPalette, account }: { onOpenPalette: () => void; account?: ReactNode }) {
  return (
    <header className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-line bg-surface px-4 md:px-6">
      <ConnectionStatus />
      <div className="flex shrink-0 items-center gap-1.5">
        {account}
        <button
          type="button"
          onClick={onOpenPalette}
          className="inline-flex h-8 items-center gap-2 rounded-md border border-line-strong bg-subtle px-2.5 text-[13px] text-muted hover:text-fg"
          aria-label="Open command palette"
          aria-keyshortcuts="Control+K Meta+K"
        >
          <Icon name="search" size={14} />
          <span className="hidden sm:inline">Jump to…</span>
          <kbd className="hidden rounded border border-line bg-surface px-1 font-sans text-[11px] sm:inline">Ctrl K</kbd>
        </button>
        <TimeZoneToggle />
        <ThemeToggle />
      </div>
    </header>
  );
}
