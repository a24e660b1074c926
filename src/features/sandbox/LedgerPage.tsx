import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { accountQuery, listLedgersQuery, transactionQuery } from '../../api/ledger';
import type { LedgerAccount, LedgerTransaction, Page } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { FilterBar, SearchInput, Select } from '../../components/inputs';
import { JsonView } from '../../components/JsonView';
import { Facts, PageHeader, Section } from '../../components/Page';
import { Pager, isPartialPage } from '../../components/Pager';
import { EmptyState } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { tabClass, TabList } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { CopyButton } from '../../components/CopyButton';
import { toBigInt } from '../../lib/money';
import { formatSort, parseSort } from '../../lib/sort';
import { Balances, MetadataChips } from './Balances';
import { accountBalances, AccountLink, AddressText, backLinkClass, MetadataTable, PostingList, TransactionLink, VolumesTable } from './parts';
import { accountTransactionsQuery, ledgerTabQuery } from './queries';

const route = getRouteApi('/sandbox/ledger');
type Search = ReturnType<typeof route.useSearch>;
type SetSearch = (patch: Record<string, unknown>) => void;

function accountColumns(ledger: string): Column<LedgerAccount>[] {
  return [
    {
      id: 'address',
      header: 'Address',
      sortValue: (a) => a.address,
      cell: (a) => (
        <span className="inline-flex items-center gap-0.5 text-[12.5px]">
          <AccountLink ledger={ledger} address={a.address} />
          <CopyButton text={a.address} label={`Copy address ${a.address}`} />
        </span>
      ),
    },
    { id: 'metadata', header: 'Metadata', cell: (a) => <MetadataChips metadata={a.metadata} /> },
    { id: 'balances', header: 'Balances', align: 'right', cell: (a) => <Balances balances={accountBalances(a)} /> },
  ];
}

function transactionColumns(ledger: string, account?: string): Column<LedgerTransaction>[] {
  return [
    {
      id: 'id',
      header: 'ID',
      sortValue: (t) => toBigInt(t.id) ?? undefined,
      className: 'w-16',
      cell: (t) => <TransactionLink ledger={ledger} id={t.id} account={account} />,
    },
    { id: 'timestamp', header: 'Date', sortValue: (t) => t.timestamp, cell: (t) => <Time value={t.timestamp} /> },
    { id: 'postings', header: 'Postings', cell: (t) => <PostingList ledger={ledger} postings={t.postings} /> },
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
}

export function LedgerPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { data: ledgers } = useSuspenseQuery(listLedgersQuery({ pageSize: 100 }));
  const ledger = search.ledger ?? ledgers.data[0]?.name;
  const setSearch: SetSearch = (patch) => void navigate({ search: (prev) => ({ ...prev, ...patch }) });

  if (ledger && search.tx !== undefined) return <TransactionView ledger={ledger} id={String(search.tx)} account={search.account} />;
  if (ledger && search.account) return <AccountView ledger={ledger} address={search.account} search={search} setSearch={setSearch} />;

  return (
    <>
      <PageHeader
        title="Ledger"
        description="Accounts with their balances per asset, and transactions with postings and metadata. Click an account or a transaction for its details."
      />
      {!ledger ? (
        <div className="rounded-xl border border-line bg-surface">
          <EmptyState icon="ledger" title="No ledgers">
            Create one with <code className="font-mono">POST /api/ledger/v2/&lt;name&gt;</code>, or start the server with <code className="font-mono">SEED=true</code> on
            a new data directory for demo data.
          </EmptyState>
        </div>
      ) : (
        <LedgerLists ledger={ledger} ledgers={ledgers.data.map((l) => l.name)} search={search} setSearch={setSearch} />
      )}
    </>
  );
}

function LedgerLists({ ledger, ledgers, search, setSearch }: { ledger: string; ledgers: string[]; search: Search; setSearch: SetSearch }) {
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
        <Link
          from="/sandbox/ledger"
          to="."
          search={(prev) => ({ ...prev, tab: 'accounts', cursor: undefined, sort: undefined })}
          className={tabClass(search.tab === 'accounts')}
        >
          Accounts
        </Link>
        <Link
          from="/sandbox/ledger"
          to="."
          search={(prev) => ({ ...prev, tab: 'transactions', cursor: undefined, sort: undefined })}
          className={tabClass(search.tab === 'transactions')}
        >
          Transactions
        </Link>
      </TabList>
      {data.tab === 'accounts' ? (
        <DataTable
          label={`Accounts of ledger ${ledger}`}
          columns={accountColumns(ledger)}
          rows={data.page.data}
          partial={isPartialPage(data.page)}
          rowKey={(a) => a.address}
          sort={parseSort(search.sort)}
          onSortChange={(s) => setSearch({ sort: formatSort(s) })}
          empty={
            <EmptyState icon="ledger" title="No accounts">
              {search.address ? 'No address matches this pattern.' : 'Accounts appear when a transaction or metadata first uses them.'}
            </EmptyState>
          }
        />
      ) : (
        <DataTable
          label={`Transactions of ledger ${ledger}`}
          columns={transactionColumns(ledger)}
          rows={data.page.data}
          partial={isPartialPage(data.page)}
          rowKey={(t) => String(t.id)}
          sort={parseSort(search.sort)}
          onSortChange={(s) => setSearch({ sort: formatSort(s) })}
          virtualizeAbove={Infinity}
          empty={
            <EmptyState icon="ledger" title="No transactions">
              {search.address ? 'No transaction touches this account.' : 'Transactions made by workflows or by hand appear here, newest first.'}
            </EmptyState>
          }
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

function AccountView({ ledger, address, search, setSearch }: { ledger: string; address: string; search: Search; setSearch: SetSearch }) {
  const { data: account } = useSuspenseQuery(accountQuery(ledger, address));
  const { data: txs } = useSuspenseQuery(accountTransactionsQuery(ledger, address, search));
  const walletID = account.metadata['wallets/id'];
  return (
    <>
      <Link to="/sandbox/ledger" search={{ ledger, tab: 'accounts' }} className={backLinkClass}>
        <span aria-hidden="true">←</span> Accounts of {ledger}
      </Link>
      <PageHeader
        title={<AddressText address={account.address} />}
        description={
          <>
            Account on ledger <code className="font-mono">{ledger}</code>
            {walletID && (
              <>
                {' '}
                · holds a balance of{' '}
                <Link to="/sandbox/wallets" search={{ wallet: walletID }} className="text-accent-strong hover:underline">
                  wallet {account.metadata['wallets/name'] || walletID}
                </Link>
              </>
            )}
          </>
        }
      />
      <Facts
        items={[
          { label: 'First used', value: <Time value={account.firstUsage} mode="absolute" /> },
          { label: 'Updated', value: <Time value={account.updatedAt ?? account.insertionDate} /> },
          { label: 'Assets', value: Object.keys(account.volumes ?? {}).join(', ') || <span className="text-muted">none</span> },
        ]}
      />
      <Section title="Balances">
        <VolumesTable volumes={account.volumes ?? {}} label={`Balances of ${address}`} />
      </Section>
      <Section title="Metadata">
        <MetadataTable metadata={account.metadata} label={`Metadata of ${address}`} />
      </Section>
      <Section title="Transactions">
        <DataTable
          label={`Transactions of account ${address}`}
          columns={transactionColumns(ledger, address)}
          rows={txs.data}
          partial={isPartialPage(txs)}
          rowKey={(t) => String(t.id)}
          virtualizeAbove={Infinity}
          empty={<EmptyState icon="ledger" title="No transactions touch this account" />}
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

function TransactionView({ ledger, id, account }: { ledger: string; id: string; account?: string }) {
  const { data: tx } = useSuspenseQuery(transactionQuery(ledger, id));
  const touched = Object.keys(tx.postCommitVolumes ?? {});
  const revertedBy = tx.metadata['com.formance.spec/state/reverts'];
  return (
    <>
      {account ? (
        <Link to="/sandbox/ledger" search={{ ledger, account }} className={backLinkClass}>
          <span aria-hidden="true">←</span> Account {account}
        </Link>
      ) : (
        <Link to="/sandbox/ledger" search={{ ledger, tab: 'transactions' }} className={backLinkClass}>
          <span aria-hidden="true">←</span> Transactions of {ledger}
        </Link>
      )}
      <PageHeader
        title={`Transaction #${String(tx.id)}`}
        description={
          <>
            On ledger <code className="font-mono">{ledger}</code>
            {tx.reverted && (
              <>
                {' '}
                · <StatusBadge tone="warning">Reverted</StatusBadge>
              </>
            )}
          </>
        }
      />
      <Facts
        items={[
          { label: 'Date (effective)', value: <Time value={tx.timestamp} mode="absolute" /> },
          { label: 'Inserted', value: <Time value={tx.insertedAt} mode="absolute" /> },
          { label: 'Reference', value: tx.reference ? <code className="font-mono text-xs">{tx.reference}</code> : <span className="text-muted">none</span> },
          ...(revertedBy ? [{ label: 'Reverts', value: <TransactionLink ledger={ledger} id={revertedBy} /> }] : []),
        ]}
      />
      <Section title={`Postings (${tx.postings.length})`}>
        <div className="rounded-xl border border-line bg-surface p-4">
          <PostingList ledger={ledger} postings={tx.postings} />
        </div>
      </Section>
      <Section title="Metadata">
        <MetadataTable metadata={tx.metadata} label={`Metadata of transaction ${String(tx.id)}`} />
      </Section>
      {touched.length > 0 && (
        <Section title="Balances after this transaction">
          <div className="grid gap-3 lg:grid-cols-2">
            {touched.map((address) => (
              <div key={address}>
                <p className="mb-1 text-xs">
                  <AccountLink ledger={ledger} address={address} />
                </p>
                <VolumesTable volumes={tx.postCommitVolumes![address]!} label={`Volumes of ${address} after transaction ${String(tx.id)}`} />
              </div>
            ))}
          </div>
        </Section>
      )}
      <Section title="Raw transaction">
        <JsonView value={tx} label={`Transaction ${String(tx.id)} JSON`} maxHeight={320} />
      </Section>
    </>
  );
}
