import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { auditExportUrl, auditQuery, type AuditFilter } from '../../api/audit';
import type { AuditEntry } from '../../api/types';
import { Button, buttonClass } from '../../components/Button';
import { DataTable, type Column } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { FilterBar, SearchInput, Select } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { EmptyState, ErrorState, TableSkeleton } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { useTimeZone } from '../../components/preferences';
import { fromInputValue, toInputValue } from '../../lib/time';
import { EntryTargets } from './AuditTarget';
import { ACTION_FILTERS, entryVerb, outcomeText, whoDid } from './sentences';

const route = getRouteApi('/audit');

function Details({ entry }: { entry: AuditEntry }) {
  const body = entry.details.body;
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-muted select-none hover:text-fg">
        <span className="font-mono">{entry.method}</span> · request {entry.requestId.slice(0, 13)}
      </summary>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 font-mono break-all">
        <dt className="text-muted">path</dt>
        <dd>{entry.path}</dd>
        <dt className="text-muted">request id</dt>
        <dd>{entry.requestId}</dd>
        <dt className="text-muted">access</dt>
        <dd>
          {entry.actor.access} via {entry.actor.via}
        </dd>
        {entry.outcome && (
          <>
            <dt className="text-muted">answered by</dt>
            <dd>
              {entry.outcome.answeredBy === 'stack' ? 'the stack' : 'this console'} · <Time value={entry.outcome.at} mode="absolute" />
            </dd>
          </>
        )}
        {body && (
          <>
            <dt className="text-muted">body</dt>
            <dd className="max-h-40 overflow-auto whitespace-pre-wrap">{body}</dd>
          </>
        )}
      </dl>
    </details>
  );
}

const columns: Column<AuditEntry>[] = [
  { id: 'at', header: 'When', className: 'w-32 align-top', cell: (e) => <Time value={e.at} /> },
  { id: 'who', header: 'Who', className: 'align-top', cell: (e) => <span className="text-[13px] font-medium whitespace-nowrap">{whoDid(e)}</span> },
  {
    id: 'what',
    header: 'What',
    className: 'align-top min-w-72',
    cell: (e) => (
      <span className="flex flex-col gap-0.5">
        <span className="text-[13px]">
          {entryVerb(e)} <EntryTargets entry={e} />
        </span>
        {e.reason && <span className="text-xs text-muted">“{e.reason}”</span>}
      </span>
    ),
  },
  {
    id: 'outcome',
    header: 'Outcome',
    className: 'align-top',
    cell: (e) => {
      const { text, tone } = outcomeText(e);
      return (
        <span className="flex flex-col items-start gap-0.5">
          <StatusBadge tone={tone}>{text}</StatusBadge>
          {e.outcome?.errorMessage && <span className="max-w-80 text-xs break-words text-muted">{e.outcome.errorMessage}</span>}
        </span>
      );
    },
  },
  { id: 'details', header: 'Details', className: 'align-top', cell: (e) => <Details entry={e} /> },
];

const OUTCOMES = ['succeeded', 'refused', 'failed', 'unknown'] as const;

/** `datetime-local` value ↔ RFC 3339 (the browser's zone). */

export function AuditPage() {
  const search = route.useSearch();
  const tz = useTimeZone();
  const navigate = route.useNavigate();
  const filter: AuditFilter = {
    actor: search.actor,
    action: search.action,
    targetType: search.targetType,
    targetId: search.targetId,
    outcome: search.outcome,
    since: search.since,
    until: search.until,
  };
  const query = useInfiniteQuery(auditQuery(filter));
  const setSearch = (patch: Partial<typeof search>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Object.values(filter).some((v) => v !== undefined);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every write through this console — who, what, why and how it ended — newest first. Entries are never changed or deleted."
        actions={
          <>
            <a className={buttonClass('secondary')} href={auditExportUrl(filter, 'csv')} download>
              <Icon name="external" size={14} /> Export CSV
            </a>
            <a className={buttonClass('ghost')} href={auditExportUrl(filter, 'ndjson')} download>
              NDJSON
            </a>
          </>
        }
      />
      <FilterBar>
        <SearchInput
          className="w-48"
          label="Who (client id or name)"
          placeholder="Who, e.g. ops-bot"
          value={search.actor ?? ''}
          onChange={(actor) => setSearch({ actor: actor || undefined })}
        />
        <Select label="Action" value={search.action ?? ''} onChange={(e) => setSearch({ action: e.target.value || undefined })}>
          <option value="">All actions</option>
          {ACTION_FILTERS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </Select>
        <Select label="Outcome" value={search.outcome ?? ''} onChange={(e) => setSearch({ outcome: (e.target.value || undefined) as typeof search.outcome })}>
          <option value="">Any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o === 'unknown' ? 'not recorded' : o}
            </option>
          ))}
        </Select>
        <SearchInput
          className="w-56"
          label="Target id"
          placeholder="Workflow, instance or trigger id"
          value={search.targetId ?? ''}
          onChange={(targetId) => setSearch({ targetId: targetId || undefined })}
        />
        <label className="flex items-center gap-1.5 text-[13px] text-muted">
          From
          <input
            type="datetime-local"
            aria-label="From"
            value={toInputValue(search.since, tz)}
            onChange={(e) => setSearch({ since: fromInputValue(e.target.value, tz) })}
            className="rounded-md border border-line bg-surface px-2 py-1 text-[13px] text-fg"
          />
        </label>
        <label className="flex items-center gap-1.5 text-[13px] text-muted">
          To
          <input
            type="datetime-local"
            aria-label="To"
            value={toInputValue(search.until, tz)}
            onChange={(e) => setSearch({ until: fromInputValue(e.target.value, tz) })}
            className="rounded-md border border-line bg-surface px-2 py-1 text-[13px] text-fg"
          />
        </label>
        {filtered && (
          <Button variant="ghost" onClick={() => navigate({ search: {} })}>
            <Icon name="x" size={14} /> Clear filters
          </Button>
        )}
      </FilterBar>
      {query.isPending ? (
        <TableSkeleton columns={5} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Could not read the audit log" />
      ) : (
        <>
          <DataTable
            label="Audit log"
            columns={columns}
            rows={rows}
            rowKey={(e) => e.id}
            virtualizeAbove={Infinity}
            empty={
              <EmptyState icon="lock" title={filtered ? 'No entry matches these filters' : 'Nothing recorded yet'}>
                Runs, aborts, events, workflow and trigger changes and settings appear here as they happen.
              </EmptyState>
            }
          />
          {query.hasNextPage && (
            <div className="mt-3 flex justify-center">
              <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
