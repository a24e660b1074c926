import type { OverviewWindowKey } from '../../api/overview';

export const WINDOW_LABELS: Record<OverviewWindowKey, string> = {
  '1h': 'In the last hour',
  '24h': 'In the last 24 hours',
  '7d': 'In the last 7 days',
  '30d': 'In the last 30 days',
};

export const WINDOW_SHORT: Record<OverviewWindowKey, string> = { '1h': '1 h', '24h': '24 h', '7d': '7 d', '30d': '30 d' };

/** A bucket's start as the chart's axis shows it, in the chosen zone (the one date formatter). */
export { formatBucket as bucketLabel } from '../../lib/time';
