import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from './client';
import { ledgerKeys } from './ledger';
import { compact } from './meta';
import type { Monetary, Page, PageParams, Subject, Wallet, WalletBalance, WalletTransaction } from './types';

export interface WalletListFilter extends PageParams {
  name?: string;
}

export const walletKeys = {
  all: ['wallets'] as const,
  lists: () => [...walletKeys.all, 'list'] as const,
  list: (filter: WalletListFilter) => [...walletKeys.lists(), compact(filter)] as const,
  details: () => [...walletKeys.all, 'detail'] as const,
  detail: (id: string) => [...walletKeys.details(), id] as const,
  balances: (id: string) => [...walletKeys.detail(id), 'balances'] as const,
  transactions: (filter: { walletID?: string } & PageParams) => [...walletKeys.all, 'transactions', compact(filter)] as const,
};

/** One page of wallets, with their main balance expanded. */
export function listWalletsQuery(filter: WalletListFilter = {}) {
  return queryOptions({
    queryKey: walletKeys.list(filter),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/wallets/wallets', { params: { query: { ...compact(filter), expand: 'balances' } }, signal })).then((r) => r.cursor as Page<Wallet>),
  });
}

export function walletQuery(id: string) {
  return queryOptions({
    queryKey: walletKeys.detail(id),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/wallets/wallets/{id}', { params: { path: { id } }, signal })).then((r) => r.data),
  });
}

export function walletBalancesQuery(id: string) {
  return queryOptions({
    queryKey: walletKeys.balances(id),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/wallets/wallets/{id}/balances', { params: { path: { id } }, signal })).then((r) => r.cursor as Page<WalletBalance>),
  });
}

export function walletTransactionsQuery(filter: { walletID?: string } & PageParams = {}) {
  return queryOptions({
    queryKey: walletKeys.transactions(filter),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/wallets/transactions', { params: { query: compact(filter) }, signal })).then((r) => r.cursor as Page<WalletTransaction>),
  });
}

function invalidateWallet(qc: ReturnType<typeof useQueryClient>, id?: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: walletKeys.lists() }),
    qc.invalidateQueries({ queryKey: [...walletKeys.all, 'transactions'] }),
    id ? qc.invalidateQueries({ queryKey: walletKeys.detail(id) }) : undefined,
    // Wallets live on the ledger: its accounts and transactions changed too.
    qc.invalidateQueries({ queryKey: ledgerKeys.all }),
  ]);
}

export function useCreateWallet() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; metadata: Record<string, string> }) => data(api().sandbox.POST('/api/wallets/wallets', { body })).then((r) => r.data),
    meta: { success: 'Wallet created', error: 'Could not create the wallet' },
    onSuccess: (wallet) => invalidateWallet(qc, wallet.id),
  });
}

export function useCreditWallet() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: string; amount: Monetary; balance?: string; sources?: Subject[]; metadata?: Record<string, string> }) =>
      data(
        api().sandbox.POST('/api/wallets/wallets/{id}/credit', {
          params: { path: { id: args.id } },
          body: compact({ amount: args.amount, balance: args.balance, sources: args.sources, metadata: args.metadata ?? {} }),
        }),
      ),
    meta: { success: 'Wallet credited', error: 'Could not credit the wallet' },
    onSuccess: (_, args) => invalidateWallet(qc, args.id),
  });
}

export function useDebitWallet() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: string; amount: Monetary; balances?: string[]; destination?: Subject; metadata?: Record<string, string> }) =>
      data(
        api().sandbox.POST('/api/wallets/wallets/{id}/debit', {
          params: { path: { id: args.id } },
          body: compact({ amount: args.amount, balances: args.balances, destination: args.destination, metadata: args.metadata ?? {} }),
        }),
      ),
    meta: { success: 'Wallet debited', error: 'Could not debit the wallet' },
    onSuccess: (_, args) => invalidateWallet(qc, args.id),
  });
}
