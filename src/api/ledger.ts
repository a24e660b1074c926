import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from './client';
import { compact } from './meta';
import type { Ledger, LedgerAccount, LedgerTransaction, Page, PageParams, PostTransaction } from './types';

export interface LedgerListFilter extends PageParams {
  /** JSON filter in the ledger query language, e.g. `{"$match":{"address":"users:"}}`. */
  query?: string;
  /** `volumes` to include balances. */
  expand?: string;
}

export const ledgerKeys = {
  all: ['ledger'] as const,
  lists: () => [...ledgerKeys.all, 'list'] as const,
  list: (page: PageParams) => [...ledgerKeys.lists(), compact(page)] as const,
  details: () => [...ledgerKeys.all, 'detail'] as const,
  detail: (ledger: string) => [...ledgerKeys.details(), ledger] as const,
  accountLists: (ledger: string) => [...ledgerKeys.detail(ledger), 'accounts', 'list'] as const,
  accountList: (ledger: string, filter: LedgerListFilter) => [...ledgerKeys.accountLists(ledger), compact(filter)] as const,
  account: (ledger: string, address: string) => [...ledgerKeys.detail(ledger), 'accounts', 'detail', address] as const,
  transactionLists: (ledger: string) => [...ledgerKeys.detail(ledger), 'transactions', 'list'] as const,
  transactionList: (ledger: string, filter: LedgerListFilter) => [...ledgerKeys.transactionLists(ledger), compact(filter)] as const,
  transaction: (ledger: string, id: string) => [...ledgerKeys.detail(ledger), 'transactions', 'detail', id] as const,
  balances: (ledger: string, query?: string) => [...ledgerKeys.detail(ledger), 'balances', query ?? ''] as const,
};

export function listLedgersQuery(page: PageParams = {}) {
  return queryOptions({
    queryKey: ledgerKeys.list(page),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/ledger/v2', { params: { query: compact(page) }, signal })).then((r) => r.cursor as Page<Ledger>),
  });
}

export function listAccountsQuery(ledger: string, filter: LedgerListFilter = {}) {
  return queryOptions({
    queryKey: ledgerKeys.accountList(ledger, filter),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/ledger/v2/{ledger}/accounts', { params: { path: { ledger }, query: compact(filter) }, signal })).then(
        (r) => r.cursor as Page<LedgerAccount>,
      ),
  });
}

export function accountQuery(ledger: string, address: string) {
  return queryOptions({
    queryKey: ledgerKeys.account(ledger, address),
    queryFn: ({ signal }) =>
      data(
        api().sandbox.GET('/api/ledger/v2/{ledger}/accounts/{address}', {
          params: { path: { ledger, address }, query: { expand: 'volumes' } },
          signal,
        }),
      ).then((r) => r.data),
  });
}

export function listTransactionsQuery(ledger: string, filter: LedgerListFilter = {}) {
  return queryOptions({
    queryKey: ledgerKeys.transactionList(ledger, filter),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/ledger/v2/{ledger}/transactions', { params: { path: { ledger }, query: compact(filter) }, signal })).then(
        (r) => r.cursor as Page<LedgerTransaction>,
      ),
  });
}

export function transactionQuery(ledger: string, id: string) {
  return queryOptions({
    queryKey: ledgerKeys.transaction(ledger, id),
    queryFn: ({ signal }) =>
      data(
        api().sandbox.GET('/api/ledger/v2/{ledger}/transactions/{id}', {
          params: { path: { ledger, id: Number(id) }, query: { expand: 'volumes' } },
          signal,
        }),
      ).then((r) => r.data),
  });
}

export function aggregatedBalancesQuery(ledger: string, query?: string) {
  return queryOptions({
    queryKey: ledgerKeys.balances(ledger, query),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/ledger/v2/{ledger}/aggregate/balances', { params: { path: { ledger }, query: compact({ query }) }, signal })).then((r) => r.data),
  });
}

export function useCreateTransaction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (args: { ledger: string; body: PostTransaction }) =>
      data(api().sandbox.POST('/api/ledger/v2/{ledger}/transactions', { params: { path: { ledger: args.ledger } }, body: args.body })).then((r) => r.data),
    meta: { success: 'Transaction committed', error: 'Could not create the transaction' },
    // Balances of every touched account change: refresh the whole ledger.
    onSuccess: (_, args) => qc.invalidateQueries({ queryKey: ledgerKeys.detail(args.ledger) }),
  });
}

export function useAddAccountMetadata() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (args: { ledger: string; address: string; metadata: Record<string, string> }) =>
      data(
        api().sandbox.POST('/api/ledger/v2/{ledger}/accounts/{address}/metadata', {
          params: { path: { ledger: args.ledger, address: args.address } },
          body: args.metadata,
        }),
      ),
    meta: { success: 'Metadata saved', error: 'Could not save the metadata' },
    onSuccess: (_, args) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ledgerKeys.accountLists(args.ledger) }),
        qc.invalidateQueries({ queryKey: ledgerKeys.account(args.ledger, args.address) }),
      ]),
  });
}
