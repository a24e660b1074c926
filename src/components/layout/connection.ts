import type { ConsoleInfo } from '../../api/types';

export interface HealthView {
  tone: 'ok' | 'warn' | 'down';
  label: string;
  detail?: string;
}

/** The `health` of /api/console/info as the header shows it. */
export function healthView(health: ConsoleInfo['health'] | undefined): HealthView {
  if (!health) return { tone: 'warn', label: 'Unknown' };
  return health.ok ? { tone: 'ok', label: 'Healthy', detail: health.message } : { tone: 'down', label: 'Unhealthy', detail: health.message };
}
