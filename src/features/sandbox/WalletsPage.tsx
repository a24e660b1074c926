import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { listWalletsQuery } from '../../api/wallets';
import type { Wallet } from '../../api/types';
import { IdText } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { FilterBar, SearchInput } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { Time } from '../../components/Time';
import { formatSort, parseSort } from '../../lib/sort';
import { Balances, MetadataChips } from './Balances';

const route = getRouteApi('/sandbox/wallets');

const columns: Column<Wallet>[] = [
  {
    id: 'name',
    header: 'Wallet',
    sortValue: (w) => w.name,
    cell: (w) => (
      <div className="flex flex-col">
        <span className="font-medium">{w.name || <span className="text-muted italic">unnamed</span>}</span>
        <IdText id={w.id} className="text-muted" />
      </div>
    ),
  },
  {
    id: 'ledger',
    header: 'Ledger',
    sortValue: (w) => w.ledger,
    cell: (w) => (
      <Link to="/sandbox/ledger" search={{ ledger: w.ledger, tab: 'accounts', address: `wallets:${w.id.replaceAll('-', '')}:` }} className="font-mono text-xs text-accent-strong hover:underline">
        {w.ledger}
      </Link>
    ),
  },
  { id: 'metadata', header: 'Metadata', cell: (w) => <MetadataChips metadata={w.metadata} /> },
  { id: 'createdAt', header: 'Created', sortValue: (w) => w.createdAt, cell: (w) => <Time value={w.createdAt} /> },
  { id: 'balance', header: 'Main balance', align: 'right', cell: (w) => <Balances balances={Object.entries(w.balances?.main.assets ?? {})} /> },
];

export function WalletsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data: page } = useSuspenseQuery(listWalletsQuery({ name: search.name, cursor: search.cursor, pageSize: search.pageSize }));
  const setSearch = (patch: Record<string, unknown>) => navigate({ search: (prev) => ({ ...prev, ...patch }) });
  return (
    <>
      <PageHeader title="Wallets" description="Wallets and their main balance per asset. Each wallet lives on ledger accounts named wallets:<id>:<balance>." />
      <FilterBar>
        <SearchInput className="w-72" label="Wallet name (exact)" value={search.name ?? ''} onChange={(name) => setSearch({ name: name || undefined, cursor: undefined })} />
      </FilterBar>
      <DataTable
        label="Wallets"
        columns={columns}
        rows={page.data}
        rowKey={(w) => w.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={
          <EmptyState icon="wallet" title={search.name ? `No wallet is named “${search.name}”` : 'No wallets'}>
            {search.name ? 'Wallet names match exactly.' : <>Create one with <code className="font-mono">POST /api/wallets/wallets</code>.</>}
          </EmptyState>
        }
      />
      <Pager
        page={page}
        count={page.data.length}
        noun="wallets"
        pageSize={search.pageSize}
        onCursor={(cursor) => setSearch({ cursor })}
        onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
      />
    </>
  );
}
