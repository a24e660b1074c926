import { useId, useMemo } from 'react';
import { Segmented } from '../../components/inputs';
import { useNow, useSettings } from '../../components/preferences';
import { updateSettings } from '../../lib/settings';
import { formatExact, formatRelative, formatShort, knownTimeZones, type TimeStyle } from '../../lib/time';

type ZoneChoice = 'local' | 'utc' | 'zone';

/** Time style and zone: personal preferences, stored in this browser (lib/settings.ts). */
export function TimeSettings() {
  const settings = useSettings();
  const zoneId = useId();
  const zones = useMemo(knownTimeZones, []);
  const now = useNow(1000);
  const choice: ZoneChoice = settings.timeZone === 'local' ? 'local' : settings.timeZone === 'utc' ? 'utc' : 'zone';
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const sample = new Date(now - 3 * 60_000).toISOString();
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <span className="w-20 text-[13px] text-muted">Dates</span>
        <Segmented<TimeStyle>
          label="Time style"
          value={settings.timeStyle}
          onChange={(timeStyle) => updateSettings({ timeStyle })}
          options={[
            { value: 'relative', label: 'Relative' },
            { value: 'absolute', label: 'Absolute' },
          ]}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <span className="w-20 text-[13px] text-muted">Time zone</span>
        <Segmented<ZoneChoice>
          label="Time zone"
          value={choice}
          onChange={(c) => updateSettings({ timeZone: c === 'zone' ? (zones.includes(browserZone) ? browserZone : (zones[0] ?? 'local')) : c })}
          options={[
            { value: 'local', label: `Local (${browserZone})` },
            { value: 'utc', label: 'UTC' },
            { value: 'zone', label: 'Another zone' },
          ]}
        />
        {choice === 'zone' && (
          <>
            <label htmlFor={zoneId} className="sr-only">
              Zone
            </label>
            <select
              id={zoneId}
              value={settings.timeZone}
              onChange={(e) => updateSettings({ timeZone: e.target.value })}
              className="h-8 max-w-full rounded-md border border-line-strong bg-surface px-2 text-[13px] text-fg"
            >
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      <p className="font-mono text-xs text-muted" data-testid="time-sample">
        3 minutes ago reads: {settings.timeStyle === 'relative' ? formatRelative(sample, now, { past: true }) : formatShort(sample, settings.timeZone)} · exact:{' '}
        {formatExact(sample, settings.timeZone)}
      </p>
      <p className="text-xs text-muted">Stored in this browser only: a personal preference, not shared with your team and not sent to the server.</p>
    </div>
  );
}
