import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useIsRemote } from '../../api/info';
import { OVERVIEW_WINDOWS, overviewKeys, type AttentionThresholds } from '../../api/overview';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { Segmented, Select } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { isRefreshSeconds, readRefresh, REFRESH_CHOICES, rememberRefresh, type RefreshSeconds } from '../instances/preferences';
import { AttentionPanel } from './AttentionPanel';
import { FailuresPanel } from './FailuresPanel';
import { MoneyPanel } from './MoneyPanel';
import { NowPanel } from './NowPanel';
import { RunsPanel } from './RunsPanel';
import { WINDOW_SHORT } from './windows';

const route = getRouteApi('/');

/** The overview's own remembered refresh interval (live by default: it is a dashboard). */
export const OVERVIEW_REFRESH_KEY = 'flows-console:overview-refresh';
export const OVERVIEW_REFRESH_DEFAULT: RefreshSeconds = 30;

/**
 * The first page: is anything wrong, and where? Each panel loads and refreshes on its own; every
 * count opens the instance list filtered to exactly the rows it counts (embedded mode; remote
 * mode lists filter by workflow and running state only, so there most counts stay plain text).
 */
export function OverviewPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const qc = useQueryClient();
  const remote = useIsRemote();
  const linkable = !remote;
  const refresh: RefreshSeconds = search.refresh ?? readRefresh(undefined, OVERVIEW_REFRESH_KEY, OVERVIEW_REFRESH_DEFAULT);
  const live = { refetchInterval: refresh ? refresh * 1000 : (false as const) };
  const fetching = useIsFetching({ queryKey: overviewKeys.all }) > 0;
  const thresholds: AttentionThresholds = { waitingLongerThan: search.waiting, minRetries: search.retries, delayedBeyond: search.delayed };
  const set = (patch: Record<string, unknown>) => void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });

  return (
    <>
      <PageHeader
        title="Overview"
        description="Is anything wrong, and where? Every count opens the instances behind it."
        actions={
          <>
            <Segmented
              label="Window"
              value={search.window}
              onChange={(window) => set({ window })}
              options={OVERVIEW_WINDOWS.map((w) => ({ value: w, label: WINDOW_SHORT[w] }))}
            />
            <Select
              label="Refresh"
              value={refresh}
              onChange={(e) => {
                const v = Number(e.target.value);
                if (!isRefreshSeconds(v)) return;
                rememberRefresh(v, undefined, OVERVIEW_REFRESH_KEY);
                set({ refresh: v });
              }}
            >
              {REFRESH_CHOICES.map((s) => (
                <option key={s} value={s}>
                  {s === 0 ? 'Off' : `Every ${s} s`}
                </option>
              ))}
            </Select>
            <Button variant="secondary" onClick={() => void qc.invalidateQueries({ queryKey: overviewKeys.all })} disabled={fetching} title="Reload every panel now">
              <Icon name="refresh" size={14} className={fetching ? 'animate-spin' : undefined} /> Reload
            </Button>
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="lg:col-span-2">
          <NowPanel window={search.window} live={live} linkable={linkable} />
        </div>
        <RunsPanel window={search.window} view={search.view} onView={(view) => set({ view })} live={live} linkable={linkable} />
        <FailuresPanel window={search.window} live={live} linkable={linkable} />
        <AttentionPanel
          thresholds={thresholds}
          onThresholds={(t) => set({ waiting: t.waitingLongerThan, retries: t.minRetries, delayed: t.delayedBeyond })}
          live={live}
          linkable={linkable}
        />
        <MoneyPanel live={live} linkable={linkable} />
      </div>
    </>
  );
}
