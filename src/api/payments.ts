import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from './client';
import { compact } from './meta';
import type { Page, PageParams, Payment, TransferInitiation } from './types';
import type { components } from './generated/sandbox';

export const paymentKeys = {
  all: ['payments'] as const,
  lists: () => [...paymentKeys.all, 'list'] as const,
  list: (page: PageParams) => [...paymentKeys.lists(), compact(page)] as const,
  details: () => [...paymentKeys.all, 'detail'] as const,
  detail: (id: string) => [...paymentKeys.details(), id] as const,
  connectors: () => [...paymentKeys.all, 'connectors'] as const,
  transferLists: () => [...paymentKeys.all, 'transfers', 'list'] as const,
  transferList: (page: PageParams & { reference?: string }) => [...paymentKeys.transferLists(), compact(page)] as const,
  transfer: (id: string) => [...paymentKeys.all, 'transfers', 'detail', id] as const,
};

export function listPaymentsQuery(page: PageParams = {}) {
  return queryOptions({
    queryKey: paymentKeys.list(page),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/payments/payments', { params: { query: compact(page) }, signal })).then((r) => r.cursor as Page<Payment>),
  });
}

export function paymentQuery(id: string) {
  return queryOptions({
    queryKey: paymentKeys.detail(id),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/payments/payments/{paymentId}', { params: { path: { paymentId: id } }, signal })).then((r) => r.data),
  });
}

export function connectorsQuery() {
  return queryOptions({
    queryKey: paymentKeys.connectors(),
    queryFn: ({ signal }) => data(api().sandbox.GET('/api/payments/connectors', { signal })).then((r) => r.data),
    staleTime: 60_000,
  });
}

export function listTransferInitiationsQuery(page: PageParams & { reference?: string } = {}) {
  return queryOptions({
    queryKey: paymentKeys.transferList(page),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/payments/transfer-initiations', { params: { query: compact(page) }, signal })).then((r) => r.cursor as Page<TransferInitiation>),
  });
}

export function transferInitiationQuery(id: string) {
  return queryOptions({
    queryKey: paymentKeys.transfer(id),
    queryFn: ({ signal }) =>
      data(api().sandbox.GET('/api/payments/transfer-initiations/{transferId}', { params: { path: { transferId: id } }, signal })).then((r) => r.data),
  });
}

export function useCreateTransferInitiation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: components['schemas']['TransferInitiationRequest']) =>
      data(api().sandbox.POST('/api/payments/transfer-initiations', { body })).then((r) => r.data),
    meta: { success: 'Transfer initiated', error: 'Could not initiate the transfer' },
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: paymentKeys.transferLists() }), qc.invalidateQueries({ queryKey: paymentKeys.lists() })]),
  });
}
