import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { listWalletsQuery, walletBalancesQuery, walletQuery, walletTransactionsQuery } from '../../api/wallets';
import type { Wallet, WalletTransaction } from '../../api/types';
import { IdText } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { FilterBar, SearchInput } from '../../components/inputs';
import { Facts, PageHeader, Section } from '../../components/Page';
import { Pager, isPartialPage } from '../../components/Pager';
import { EmptyState, TableSkeleton } from '../../components/states';
import { Time } from '../../components/Time';
import { toBigInt, type Amount } from '../../lib/money';
import { formatSort, parseSort } from '../../lib/sort';
import { Balances, MetadataChips } from './Balances';
import { AccountLink, backLinkClass, MetadataTable, PostingList, TransactionLink, volumeBalance } from './parts';
import { walletAccountsQuery } from './queries';

const route = getRouteApi('/sandbox/wallets');
type Search = ReturnType<typeof route.useSearch>;
type SetSearch = (patch: Record<string, unknown>) => void;

const columns: Column<Wallet>[] = [
  {
    id: 'name',
    header: 'Wallet',
    sortValue: (w) => w.name,
    cell: (w) => (
      <div className="flex flex-col">
        <Link to="/sandbox/wallets" search={{ wallet: w.id }} className="font-medium text-accent-strong hover:underline">
          {w.name || <span className="italic">unnamed</span>}
        </Link>
        <IdText id={w.id} className="text-muted" />
      </div>
    ),
  },
  {
    id: 'ledger',
    header: 'Ledger',
    sortValue: (w) => w.ledger,
    cell: (w) => (
      <Link
        to="/sandbox/ledger"
        search={{ ledger: w.ledger, tab: 'accounts', address: `wallets:${w.id.replaceAll('-', '')}:` }}
        className="font-mono text-xs text-accent-strong hover:underline"
      >
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
  const setSearch: SetSearch = (patch) => void navigate({ search: (prev) => ({ ...prev, ...patch }) });
  if (search.wallet) return <WalletView id={search.wallet} search={search} setSearch={setSearch} />;
  return <WalletList search={search} setSearch={setSearch} />;
}

function WalletList({ search, setSearch }: { search: Search; setSearch: SetSearch }) {
  const { data: page } = useSuspenseQuery(listWalletsQuery({ name: search.name, cursor: search.cursor, pageSize: search.pageSize }));
  return (
    <>
      <PageHeader
        title="Wallets"
        description="Wallets and their main balance per asset. Each wallet lives on ledger accounts named wallets:<id>:<balance>; click one for every balance and its transactions."
      />
      <FilterBar>
        <SearchInput
          className="w-72"
          label="Wallet name (exact)"
          value={search.name ?? ''}
          onChange={(name) => setSearch({ name: name || undefined, cursor: undefined })}
        />
      </FilterBar>
      <DataTable
        label="Wallets"
        columns={columns}
        rows={page.data}
        partial={isPartialPage(page)}
        rowKey={(w) => w.id}
        sort={parseSort(search.sort)}
        onSortChange={(s) => setSearch({ sort: formatSort(s) })}
        empty={
          <EmptyState icon="wallet" title={search.name ? `No wallet is named “${search.name}”` : 'No wallets'}>
            {search.name ? (
              'Wallet names match exactly.'
            ) : (
              <>
                Create one with <code className="font-mono">POST /api/wallets/wallets</code>.
              </>
            )}
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

/** User metadata on wallet transactions carries the wallets service's prefix; show it without. */
function walletMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata)
      .filter(([k]) => k !== 'wallets/transaction')
      .map(([k, v]) => [k.replace(/^wallets\/custom_data_/, ''), v]),
  );
}

function WalletView({ id, search, setSearch }: { id: string; search: Search; setSearch: SetSearch }) {
  const { data: wallet } = useSuspenseQuery(walletQuery(id));
  const { data: balances } = useSuspenseQuery(walletBalancesQuery(id));
  const { data: txs } = useSuspenseQuery(walletTransactionsQuery({ walletID: id, cursor: search.cursor, pageSize: search.pageSize }));
  const accounts = useQuery(walletAccountsQuery(wallet.ledger, wallet.id));
  const prefix = `wallets:${wallet.id.replaceAll('-', '')}:`;
  const byBalance = new Map((accounts.data?.data ?? []).map((a) => [a.address.slice(prefix.length), a]));
  const names = ['main', ...balances.data.map((b) => b.name).filter((n) => n !== 'main')];
  const info = new Map(balances.data.map((b) => [b.name, b]));

  const txColumns: Column<WalletTransaction>[] = [
    { id: 'id', header: 'ID', className: 'w-16', cell: (t) => <TransactionLink ledger={t.ledger ?? wallet.ledger} id={t.id} /> },
    { id: 'timestamp', header: 'Date', cell: (t) => <Time value={t.timestamp} /> },
    {
      id: 'direction',
      header: 'Movement',
      cell: (t) => {
        const inflow = t.postings.some((p) => p.destination.startsWith(prefix));
        const outflow = t.postings.some((p) => p.source.startsWith(prefix));
        return <span className="text-xs text-muted">{inflow && outflow ? 'between balances' : inflow ? 'credit' : 'debit'}</span>;
      },
    },
    { id: 'postings', header: 'Postings', cell: (t) => <PostingList ledger={t.ledger ?? wallet.ledger} postings={t.postings} /> },
    { id: 'metadata', header: 'Metadata', cell: (t) => <MetadataChips metadata={walletMetadata(t.metadata)} max={2} /> },
  ];

  return (
    <>
      <Link to="/sandbox/wallets" className={backLinkClass}>
        <span aria-hidden="true">←</span> Wallets
      </Link>
      <PageHeader title={wallet.name || 'Unnamed wallet'} meta={<IdText id={wallet.id} short={false} />} />
      <Facts
        items={[
          {
            label: 'Ledger',
            value: (
              <Link
                to="/sandbox/ledger"
                search={{ ledger: wallet.ledger, tab: 'accounts', address: prefix }}
                className="font-mono text-xs text-accent-strong hover:underline"
              >
                {wallet.ledger}
              </Link>
            ),
          },
          { label: 'Created', value: <Time value={wallet.createdAt} mode="absolute" /> },
          { label: 'Main balance', value: <Balances balances={Object.entries(wallet.balances.main.assets)} align="start" /> },
        ]}
      />
      <Section title="Balances">
        {accounts.isPending ? (
          <TableSkeleton rows={names.length} columns={4} />
        ) : (
          <div className="overflow-hidden rounded-xl border border-line bg-surface">
            <table className="w-full text-left text-[13px]">
              <caption className="sr-only">Balances of wallet {wallet.name}</caption>
              <thead className="bg-subtle">
                <tr>
                  {['Balance', 'Priority', 'Expires', 'Ledger account', 'Amounts'].map((h, i) => (
                    <th
                      key={h}
                      scope="col"
                      className={`border-b border-line px-4 py-2 text-xs font-medium tracking-wide text-muted uppercase ${i === 4 ? 'text-right' : ''}`}
                    >
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {names.map((name) => {
                  const account = byBalance.get(name);
                  // The wallet's own answer for `main`; the ledger account for the others.
                  const amounts: [string, Amount][] =
                    name === 'main' ? Object.entries(wallet.balances.main.assets) : Object.entries(account?.volumes ?? {}).map(([asset, v]) => [asset, volumeBalance(v)]);
                  const b = info.get(name);
                  return (
                    <tr key={name} className="border-b border-line last:border-0" data-testid={`balance-${name}`}>
                      <td className="px-4 py-2 font-medium">{name}</td>
                      <td className="px-4 py-2 text-muted">{b?.priority ?? (name === 'main' ? '—' : 0)}</td>
                      <td className="px-4 py-2 text-muted">{b?.expiresAt ? <Time value={b.expiresAt} mode="absolute" /> : 'never'}</td>
                      <td className="px-4 py-2 text-xs">
                        <AccountLink ledger={wallet.ledger} address={`${prefix}${name}`} />
                      </td>
                      <td className="px-4 py-2 text-right">
                        <Balances balances={amounts.filter(([, a]) => toBigInt(a) !== 0n)} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section title="Metadata">
        <MetadataTable metadata={wallet.metadata} label={`Metadata of wallet ${wallet.name}`} />
      </Section>
      <Section title="Transactions of the main balance">
        <DataTable
          label={`Transactions of wallet ${wallet.name || wallet.id}`}
          columns={txColumns}
          rows={txs.data}
          partial={isPartialPage(txs)}
          rowKey={(t) => String(t.id)}
          virtualizeAbove={Infinity}
          empty={
            <EmptyState icon="wallet" title="No transactions yet">
              Credits and debits — by hand or by a workflow’s send — appear here, newest first.
            </EmptyState>
          }
        />
        <Pager
          page={txs}
          count={txs.data.length}
          noun="transactions"
          pageSize={search.pageSize}
          onCursor={(cursor) => setSearch({ cursor })}
          onPageSize={(pageSize) => setSearch({ pageSize, cursor: undefined })}
        />
      </Section>
    </>
  );
}
