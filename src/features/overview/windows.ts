import type { OverviewWindowKey } from '../../api/overview';

export const WINDOW_LABELS: Record<OverviewWindowKey, string> = {
  '1h': 'In the last hour',
  '24h': 'In the last 24 hours',
  '7d': 'In the last 7 days',
  '30d': 'In the last 30 days',
};

export const WINDOW_SHORT: Record<OverviewWindowKey, string> = { '1h': '1 h', '24h': '24 h', '7d': '7 d', '30d': '30 d' };

/** A bucket's start as the chart's axis shows it (UTC or local, per the time zone choice). */
export function bucketLabel(iso: string, bucketSeconds: number, utc: boolean): string {
  const d = new Date(iso);
  const opts: Intl.DateTimeFormatOptions = { timeZone: utc ? 'UTC' : undefined, hourCycle: 'h23' };
  if (bucketSeconds < 86400) {
    if (bucketSeconds >= 6 * 3600) return d.toLocaleString('en-US', { ...opts, weekday: 'short', hour: '2-digit', minute: '2-digit' });
    return d.toLocaleTimeString('en-US', { ...opts, hour: '2-digit', minute: '2-digit' });
  }
  return d.toLocaleDateString('en-US', { ...opts, month: 'short', day: 'numeric' });
}
