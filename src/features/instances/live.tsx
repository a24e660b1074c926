import { useEffect, useState } from 'react';
import { useTimeZone } from '../../components/preferences';
import { serverNow } from '../../lib/clock';
import { formatDuration, formatExact } from '../../lib/time';

/**
 * The current time on the server's clock (lib/clock), refreshed every `everyMs` while `enabled`
 * (countdowns, growing timelines): they count against the server's times.
 */
export function useTick(everyMs: number, enabled = true): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!enabled) return;
    setNow(serverNow());
    const id = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(id);
  }, [everyMs, enabled]);
  return now;
}

/** Time left as text: whole seconds under a minute (`7 s`), else the console's duration format. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'now';
  if (ms < 60_000) return `${Math.ceil(ms / 1000)} s`;
  return formatDuration(Math.ceil(ms / 1000) * 1000);
}

/** A live countdown to `to` ("in 7 s"), the exact time on hover. */
export function Countdown({ to, prefix = 'in ', overdue = 'any moment now', className }: { to: string; prefix?: string; overdue?: string; className?: string }) {
  const now = useTick(1000);
  const tz = useTimeZone();
  const left = Date.parse(to) - now;
  return (
    <time dateTime={to} title={formatExact(to, tz)} className={className ?? 'tabular-nums whitespace-nowrap'} data-testid="countdown">
      {left > 0 ? `${prefix}${formatCountdown(left)}` : overdue}
    </time>
  );
}
