import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { connectorsQuery, listPaymentsQuery, listTransferInitiationsQuery } from '../../api/payments';
import type { Connector, Payment, TransferInitiation } from '../../api/types';
import { IdText } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { StatusBadge, statusTone } from '../../components/StatusBadge';
import { tabClass, TabList } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { MetadataChips } from './Balances';

const route = getRouteApi('/sandbox/payments');
type Search = ReturnType<typeof route.useSearch>;
type SetSearch = (patch: Record<string, unknown>) => void;

const paymentColumns: Column<Payment>[] = [
  {
    id: 'reference',
    header: 'Payment',
    sortValue: (p) => p.reference,
    cell: (p) => (
      <div className="flex flex-col">
        <span className="font-medium">{p.reference}</span>
        <IdText id={p.id} className="text-muted" />
      </div>
    ),
  },
  { id: 'type', header: 'Type', sortValue: (p) => p.type, cell: (p) => <span className="font-mono text-xs">{p.type}</span> },
  { id: 'status', header: 'Status', sortValue: (p) => p.status, cell: (p) => <StatusBadge tone={statusTone(p.status)}>{p.status}</StatusBadge> },
  { id: 'provider', header: 'Provider', sortValue: (p) => p.provider, cell: (p) => p.provider ?? <span className="text-muted">—</span> },
  { id: 'metadata', header: 'Metadata', cell: (p) => <MetadataChips metadata={p.metadata} max={2} /> },
  { id: 'createdAt', header: 'Created', sortValue: (p) => p.createdAt, cell: (p) => <Time value={p.createdAt} /> },
  { id: 'amount', header: 'Amount', align: 'right', cell: (p) => <Money amount={p.amount} asset={p.asset} /> },
];

const transferColumns: Column<TransferInitiation>[] = [
  {
    id: 'reference',
    header: 'Transfer',
    sortValue: (t) => t.reference,
    cell: (t) => (
      <div className="flex flex-col">
        <span className="font-medium">{t.description || t.reference}</span>
        <IdText id={t.id} className="text-muted" />
      </div>
    ),
  },
  { id: 'type', header: 'Type', sortValue: (t) => t.type, cell: (t) => <span className="font-mono text-xs">{t.type}</span> },
  {
    id: 'status',
    header: 'Status',
    sortValue: (t) => t.status,
    cell: (t) => (
      <StatusBadge tone={statusTone(t.status)} title={t.error ?? undefined}>
        {t.status}
      </StatusBadge>
    ),
  },
  { id: 'destination', header: 'Destination', cell: (t) => <span className="font-mono text-xs">{t.destinationAccountID || '—'}</span> },
  { id: 'createdAt', header: 'Created', sortValue: (t) => t.createdAt, cell: (t) => <Time value={t.createdAt} /> },
  { id: 'amount', header: 'Amount', align: 'right', cell: (t) => <Money amount={t.amount} asset={t.asset} /> },
];

const connectorColumns: Column<Connector>[] = [
  { id: 'name', header: 'Name', sortValue: (c) => c.name, cell: (c) => <span className="font-medium">{c.name}</span> },
  { id: 'provider', header: 'Provider', sortValue: (c) => c.provider, cell: (c) => <span className="font-mono text-xs">{c.provider}</span> },
  { id: 'id', header: 'Connector ID', cell: (c) => <IdText id={c.connectorID} /> },
  {
    id: 'enabled',
    header: 'State',
    cell: (c) => (c.enabled === false ? <StatusBadge tone="neutral">Disabled</StatusBadge> : <StatusBadge tone="success">Enabled</StatusBadge>),
  },
];

function PaymentsTab({ search, setSearch }: { search: Search; setSearch: SetSearch }) {
  const { data: page } = useSuspenseQuery(listPaymentsQuery({ cursor: search.cursor, pageSize: search.pageSize }));
  return (
    <>
      <DataTable
        label="Payments"
        columns={paymentColumns}
        rows={page.data}
        rowKey={(p) => p.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={<EmptyState icon="payments" title="No payments">Pay-ins and payouts made through connectors appear here.</EmptyState>}
      />
      <Pager page={page} count={page.data.length} noun="payments" pageSize={search.pageSize} onCursor={(cursor) => setSearch({ cursor })} onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })} />
    </>
  );
}

function TransfersTab({ search, setSearch }: { search: Search; setSearch: SetSearch }) {
  const { data: page } = useSuspenseQuery(listTransferInitiationsQuery({ cursor: search.cursor, pageSize: search.pageSize }));
  return (
    <>
      <DataTable
        label="Transfer initiations"
        columns={transferColumns}
        rows={page.data}
        rowKey={(t) => t.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={<EmptyState icon="payments" title="No transfers">Payouts and transfers started by workflows (send to a payment) appear here.</EmptyState>}
      />
      <Pager page={page} count={page.data.length} noun="transfers" pageSize={search.pageSize} onCursor={(cursor) => setSearch({ cursor })} onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })} />
    </>
  );
}

function ConnectorsTab({ search, setSearch }: { search: Search; setSearch: SetSearch }) {
  const { data } = useSuspenseQuery(connectorsQuery());
  return (
    <DataTable
      label="Connectors"
      columns={connectorColumns}
      rows={data}
      rowKey={(c) => c.connectorID}
      sort={parseSort(search.sort)}
      onSortChange={(s) => setSearch({ sort: formatSort(s) })}
      empty={<EmptyState icon="payments" title="No connectors installed" />}
    />
  );
}

export function PaymentsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const setSearch: SetSearch = (patch) => navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const tab = (t: Search['tab'], label: string) => (
    <Link from="/sandbox/payments" to="." search={(prev) => ({ ...prev, tab: t, cursor: undefined, sort: undefined })} className={tabClass(search.tab === t)}>
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader title="Payments" description="Connectors, payments and transfer initiations (payouts) — what a workflow's send to or from a payment did." />
      <TabList label="Payments views">
        {tab('payments', 'Payments')}
        {tab('transfers', 'Transfers')}
        {tab('connectors', 'Connectors')}
      </TabList>
      {search.tab === 'payments' && <PaymentsTab search={search} setSearch={setSearch} />}
      {search.tab === 'transfers' && <TransfersTab search={search} setSearch={setSearch} />}
      {search.tab === 'connectors' && <ConnectorsTab search={search} setSearch={setSearch} />}
    </>
  );
}
