import { formatExact, formatRelative, formatShort } from '../lib/time';
import { useNow, useTimeZone } from './preferences';

/**
 * A date: relative text ("3 min ago") with the exact RFC 3339 value on hover, in the chosen zone
 * (local or UTC). `mode="absolute"` shows the short absolute date instead.
 */
export function Time({ value, mode = 'relative', className }: { value: string | undefined | null; mode?: 'relative' | 'absolute'; className?: string }) {
  const tz = useTimeZone();
  const now = useNow();
  if (!value) return <span className="text-muted">—</span>;
  const exact = formatExact(value, tz);
  return (
    <time dateTime={value} title={exact} className={className ?? 'whitespace-nowrap'}>
      {mode === 'relative' ? formatRelative(value, now) : formatShort(value, tz)}
    </time>
  );
}
