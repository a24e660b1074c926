import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { connectorsQuery, listPaymentsQuery, listTransferInitiationsQuery, paymentQuery, transferInitiationQuery } from '../../api/payments';
import type { Connector, Payment, TransferInitiation } from '../../api/types';
import { IdText } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { JsonView } from '../../components/JsonView';
import { Facts, PageHeader, Section } from '../../components/Page';
import { Pager, isPartialPage } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { StatusBadge, statusTone } from '../../components/StatusBadge';
import { tabClass, TabList } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { MetadataChips } from './Balances';
import { backLinkClass, MetadataTable } from './parts';

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
        <Link to="/sandbox/payments" search={{ payment: p.id }} className="font-medium text-accent-strong hover:underline">
          {p.reference}
        </Link>
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
        <Link to="/sandbox/payments" search={{ transfer: t.id }} className="font-medium text-accent-strong hover:underline">
          {t.description || t.reference}
        </Link>
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
        partial={isPartialPage(page)}
        rowKey={(p) => p.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={
          <EmptyState icon="payments" title="No payments">
            Pay-ins and payouts made through connectors appear here.
          </EmptyState>
        }
      />
      <Pager
        page={page}
        count={page.data.length}
        noun="payments"
        pageSize={search.pageSize}
        onCursor={(cursor) => setSearch({ cursor })}
        onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
      />
    </>
  );
}

function TransfersTab({ search, setSearch }: { search: Search; setSearch: SetSearch }) {
  const { data: page } = useSuspenseQuery(
    listTransferInitiationsQuery(search.reference ? { reference: search.reference } : { cursor: search.cursor, pageSize: search.pageSize }),
  );
  return (
    <>
      {search.reference && (
        <p className="mb-3 text-[13px] text-muted" data-testid="transfer-reference">
          The transfer with reference <code className="font-mono text-fg">{search.reference}</code> ·{' '}
          <Link from="/sandbox/payments" to="." search={(prev) => ({ ...prev, reference: undefined })} className="text-accent-strong hover:underline">
            show every transfer
          </Link>
        </p>
      )}
      <DataTable
        label="Transfer initiations"
        columns={transferColumns}
        rows={page.data}
        partial={isPartialPage(page)}
        rowKey={(t) => t.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={
          <EmptyState icon="payments" title="No transfers">
            Payouts and transfers started by workflows (send to a payment) appear here.
          </EmptyState>
        }
      />
      <Pager
        page={page}
        count={page.data.length}
        noun="transfers"
        pageSize={search.pageSize}
        onCursor={(cursor) => setSearch({ cursor })}
        onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
      />
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
  const setSearch: SetSearch = (patch) => void navigate({ search: (prev) => ({ ...prev, ...patch }) });
  if (search.payment) return <PaymentView id={search.payment} />;
  if (search.transfer) return <TransferView id={search.transfer} />;
  const tab = (t: Search['tab'], label: string) => (
    <Link
      from="/sandbox/payments"
      to="."
      search={(prev) => ({ ...prev, tab: t, cursor: undefined, sort: undefined, reference: undefined })}
      className={tabClass(search.tab === t)}
    >
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

function PaymentView({ id }: { id: string }) {
  const { data: p } = useSuspenseQuery(paymentQuery(id));
  const connectors = useQuery(connectorsQuery());
  const connector = connectors.data?.find((c) => c.connectorID === p.connectorID);
  return (
    <>
      <Link to="/sandbox/payments" className={backLinkClass}>
        <span aria-hidden="true">←</span> Payments
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {p.reference}
            <StatusBadge tone={statusTone(p.status)}>{p.status}</StatusBadge>
          </span>
        }
        meta={<IdText id={p.id} />}
      />
      <Facts
        items={[
          { label: 'Amount', value: <Money amount={p.amount} asset={p.asset} className="text-[15px] font-semibold" /> },
          { label: 'Initial amount', value: <Money amount={p.initialAmount} asset={p.asset} /> },
          { label: 'Type', value: <span className="font-mono text-xs">{p.type}</span> },
          { label: 'Connector', value: connector ? `${connector.name} (${connector.provider})` : <IdText id={p.connectorID} /> },
          { label: 'Scheme', value: p.scheme || <span className="text-muted">—</span> },
          { label: 'Created', value: <Time value={p.createdAt} mode="absolute" /> },
          { label: 'Source account', value: p.sourceAccountID ? <IdText id={p.sourceAccountID} /> : <span className="text-muted">none</span> },
          { label: 'Destination account', value: p.destinationAccountID ? <IdText id={p.destinationAccountID} /> : <span className="text-muted">none</span> },
        ]}
      />
      <Section title="Adjustments">
        <DataTable
          label="Payment adjustments"
          columns={[
            { id: 'createdAt', header: 'Date', cell: (a) => <Time value={a.createdAt} /> },
            { id: 'status', header: 'Status', cell: (a) => <StatusBadge tone={statusTone(a.status)}>{a.status}</StatusBadge> },
            { id: 'reference', header: 'Reference', cell: (a) => <span className="font-mono text-xs">{a.reference}</span> },
            { id: 'amount', header: 'Amount', align: 'right', cell: (a) => <Money amount={a.amount} asset={p.asset} /> },
          ]}
          rows={p.adjustments}
          rowKey={(a) => `${a.reference}-${a.createdAt}`}
          empty={<EmptyState icon="payments" title="No adjustments" />}
        />
      </Section>
      <Section title="Metadata">
        <MetadataTable metadata={p.metadata} label="Payment metadata" />
      </Section>
      <Section title="Raw payment">
        <JsonView value={p} label="Payment JSON" maxHeight={320} />
      </Section>
    </>
  );
}

/** One transfer initiation (a workflow's payout, say): what was asked, its state, its payments. */
function TransferView({ id }: { id: string }) {
  const { data: t } = useSuspenseQuery(transferInitiationQuery(id));
  return (
    <>
      <Link to="/sandbox/payments" search={{ tab: 'transfers' }} className={backLinkClass}>
        <span aria-hidden="true">←</span> Transfers
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {t.description || t.reference}
            <StatusBadge tone={statusTone(t.status)} title={t.error ?? undefined}>
              {t.status}
            </StatusBadge>
          </span>
        }
        meta={<IdText id={t.id} />}
      />
      <Facts
        items={[
          { label: 'Amount', value: <Money amount={t.amount} asset={t.asset} className="text-[15px] font-semibold" /> },
          { label: 'Type', value: <span className="font-mono text-xs">{t.type}</span> },
          { label: 'Provider', value: t.provider ?? <span className="text-muted">—</span> },
          { label: 'Reference', value: <span className="font-mono text-xs break-all">{t.reference}</span> },
          { label: 'Destination account', value: t.destinationAccountID ? <IdText id={t.destinationAccountID} /> : <span className="text-muted">none</span> },
          { label: 'Created', value: <Time value={t.createdAt} mode="absolute" /> },
          ...(t.error ? [{ label: 'Error', value: <span className="text-danger">{t.error}</span> }] : []),
        ]}
      />
      <Section title="Payments">
        <DataTable
          label="Payments of this transfer"
          columns={[
            {
              id: 'payment',
              header: 'Payment',
              cell: (p) => (
                <Link to="/sandbox/payments" search={{ payment: p.paymentID }} className="font-mono text-xs text-accent-strong hover:underline" title={p.paymentID}>
                  Open payment <span className="whitespace-nowrap">{p.paymentID.slice(0, 12)}…</span>
                </Link>
              ),
            },
            { id: 'status', header: 'Status', cell: (p) => <StatusBadge tone={statusTone(p.status)}>{p.status}</StatusBadge> },
            { id: 'createdAt', header: 'Created', cell: (p) => <Time value={p.createdAt} /> },
          ]}
          rows={t.relatedPayments ?? []}
          rowKey={(p) => p.paymentID}
          empty={
            <EmptyState icon="payments" title="No payment yet">
              {t.status === 'WAITING_FOR_VALIDATION' ? 'It waits for validation before anything is sent.' : 'The connector has not reported a payment for it.'}
            </EmptyState>
          }
        />
      </Section>
      <Section title="Metadata">
        <MetadataTable metadata={t.metadata ?? {}} label="Transfer metadata" />
      </Section>
      <Section title="Raw transfer">
        <JsonView value={t} label="Transfer JSON" maxHeight={320} />
      </Section>
    </>
  );
}
