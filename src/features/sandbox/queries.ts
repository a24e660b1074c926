/** Query choices shared by sandbox route loaders and components (no UI imports). */
import { queryOptions, type QueryClient, type QueryFunction } from '@tanstack/react-query';
import { listAccountsQuery, listLedgersQuery, listTransactionsQuery } from '../../api/ledger';
import type { LedgerAccount, LedgerTransaction, Page } from '../../api/types';

export interface LedgerSearch {
  ledger?: string;
  tab: 'accounts' | 'transactions';
  address?: string;
  cursor?: string;
  pageSize: number;
}

export type LedgerTabPage = { tab: 'accounts'; page: Page<LedgerAccount> } | { tab: 'transactions'; page: Page<LedgerTransaction> };

/** Accounts (with balances) or transactions of one ledger; `address` filters by address pattern.
 * Cached under the list key + `tab` (its own shape), so ledger invalidations still reach it. */
export function ledgerTabQuery(ledger: string, search: LedgerSearch) {
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

/** The ledgers (first page of 100) and the selected ledger's tab; the first ledger when none is chosen. */
export async function loadLedgerPage(queryClient: QueryClient, search: LedgerSearch) {
  const ledgers = await queryClient.ensureQueryData(listLedgersQuery({ pageSize: 100 }));
  const ledger = search.ledger ?? ledgers.data[0]?.name;
  if (ledger) await queryClient.ensureQueryData(ledgerTabQuery(ledger, search));
}
