/** Query choices shared by sandbox route loaders and components (no UI imports). */
import { queryOptions, type QueryClient, type QueryFunction } from '@tanstack/react-query';
import { accountQuery, listAccountsQuery, listLedgersQuery, listTransactionsQuery, transactionQuery } from '../../api/ledger';
import { paymentQuery } from '../../api/payments';
import type { LedgerAccount, LedgerTransaction, Page } from '../../api/types';
import { walletBalancesQuery, walletQuery, walletTransactionsQuery } from '../../api/wallets';

export interface LedgerSearch {
  ledger?: string;
  tab: 'accounts' | 'transactions';
  address?: string;
  account?: string;
  tx?: string;
  cursor?: string;
  pageSize: number;
}

export type LedgerTabPage = { tab: 'accounts'; page: Page<LedgerAccount> } | { tab: 'transactions'; page: Page<LedgerTransaction> };

/** Accounts (with balances) or transactions of one ledger; `address` filters by address pattern.
 * Cached under the list key + `tab` (its own shape), so ledger invalidations still reach it. */
export function ledgerTabQuery(ledger: string, search: Pick<LedgerSearch, 'tab' | 'address' | 'cursor' | 'pageSize'>) {
  const query = search.address ? JSON.stringify({ $match: { [search.tab === 'accounts' ? 'address' : 'account']: search.address } }) : undefined;
  const filter = { cursor: search.cursor, pageSize: search.pageSize, query, expand: search.tab === 'accounts' ? 'volumes' : undefined };
  if (search.tab === 'accounts') {
    const o = listAccountsQuery(ledger, filter);
    const fn = o.queryFn as QueryFunction<Page<LedgerAccount>>;
    return queryOptions<LedgerTabPage>({ queryKey: [...o.queryKey, 'tab'], queryFn: async (ctx) => ({ tab: 'accounts', page: await fn(ctx as never) }) });
  }
  const o = listTransactionsQuery(ledger, filter);
  const fn = o.queryFn as QueryFunction<Page<LedgerTransaction>>;
  return queryOptions<LedgerTabPage>({ queryKey: [...o.queryKey, 'tab'], queryFn: async (ctx) => ({ tab: 'transactions', page: await fn(ctx as never) }) });
}

/** Transactions that touch one account (as source or destination), newest first. */
export function accountTransactionsQuery(ledger: string, address: string, page: { cursor?: string; pageSize: number }) {
  return listTransactionsQuery(ledger, { query: JSON.stringify({ $match: { account: address } }), cursor: page.cursor, pageSize: page.pageSize });
}

/** The ledgers (first page of 100) and the selected view: a transaction, an account, or a list. */
export async function loadLedgerPage(queryClient: QueryClient, search: LedgerSearch) {
  const ledgers = await queryClient.ensureQueryData(listLedgersQuery({ pageSize: 100 }));
  const ledger = search.ledger ?? ledgers.data[0]?.name;
  if (!ledger) return;
  if (search.tx) await queryClient.ensureQueryData(transactionQuery(ledger, search.tx));
  else if (search.account)
    await Promise.all([
      queryClient.ensureQueryData(accountQuery(ledger, search.account)),
      queryClient.ensureQueryData(accountTransactionsQuery(ledger, search.account, search)),
    ]);
  else await queryClient.ensureQueryData(ledgerTabQuery(ledger, search));
}

/** A wallet with its balances and first page of transactions. */
export async function loadWallet(queryClient: QueryClient, id: string, page: { cursor?: string; pageSize: number }) {
  await Promise.all([
    queryClient.ensureQueryData(walletQuery(id)),
    queryClient.ensureQueryData(walletBalancesQuery(id)),
    queryClient.ensureQueryData(walletTransactionsQuery({ walletID: id, cursor: page.cursor, pageSize: page.pageSize })),
  ]);
}

export function loadPayment(queryClient: QueryClient, id: string) {
  return queryClient.ensureQueryData(paymentQuery(id));
}

/** Ledger accounts holding a wallet's balances: `wallets:<id without dashes>:<balance>`. */
export function walletAccountsQuery(ledger: string, walletID: string) {
  const prefix = `wallets:${walletID.replaceAll('-', '')}:`;
  return listAccountsQuery(ledger, { query: JSON.stringify({ $match: { address: prefix } }), expand: 'volumes', pageSize: 100 });
}
