import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { listLedgersQuery } from '../../api/ledger';
import type { LedgerAccount, LedgerTransaction, Page } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { FilterBar, SearchInput, Select } from '../../components/inputs';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { tabClass, TabList } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { toBigInt } from '../../lib/money';
import { formatSort, parseSort } from '../../lib/sort';
import { Balances, MetadataChips } from './Balances';
import { ledgerTabQuery } from './queries';

const route = getRouteApi('/sandbox/ledger');

function accountBalances(a: LedgerAccount): [string, string | number][] {
  return Object.entries(a.volumes ?? {}).map(([asset, v]) => {
    if (v.balance !== undefined) return [asset, v.balance];
    const i = toBigInt(v.input);
    const o = toBigInt(v.output);
    return [asset, i !== null && o !== null ? (i - o).toString() : '?'];
  });
}

const accountColumns: Column<LedgerAccount>[] = [
  {
    id: 'address',
    header: 'Address',
    sortValue: (a) => a.address,
    cell: (a) => (
      <span className="inline-flex items-center gap-0.5 font-mono text-[12.5px]">
        {a.address}
        <CopyButton text={a.address} label={`Copy address ${a.address}`} />
      </span>
    ),
  },
  { id: 'metadata', header: 'Metadata', cell: (a) => <MetadataChips metadata={a.metadata} /> },
  { id: 'balances', header: 'Balances', align: 'right', cell: (a) => <Balances balances={accountBalances(a)} /> },
];

const transactionColumns: Column<LedgerTransaction>[] = [
  { id: 'id', header: 'ID', sortValue: (t) => toBigInt(t.id) ?? undefined, className: 'w-16', cell: (t) => <span className="font-mono">#{String(t.id)}</span> },
  { id: 'timestamp', header: 'Date', sortValue: (t) => t.timestamp, cell: (t) => <Time value={t.timestamp} /> },
  {
    id: 'postings',
    header: 'Postings',
    cell: (t) => (
      <ul className="space-y-0.5">
        {t.postings.map((p, i) => (
          <li key={i} className="flex flex-wrap items-center gap-1.5 font-mono text-xs">
            <span>{p.source}</span>
            <span className="text-muted" aria-label="to">→</span>
            <span>{p.destination}</span>
            <Money amount={p.amount} asset={p.asset} className="ml-1 font-semibold" />
          </li>
        ))}
      </ul>
    ),
  },
  { id: 'metadata', header: 'Metadata', cell: (t) => <MetadataChips metadata={t.metadata} max={2} /> },
  {
    id: 'state',
    header: 'Reference',
    cell: (t) => (
      <span className="flex flex-wrap items-center gap-1.5">
        {t.reference && <span className="font-mono text-xs">{t.reference}</span>}
        {t.reverted && <StatusBadge tone="warning">Reverted</StatusBadge>}
        {!t.reference && !t.reverted && <span className="text-muted">—</span>}
      </span>
    ),
  },
];

export function LedgerPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data: ledgers } = useSuspenseQuery(listLedgersQuery({ pageSize: 100 }));
  const ledger = search.ledger ?? ledgers.data[0]?.name;
  const setSearch = (patch: Record<string, unknown>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });

  return (
    <>
      <PageHeader title="Ledger" description="Accounts with their balances per asset, and transactions with postings and metadata." />
      {!ledger ? (
        <div className="rounded-xl border border-line bg-surface">
          <EmptyState icon="ledger" title="No ledgers">
            Create one with <code className="font-mono">POST /api/ledger/v2/&lt;name&gt;</code>, or start the server with <code className="font-mono">SEED=true</code> on a new data
            directory for demo data.
          </EmptyState>
        </div>
      ) : (
        <LedgerTab ledger={ledger} ledgers={ledgers.data.map((l) => l.name)} search={search} setSearch={setSearch} />
      )}
    </>
  );
}

function LedgerTab({
  ledger,
  ledgers,
  search,
  setSearch,
}: {
  ledger: string;
  ledgers: string[];
  search: ReturnType<typeof route.useSearch>;
  setSearch: (patch: Record<string, unknown>) => void;
}) {
  const { data } = useSuspenseQuery(ledgerTabQuery(ledger, search));
  const page: Page<unknown> = data.page;
  return (
    <>
      <FilterBar>
        <Select label="Ledger" value={ledger} onChange={(e) => setSearch({ ledger: e.target.value, cursor: undefined })}>
          {ledgers.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </Select>
        <SearchInput
          className="w-72"
          label={search.tab === 'accounts' ? 'Filter by address pattern' : 'Filter by account'}
          placeholder={search.tab === 'accounts' ? 'Address pattern, e.g. users:' : 'Account, e.g. users:001'}
          value={search.address ?? ''}
          onChange={(address) => setSearch({ address: address || undefined, cursor: undefined })}
        />
      </FilterBar>
      <TabList label="Ledger views">
        <Link from="/sandbox/ledger" to="." search={(prev) => ({ ...prev, tab: 'accounts', cursor: undefined, sort: undefined })} className={tabClass(search.tab === 'accounts')}>
          Accounts
        </Link>
        <Link from="/sandbox/ledger" to="." search={(prev) => ({ ...prev, tab: 'transactions', cursor: undefined, sort: undefined })} className={tabClass(search.tab === 'transactions')}>
          Transactions
        </Link>
      </TabList>
      {data.tab === 'accounts' ? (
        <DataTable
          label={`Accounts of ledger ${ledger}`}
          columns={accountColumns}
          rows={data.page.data}
          rowKey={(a) => a.address}
          sort={parseSort(search.sort)}
          onSortChange={(s) => setSearch({ sort: formatSort(s) })}
          empty={<EmptyState icon="ledger" title="No accounts">{search.address ? 'No address matches this pattern.' : 'Accounts appear when a transaction or metadata first uses them.'}</EmptyState>}
        />
      ) : (
        <DataTable
          label={`Transactions of ledger ${ledger}`}
          columns={transactionColumns}
          rows={data.page.data}
          rowKey={(t) => String(t.id)}
          sort={parseSort(search.sort)}
          onSortChange={(s) => setSearch({ sort: formatSort(s) })}
          virtualizeAbove={Infinity}
          empty={<EmptyState icon="ledger" title="No transactions">{search.address ? 'No transaction touches this account.' : 'Transactions made by workflows or by hand appear here, newest first.'}</EmptyState>}
        />
      )}
      <Pager
        page={page}
        count={page.data.length}
        noun={search.tab}
        pageSize={search.pageSize}
        onCursor={(cursor) => setSearch({ cursor })}
        onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
      />
    </>
  );
}
