import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { listEventsQuery } from '../../api/events';
import { consoleInfoQuery } from '../../api/info';
import type { ConsoleEvent } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { FilterBar, SearchInput, Select } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { Button } from '../../components/Button';
import { WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { Icon } from '../../components/Icon';
import { EmptyState } from '../../components/states';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { summarizePayload } from '../triggers/samples';
import { ExpandableJson } from './parts';
import { PublishEventForm } from './PublishEventForm';

const route = getRouteApi('/sandbox/events');

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Orchestration events name instances and triggers: link them. */
function EventLinks({ payload }: { payload: Record<string, unknown> }) {
  const instance = str(payload.instanceID) ?? str(payload.workflowInstanceID);
  const trigger = str(payload.triggerID);
  if (!instance && !trigger) return null;
  return (
    <span className="flex flex-wrap gap-x-2 text-[11px]">
      {trigger && (
        <Link to="/triggers/$triggerId" params={{ triggerId: trigger }} search={{ tab: 'occurrences' }} className="text-accent-strong hover:underline">
          trigger {trigger.slice(0, 8)}
        </Link>
      )}
      {instance && (
        <Link to="/instances/$instanceId" params={{ instanceId: instance }} className="text-accent-strong hover:underline">
          instance {instance.slice(0, 8)}
        </Link>
      )}
    </span>
  );
}

const columns: Column<ConsoleEvent>[] = [
  { id: 'seq', header: '#', sortValue: (e) => e.seq, className: 'w-14 align-top', cell: (e) => <span className="font-mono text-xs text-muted">{e.seq}</span> },
  { id: 'date', header: 'Date', sortValue: (e) => e.date, className: 'w-32 align-top', cell: (e) => <Time value={e.date} /> },
  {
    id: 'type',
    header: 'Type',
    className: 'align-top',
    sortValue: (e) => e.type,
    cell: (e) => (
      <span className="flex flex-col items-start gap-0.5">
        <span className="font-mono text-xs font-medium">{e.type}</span>
        <EventLinks payload={e.payload} />
      </span>
    ),
  },
  {
    id: 'app',
    header: 'Source',
    className: 'align-top',
    sortValue: (e) => e.app,
    cell: (e) => (
      <span className="font-mono text-xs whitespace-nowrap text-muted">
        {e.app ?? '—'}
        {e.version ? ` · ${e.version}` : ''}
      </span>
    ),
  },
  {
    id: 'payload',
    header: 'Payload',
    className: 'align-top w-full max-w-0',
    cell: (e) => (
      <ExpandableJson
        summary={summarizePayload(e.type, e.payload) || JSON.stringify(e.payload).slice(0, 200)}
        value={e}
        label={`Event ${e.type}`}
        summaryLabel={`Event #${e.seq} ${e.type}: show JSON`}
      />
    ),
  },
];

export function EventsPage() {
  const info = useQuery(consoleInfoQuery());
  if (info.data?.mode === 'remote') {
    return (
      <>
        <PageHeader title="Events" description="Platform events — what triggers listen to." />
        <div className="rounded-xl border border-line bg-surface">
          <EmptyState icon="events" title="Not available with a Formance stack">
            This page needs the console’s own event log (<code className="font-mono">GET /api/console/events</code>), which only the embedded service keeps. A Formance
            stack’s services publish their events on the stack’s own bus, where its Flows service reads them; the console cannot list or publish them. To see what a
            trigger does with an event, paste a payload on the trigger’s Test tab.
          </EmptyState>
        </div>
      </>
    );
  }
  return <EventStream />;
}

function EventStream() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data: page } = useSuspenseQuery(
    listEventsQuery({ typeContains: search.type, before: search.before, limit: search.limit }, { refetchInterval: search.refresh ? search.refresh * 1000 : false }),
  );
  const setSearch = (patch: Record<string, unknown>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const refusal = useRefusal('publishEvent');
  return (
    <>
      <PageHeader
        title="Events"
        description="Platform events published by the sandbox ledger, wallets and payments (and by hand) — what triggers listen to. Newest first."
        actions={
          <WithReason reason={search.publish ? undefined : refusal}>
            <Button
              variant={search.publish ? 'secondary' : 'primary'}
              aria-expanded={search.publish}
              disabled={!search.publish && !!refusal}
              onClick={() => setSearch({ publish: !search.publish })}
            >
              <Icon name={search.publish ? 'x' : 'plus'} size={14} /> {search.publish ? 'Close the form' : 'Publish event'}
            </Button>
          </WithReason>
        }
      />
      {search.publish && (
        <div className="mb-5">
          <PublishEventForm initialType={search.type && !search.type.includes(',') ? search.type : undefined} />
        </div>
      )}
      <FilterBar>
        <SearchInput
          className="w-72"
          label="Filter by event type"
          placeholder="Part of a type, e.g. committed"
          value={search.type ?? ''}
          onChange={(type) => setSearch({ type: type || undefined, before: undefined })}
        />
        <Select label="Refresh" value={search.refresh} onChange={(e) => setSearch({ refresh: Number(e.target.value) })}>
          <option value={0}>Off</option>
          <option value={1}>Every 1 s</option>
          <option value={5}>Every 5 s</option>
          <option value={30}>Every 30 s</option>
        </Select>
      </FilterBar>
      <DataTable
        label="Platform events"
        columns={columns}
        rows={page.data}
        partial={!!page.nextBefore || !!search.before}
        rowKey={(e) => String(e.seq)}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        virtualizeAbove={Infinity}
        empty={
          <EmptyState icon="events" title={search.type ? `No event type contains “${search.type}”` : 'No events yet'}>
            Ledger transactions, metadata writes and payments publish events here —{' '}
            <Link from="/sandbox/events" to="." search={(prev) => ({ ...prev, publish: true })} className="text-accent-strong underline">
              or publish one by hand
            </Link>
            .
          </EmptyState>
        }
      />
      <nav aria-label="Pagination" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-[13px] text-muted">
        <span>
          {page.data.length} events{search.before ? ` before #${search.before}` : ', newest first'}
          {search.refresh > 0 && !search.before ? ` · live, every ${search.refresh} s` : ''}
        </span>
        <div className="flex items-center gap-2">
          <Button size="sm" disabled={!search.before} onClick={() => setSearch({ before: undefined })}>
            <Icon name="chevronLeft" size={14} /> Newest
          </Button>
          <Button size="sm" disabled={!page.nextBefore} onClick={() => setSearch({ before: page.nextBefore })}>
            Older <Icon name="chevronRight" size={14} />
          </Button>
        </div>
      </nav>
    </>
  );
}
