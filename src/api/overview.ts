import { queryOptions } from '@tanstack/react-query';
import { api, data } from './client';
import type { LiveOptions } from './instances';

/** The overview's windows (openapi/sandbox.yaml `OverviewWindow`). */
export const OVERVIEW_WINDOWS = ['1h', '24h', '7d', '30d'] as const;
export type OverviewWindowKey = (typeof OVERVIEW_WINDOWS)[number];

export interface AttentionThresholds {
  /** `30m`, `2h`, `7d` */
  waitingLongerThan: string;
  minRetries: number;
  delayedBeyond: string;
}

export const overviewKeys = {
  all: ['overview'] as const,
  now: (window: OverviewWindowKey) => [...overviewKeys.all, 'now', window] as const,
  runs: (window: OverviewWindowKey) => [...overviewKeys.all, 'runs', window] as const,
  failures: (window: OverviewWindowKey) => [...overviewKeys.all, 'failures', window] as const,
  attention: (t: AttentionThresholds) => [...overviewKeys.all, 'attention', t] as const,
  money: () => [...overviewKeys.all, 'money'] as const,
};

export function overviewNowQuery(window: OverviewWindowKey, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: overviewKeys.now(window),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/console/overview/now', { params: { query: { window } }, signal })),
    ...live,
  });
}

export function overviewRunsQuery(window: OverviewWindowKey, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: overviewKeys.runs(window),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/console/overview/runs', { params: { query: { window } }, signal })),
    ...live,
  });
}

export function overviewFailuresQuery(window: OverviewWindowKey, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: overviewKeys.failures(window),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/console/overview/failures', { params: { query: { window } }, signal })),
    ...live,
  });
}

export function overviewAttentionQuery(t: AttentionThresholds, live: LiveOptions = {}) {
  return queryOptions({
    queryKey: overviewKeys.attention(t),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/console/overview/attention', { params: { query: t }, signal })),
    ...live,
  });
}

export function overviewMoneyQuery(live: LiveOptions = {}) {
  return queryOptions({
    queryKey: overviewKeys.money(),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/console/overview/money', { signal })),
    ...live,
  });
}
