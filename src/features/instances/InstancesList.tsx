import { clip } from '../../lib/text';
import { NARROW_SCREEN, useMediaQuery } from '../../components/useMediaQuery';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useQuery, useSuspenseInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { allTriggersQuery } from '../../api/triggers';
import { useIsRemote } from '../../api/info';
import { allWorkflowsQuery } from '../../api/workflows';
import type { WorkflowInstance } from '../../api/types';
import { Button } from '../../components/Button';
import { WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { ListMovedNote } from '../../components/ListMovedNote';
import { DataTable, type Column } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { FilterBar, inputClass, SearchInput, Select } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { instancesDescription } from './pageHeader';
import { Pager } from '../../components/Pager';
import { useTimeZone } from '../../components/preferences';
import { EmptyState } from '../../components/states';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { zoneName } from '../../lib/time';
import { OpenInstanceById } from './OpenById';
import { ProgressBadge, ProgressDetail } from './InstanceProgress';
import { RowProgressProvider, useRowProgress } from './rowProgress';
import { preciseStatus, type PreciseStatus } from '../../../common/status';
import { preciseLabel } from './progress';
import { isRefreshSeconds, readRefresh, rememberRefresh, REFRESH_CHOICES, type RefreshSeconds } from './preferences';
import {
  EXTRA_FILTER_KEYS,
  hasExtraFilters,
  instancesListFilter,
  instancesListQuery,
  LIVE_MAX_PAGES,
  variablesError,
  type InstanceStateFilter,
  type InstanceStatusFilter,
  type InstancesListSearch,
} from './queries';
import { colsParam, instanceColumn, listColumnIds } from './columns';
import { VariablesSearch } from './VariablesSearch';
import { SavedViews } from '../views/SavedViews';
import type { ViewState } from '../views/viewState';
import type { SavedView } from '../../api/views';
import { matchesVariables, parseVariableFilter } from '../../../common/variable-filter';
import { fromInputValue, SINCE_CHOICES, SINCE_KEYS, sinceStart, toInputValue, type Since } from './timeRange';

const route = getRouteApi('/instances/');

const STATUS_OPTIONS: { value: InstanceStatusFilter | `state:${InstanceStateFilter}`; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'state:waiting', label: 'Running: waiting for an event' },
  { value: 'state:delayed', label: 'Running: delayed' },
  { value: 'state:retrying', label: 'Running: retrying' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'aborted', label: 'Aborted' },
];

/** Status cell: the precise status, live while the instance runs. */
function RowStatus({ instance }: { instance: WorkflowInstance }) {
  // Finished rows need no queries (most rows of a long list: keeps scrolling cheap).
  return instance.terminated ? <StatusCell status={preciseStatus(instance)} /> : <LiveRowStatus instance={instance} />;
}

function LiveRowStatus({ instance }: { instance: WorkflowInstance }) {
  // The rows on screen are read together, live (RowProgressProvider around the table).
  return <StatusCell status={useRowProgress(instance)} />;
}

function StatusCell({ status }: { status: PreciseStatus }) {
  return (
    <span className="flex max-w-[17rem] min-w-0 items-center gap-2" data-testid="instance-status" data-status={preciseLabel(status)}>
      <ProgressBadge status={status} />
      <ProgressDetail status={status} compact className="truncate" />
    </span>
  );
}

/** What an export or a bulk action covers: the list's filters, a sliding window fixed now. */
function exportFilter(search: InstancesListSearch, consoleFilters: boolean) {
  const filter = instancesListFilter(search, consoleFilters);
  return consoleFilters && search.since ? { ...filter, startedAfter: sinceStart(search.since) } : filter;
}

/** The list's filters as a bulk job takes them (query parameters; no paging, no order). */
function bulkFilters(search: InstancesListSearch, consoleFilters: boolean): Record<string, string> {
  const { cursor: _c, pageSize: _p, sort: _s, order: _o, ...filter } = exportFilter(search, consoleFilters);
  return Object.fromEntries(Object.entries(filter).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]])));
}

/** Remote mode: the stack filters by workflow and running only, so an export covers what it lists. */
function remoteExportScope(workflow: string | undefined, running: boolean, varsSearch: boolean): string {
  return (
    `Connected to a Formance stack, which filters instances by workflow and running state only: the file holds every instance it lists` +
    `${workflow ? ` of ${clip(workflow)}` : ''}${running ? ' that is running' : ''}` +
    `${varsSearch ? ', without the variables search (the stack cannot search variables; the list applies it to the loaded rows only)' : ''}` +
    `. Runs of deleted workflows are not in its lists.`
  );
}

// Loaded the first time they are opened: not part of the list's first load.
const ColumnsDialog = lazy(() => import('./ColumnsDialog').then((m) => ({ default: m.ColumnsDialog })));
const ExportDialog = lazy(() => import('./ExportDialog').then((m) => ({ default: m.ExportDialog })));
const BulkAbortAllDialog = lazy(() => import('./BulkAbortAllDialog').then((m) => ({ default: m.BulkAbortAllDialog })));
const BulkAbortDialog = lazy(() => import('./BulkAbortDialog').then((m) => ({ default: m.BulkAbortDialog })));
// The overview's filters as chips: only with such a filter in the URL (the route's loader then
// fetches this chunk alongside the rows).
const ExtraFilters = lazy(() => import('./ExtraFilters').then((m) => ({ default: m.ExtraFilters })));
// Shown once a bulk job is started from this list.
const BulkJobDialog = lazy(() => import('./BulkJobDialog').then((m) => ({ default: m.BulkJobDialog })));
const BulkJobNote = lazy(() => import('./BulkJobDialog').then((m) => ({ default: m.BulkJobNote })));

/** True from the first time `open` is true on. */
function useOpenedOnce(open: boolean): boolean {
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  return opened || open;
}

export function InstancesList() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const tz = useTimeZone();
  const refresh: RefreshSeconds = search.refresh ?? readRefresh();
  const refetchMs = refresh ? refresh * 1000 : false;
  // Remote mode: upstream Flows filters by workflow and running only, and sorts none of its lists.
  const consoleFilters = !useIsRemote();
  const list = useSuspenseInfiniteQuery(instancesListQuery(search, refresh, consoleFilters));
  const pages = list.data.pages;
  // Every loaded page in one list; an instance can appear twice when rows move between pages
  // (upstream keeps no order, remote mode), so keep its first occurrence and count the others.
  const { rows: loadedRows, repeated } = useMemo(() => {
    const seen = new Set<string>();
    const all = pages.flatMap((p) => p.data);
    const unique = all.filter((i) => !seen.has(i.id) && !!seen.add(i.id));
    return { rows: unique, repeated: all.length - unique.length };
  }, [pages]);
  // Remote mode: the stack cannot search variables, so the search applies to the loaded rows
  // (and the list says so). Embedded mode: the server answered it.
  const varsQuery = search.vars?.trim() && !variablesError(search.vars) ? search.vars.trim() : undefined;
  const rows = useMemo(() => {
    if (consoleFilters || !varsQuery) return loadedRows;
    const conditions = parseVariableFilter(varsQuery);
    return loadedRows.filter((i) => matchesVariables(i.variables, conditions));
  }, [loadedRows, consoleFilters, varsQuery]);
  const livePaused = refresh > 0 && pages.length > LIVE_MAX_PAGES;
  const loadMore = () => {
    if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  };
  const workflows = useQuery(allWorkflowsQuery());
  const triggers = useQuery(allTriggersQuery());
  const triggerNames = new Map((triggers.data ?? []).map((t) => [t.id, t.name || t.event]));
  const workflowNames = new Map((workflows.data ?? []).map((w) => [w.id, w.config.name || w.id]));
  const [selected, setSelected] = useState<Map<string, WorkflowInstance>>(() => new Map());
  const [bulkOpen, setBulkOpen] = useState(false);
  const bulkRefusal = useRefusal('bulkAbort');
  const [customRange, setCustomRange] = useState(false);
  const [columnsOpen, setColumnsOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const [abortAllOpen, setAbortAllOpen] = useState(false);
  const [bulkJob, setBulkJob] = useState<{ id: string; open: boolean }>();
  // The dialogs are loaded the first time they open, then stay mounted.
  const columnsUsed = useOpenedOnce(columnsOpen);
  const bulkUsed = useOpenedOnce(bulkOpen);
  const exportUsed = useOpenedOnce(exportOpen);
  const abortAllUsed = useOpenedOnce(abortAllOpen);

  const setSearch = (patch: Record<string, unknown>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const refilter = (patch: Record<string, unknown>) => void setSearch({ ...patch, cursor: undefined });

  const toggle = (i: WorkflowInstance, on: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (on) next.set(i.id, i);
      else next.delete(i.id);
      return next;
    });
  const runningOnPage = rows.filter((i) => !i.terminated);
  const allRunningSelected = runningOnPage.length > 0 && runningOnPage.every((i) => selected.has(i.id));

  const selectColumn: Column<WorkflowInstance> = {
    id: 'select',
    header: (
      <input
        type="checkbox"
        aria-label="Select every running instance loaded"
        title={runningOnPage.length ? 'Select every running instance loaded' : 'No running instance loaded'}
        disabled={!runningOnPage.length}
        checked={allRunningSelected}
        onChange={(e) =>
          setSelected((prev) => {
            const next = new Map(prev);
            for (const i of runningOnPage) {
              if (e.target.checked) next.set(i.id, i);
              else next.delete(i.id);
            }
            return next;
          })
        }
        className="size-4 accent-[var(--accent)]"
      />
    ),
    className: 'w-10',
    cell: (i) => (
      <input
        type="checkbox"
        aria-label={`Select instance ${i.id}`}
        checked={selected.has(i.id)}
        onChange={(e) => toggle(i, e.target.checked)}
        className="size-4 accent-[var(--accent)]"
      />
    ),
  };
  // Remote mode: upstream Flows does not record what started a run (no such column).
  const columnIds = listColumnIds(search.cols).filter((c) => consoleFilters || c !== 'trigger');
  const columnContext = {
    status: (i: WorkflowInstance) => <RowStatus instance={i} />,
    triggerName: (id: string) => triggerNames.get(id),
    provenance: consoleFilters,
  };
  const allColumns: Column<WorkflowInstance>[] = [selectColumn, ...columnIds.flatMap((id) => instanceColumn(id, columnContext) ?? [])];
  // On a phone the status comes first (after the selection box): it is what a row is read for,
  // and the table scrolls sideways for the rest.
  const narrow = useMediaQuery(NARROW_SCREEN);
  const columns = narrow
    ? [
        ...allColumns.filter((c) => c.id === 'select'),
        ...allColumns.filter((c) => c.id === 'status'),
        ...allColumns.filter((c) => c.id !== 'select' && c.id !== 'status'),
      ]
    : allColumns;

  const rangeValue = search.since ?? (search.from || search.to || customRange ? 'custom' : 'any');
  const filtered = consoleFilters
    ? !!(
        search.workflowID ||
        search.status !== 'all' ||
        search.state ||
        search.q ||
        search.origin !== 'all' ||
        search.trigger ||
        search.since ||
        search.from ||
        search.to ||
        hasExtraFilters(search) ||
        varsQuery
      )
    : !!(search.workflowID || search.status === 'running' || varsQuery);
  const statusValue = consoleFilters ? (search.state ? `state:${search.state}` : search.status) : search.status === 'running' ? 'running' : 'all';
  const newestFirst = consoleFilters && search.order === 'desc';
  const viewState: ViewState = {
    filters: {
      ...(search.workflowID ? { workflowID: search.workflowID } : {}),
      ...(search.status !== 'all' ? { status: search.status } : {}),
      ...(search.state ? { state: search.state } : {}),
      // Each as the URL types it (`minRetries` is a number), as the view's contract stores it.
      ...Object.fromEntries(EXTRA_FILTER_KEYS.flatMap((k) => (search[k] !== undefined ? [[k, search[k]]] : []))),
      ...(search.q ? { q: search.q } : {}),
      ...(search.origin !== 'all' ? { origin: search.origin } : {}),
      ...(search.trigger ? { trigger: search.trigger } : {}),
      ...(search.order !== 'desc' ? { order: search.order } : {}),
      ...(search.vars ? { vars: search.vars } : {}),
    },
    sort: search.sort,
    columns: search.cols ? columnIds : undefined,
    timeRange: search.since ? { since: search.since } : search.from || search.to ? { from: search.from, to: search.to } : undefined,
  };
  const applyView = useCallback(
    (view: SavedView | undefined) => {
      setCustomRange(!!(view?.timeRange?.from || view?.timeRange?.to));
      void navigate({
        search: (prev) => ({
          refresh: prev.refresh,
          pageSize: prev.pageSize,
          status: 'all' as const,
          origin: 'all' as const,
          order: 'desc' as const,
          ...(view
            ? {
                ...(view.filters as Record<string, never>),
                view: view.id,
                sort: view.sort,
                cols: view.columns ? view.columns.join(',') : undefined,
                since: view.timeRange?.since as Since | undefined,
                from: view.timeRange?.from,
                to: view.timeRange?.to,
              }
            : {}),
        }),
      });
    },
    [navigate],
  );
  const sort = parseSort(search.sort);
  const sortLabel = sort && columns.find((c) => c.id === sort.id && c.sortValue);
  const startedBy = search.trigger ? `trigger:${search.trigger}` : search.origin;

  return (
    <>
      <PageHeader
        title="Instances"
        description={instancesDescription({
          consoleFilters,
          newestFirst,
          sortedBy: sort && sortLabel ? { label: typeof sortLabel.header === 'string' ? sortLabel.header.toLowerCase() : sortLabel.id, desc: sort.desc } : undefined,
        })}
        actions={
          <>
            <Button variant="secondary" onClick={() => setColumnsOpen(true)} title="Choose and order the columns">
              Columns
            </Button>
            <Button variant="secondary" onClick={() => setExportOpen(true)} title="Download every instance matching the filters as CSV or JSON">
              <Icon name="download" size={14} /> Export
            </Button>
            <WithReason reason={bulkRefusal ?? 'Abort every running instance the filters match, loaded or not, after a preview'}>
              <Button variant="secondary" disabled={!!bulkRefusal} onClick={() => setAbortAllOpen(true)}>
                Abort all matching…
              </Button>
            </WithReason>
            <Button variant="secondary" onClick={() => void list.refetch()} title="Reload this page of instances now" disabled={list.isFetching}>
              <Icon name="refresh" size={14} className={list.isFetching ? 'animate-spin' : undefined} /> Reload
            </Button>
          </>
        }
      />
      <SavedViews
        list="instances"
        current={viewState}
        activeId={search.view}
        bare={!filtered && !search.sort && !search.cols && search.order === 'desc'}
        onApply={applyView}
      />
      <FilterBar>
        {consoleFilters && (
          <SearchInput
            className="w-56"
            label="Search by instance id"
            placeholder="Instance id (or a piece)"
            value={search.q ?? ''}
            onChange={(q) => refilter({ q: q || undefined })}
          />
        )}
        <VariablesSearch className="w-72" value={search.vars ?? ''} onChange={(vars) => refilter({ vars: vars || undefined })} />
        <Select label="Workflow" style={{ maxWidth: '14rem' }} value={search.workflowID ?? ''} onChange={(e) => refilter({ workflowID: e.target.value || undefined })}>
          <option value="">All workflows</option>
          {search.workflowID && !(workflows.data ?? []).some((w) => w.id === search.workflowID) && <option value={search.workflowID}>{search.workflowID}</option>}
          {(workflows.data ?? []).map((w) => (
            <option key={w.id} value={w.id}>
              {clip(w.config.name || w.id)}
            </option>
          ))}
        </Select>
        <Select
          label="Status"
          value={statusValue}
          onChange={(e) => {
            const v = e.target.value;
            if (v.startsWith('state:')) refilter({ status: 'all', state: v.slice('state:'.length) });
            else refilter({ status: v, state: undefined });
          }}
        >
          {STATUS_OPTIONS.filter((o) => consoleFilters || o.value === 'all' || o.value === 'running').map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
        {consoleFilters && (
          <>
            <Select
              label="Started by"
              style={{ maxWidth: '13rem' }}
              value={startedBy}
              onChange={(e) => {
                const v = e.target.value;
                if (v.startsWith('trigger:')) refilter({ origin: 'trigger', trigger: v.slice('trigger:'.length) });
                else refilter({ origin: v, trigger: undefined });
              }}
            >
              <option value="all">Anyone</option>
              <option value="manual">By hand (API, console)</option>
              <option value="trigger">Any trigger</option>
              {search.trigger && !triggerNames.has(search.trigger) && <option value={`trigger:${search.trigger}`}>Trigger {search.trigger}</option>}
              {(triggers.data ?? []).map((t) => (
                <option key={t.id} value={`trigger:${t.id}`}>
                  Trigger: {clip(t.name || t.event)}
                </option>
              ))}
            </Select>
            <Select
              label="Started"
              value={rangeValue}
              onChange={(e) => {
                const v = e.target.value;
                if (v === 'any') {
                  setCustomRange(false);
                  refilter({ since: undefined, from: undefined, to: undefined });
                } else if (v === 'custom') {
                  setCustomRange(true);
                  refilter({ since: undefined });
                } else {
                  setCustomRange(false);
                  refilter({ since: v as Since, from: undefined, to: undefined });
                }
              }}
            >
              <option value="any">Any time</option>
              {SINCE_KEYS.map((k) => (
                <option key={k} value={k}>
                  {SINCE_CHOICES[k].label}
                </option>
              ))}
              <option value="custom">Custom range…</option>
            </Select>
            {rangeValue === 'custom' && (
              <>
                <label className="flex items-center gap-2 text-[13px] text-muted">
                  From
                  <input
                    type="datetime-local"
                    className={inputClass}
                    value={toInputValue(search.from, tz)}
                    onChange={(e) => refilter({ from: fromInputValue(e.target.value, tz) })}
                  />
                </label>
                <label className="flex items-center gap-2 text-[13px] text-muted">
                  To
                  <input
                    type="datetime-local"
                    className={inputClass}
                    value={toInputValue(search.to, tz)}
                    onChange={(e) => refilter({ to: fromInputValue(e.target.value, tz) })}
                  />
                  <span className="text-xs">{zoneName(new Date(), tz)}</span>
                </label>
              </>
            )}
            <Select label="Order" value={search.order} onChange={(e) => refilter({ order: e.target.value, sort: undefined })}>
              <option value="desc">Newest first</option>
              <option value="asc">Oldest first</option>
            </Select>
          </>
        )}
        <Select
          label="Refresh"
          value={refresh}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (!isRefreshSeconds(v)) return;
            rememberRefresh(v);
            void setSearch({ refresh: v });
          }}
        >
          {REFRESH_CHOICES.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? 'Off' : `Every ${s} s`}
            </option>
          ))}
        </Select>
        {livePaused && (
          <span className="inline-flex items-center gap-1.5 text-xs text-muted" data-testid="live-indicator" title="Live refresh reloads every loaded page">
            <span className="size-1.5 rounded-full bg-amber-500" aria-hidden="true" />
            Live paused: {pages.length} pages loaded · updated <Time value={new Date(list.dataUpdatedAt).toISOString()} mode="absolute" />
          </span>
        )}
        {refresh > 0 && !livePaused && (
          <span className="inline-flex items-center gap-1.5 text-xs text-muted" data-testid="live-indicator">
            <span className="size-1.5 animate-pulse rounded-full bg-emerald-500" aria-hidden="true" />
            Live · updated <Time value={new Date(list.dataUpdatedAt).toISOString()} mode="absolute" />
          </span>
        )}
        {filtered && (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setCustomRange(false);
              refilter({
                workflowID: undefined,
                status: 'all',
                state: undefined,
                q: undefined,
                origin: 'all',
                trigger: undefined,
                since: undefined,
                from: undefined,
                to: undefined,
                vars: undefined,
                ...Object.fromEntries(EXTRA_FILTER_KEYS.map((k) => [k, undefined])),
              });
            }}
          >
            <Icon name="x" size={12} /> Clear filters
          </Button>
        )}
      </FilterBar>
      {consoleFilters && hasExtraFilters(search) && (
        <Suspense fallback={null}>
          <ExtraFilters filters={search} onRemove={(keys) => refilter(Object.fromEntries(keys.map((k) => [k, undefined])))} />
        </Suspense>
      )}
      {!consoleFilters && (
        <div className="-mt-1 mb-3 flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
          <p className="max-w-3xl text-[13px] text-muted" data-testid="remote-filters-note">
            Connected to a Formance stack: its Flows API filters instances by workflow and running state only, and sorts none of its lists, so rows can move between pages
            as instances change. Runs of deleted workflows are left out of its lists: open them by id.
          </p>
          <OpenInstanceById />
        </div>
      )}
      {!consoleFilters && <ListMovedNote repeated={repeated} noun="instances" />}
      {!consoleFilters && varsQuery && (
        <p className="-mt-1 mb-3 text-[13px] text-amber-800 dark:text-amber-300" data-testid="remote-vars-note">
          The stack cannot search by variables: the variables search applies to the {loadedRows.length} loaded instances only ({rows.length} match). Load more to search
          further.
        </p>
      )}
      {bulkJob && !bulkJob.open && (
        <Suspense fallback={null}>
          <BulkJobNote jobId={bulkJob.id} onShow={() => setBulkJob({ id: bulkJob.id, open: true })} />
        </Suspense>
      )}
      {selected.size > 0 && (
        <div
          role="region"
          aria-label="Selection"
          className="mb-3 flex flex-wrap items-center gap-3 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2 text-[13px]"
        >
          <span>
            <strong>{selected.size}</strong> selected · {[...selected.values()].filter((i) => !i.terminated).length} running when loaded
          </span>
          <WithReason reason={bulkRefusal}>
            <Button variant="danger" size="sm" disabled={!!bulkRefusal} onClick={() => setBulkOpen(true)}>
              Abort selected…
            </Button>
          </WithReason>
          <Button variant="ghost" size="sm" onClick={() => setSelected(new Map())}>
            Clear selection
          </Button>
        </div>
      )}
      <RowProgressProvider refetchMs={refetchMs}>
        <DataTable
          label="Instances"
          columns={columns}
          rows={rows}
          rowKey={(i) => i.id}
          onEndReached={list.hasNextPage ? loadMore : undefined}
          sort={sort}
          // Embedded: the service sorts every instance (a new sort starts from the first page).
          // Remote: upstream cannot sort, so the table sorts the rows loaded and says so.
          onSortChange={(s) => (consoleFilters ? refilter({ sort: formatSort(s) }) : setSearch({ sort: formatSort(s) }))}
          sortOn={consoleFilters ? 'server' : 'rows'}
          partial={list.hasNextPage || !!pages[0]!.previous}
          sortScopeNote="the stack's Flows API cannot sort instances, so rows not loaded yet are not included"
          rowClassName={(i) => (selected.has(i.id) ? 'bg-accent-soft/60' : undefined)}
          empty={
            <EmptyState
              icon="instances"
              title={filtered ? 'No instance matches these filters' : 'No instances yet'}
              action={
                filtered ? undefined : (
                  <Link to="/workflows" className="text-[13px] text-accent-strong hover:underline">
                    Go to workflows to run one
                  </Link>
                )
              }
            >
              {filtered ? 'Change or clear the filters above.' : 'Run a workflow, or publish an event that fires a trigger.'}
            </EmptyState>
          }
        />
      </RowProgressProvider>
      <Pager
        page={{ previous: pages[0]!.previous, next: pages[pages.length - 1]!.next, hasMore: list.hasNextPage }}
        count={rows.length}
        pagesLoaded={pages.length}
        onLoadMore={list.hasNextPage ? loadMore : undefined}
        loadingMore={list.isFetchingNextPage}
        noun="instances"
        pageSize={search.pageSize}
        onCursor={(cursor) => setSearch({ cursor })}
        onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
      />
      <Suspense fallback={null}>
        {columnsUsed && (
          <ColumnsDialog
            open={columnsOpen}
            columns={columnIds}
            unavailable={consoleFilters ? [] : ['trigger']}
            onChange={(ids) => void setSearch({ cols: colsParam(ids) })}
            onClose={() => setColumnsOpen(false)}
          />
        )}
        {exportUsed && (
          <ExportDialog
            open={exportOpen}
            filter={exportFilter(search, consoleFilters)}
            columns={columnIds}
            remoteScope={
              consoleFilters
                ? undefined
                : remoteExportScope(search.workflowID && (workflowNames.get(search.workflowID) ?? search.workflowID), search.status === 'running', !!varsQuery)
            }
            onClose={() => setExportOpen(false)}
          />
        )}
        {abortAllUsed && (
          <BulkAbortAllDialog
            open={abortAllOpen}
            filters={bulkFilters(search, consoleFilters)}
            onClose={() => setAbortAllOpen(false)}
            onStarted={(job) => setBulkJob({ id: job.id, open: true })}
          />
        )}
        {bulkUsed && (
          <BulkAbortDialog
            open={bulkOpen}
            selected={[...selected.values()]}
            onClose={() => setBulkOpen(false)}
            onAborted={(ids) =>
              setSelected((prev) => {
                const next = new Map(prev);
                ids.forEach((id) => next.delete(id));
                return next;
              })
            }
          />
        )}
      </Suspense>
      {bulkJob && (
        <Suspense fallback={null}>
          <BulkJobDialog jobId={bulkJob.id} open={bulkJob.open} onClose={() => setBulkJob({ id: bulkJob.id, open: false })} />
        </Suspense>
      )}
    </>
  );
}
