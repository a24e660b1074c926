import { serverNow } from '../lib/clock';
import { formatExact, formatRelative, formatShort } from '../lib/time';
import { useNow, useSettings, useTimeZone } from './preferences';

/**
 * A date: relative text ("3 min ago") with the exact RFC 3339 value on hover, in the chosen zone
 * (local, UTC or an IANA zone). With the "absolute" time style (Settings) every date reads as the
 * short absolute date; `mode="absolute"` shows it whatever the style.
 *
 * Relative times count on the server's clock and never contradict what the server said: a time
 * the server reports as past (the default; `future` for deadlines) never reads "in 5 s", and
 * `seenAt` (when the thing ended, say) puts "now" no earlier than that, so "started 25 s ago" is
 * never shorter than the "took 31 s" beside it.
 */
export function Time({
  value,
  mode = 'relative',
  className,
  future = false,
  seenAt,
}: {
  value: string | undefined | null;
  mode?: 'relative' | 'absolute';
  className?: string;
  future?: boolean;
  seenAt?: string;
}) {
  const tz = useTimeZone();
  const { timeStyle } = useSettings();
  const relative = mode === 'relative' && timeStyle === 'relative';
  const at = value ? Date.parse(value) : NaN;
  // Seconds show for recent times: refresh those every second, the others every 15 s.
  const now = useNow(relative && Math.abs(serverNow() - at) < 90_000 ? 1000 : 15_000);
  if (!value) return <span className="text-muted">—</span>;
  const floor = seenAt ? Date.parse(seenAt) : NaN;
  const effectiveNow = Number.isNaN(floor) ? now : Math.max(now, floor);
  const exact = formatExact(value, tz);
  return (
    <time dateTime={value} title={exact} className={className ?? 'whitespace-nowrap'}>
      {relative ? formatRelative(value, effectiveNow, { past: !future }) : formatShort(value, tz)}
    </time>
  );
}

/**
 * The text `<Time>` shows, for places that take text only (an `<option>`): relative or short
 * absolute per the time style, in the chosen zone.
 */
export function useDateText(): (value: string) => string {
  const tz = useTimeZone();
  const { timeStyle } = useSettings();
  const now = useNow();
  return (value) => (timeStyle === 'relative' ? formatRelative(value, now, { past: true }) : formatShort(value, tz));
}
