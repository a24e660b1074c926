import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { connectorsQuery, listPaymentsQuery, listTransferInitiationsQuery } from '../api/payments';
import { enumParam, pageSearch } from '../lib/search';
import { PaymentsPage } from '../features/sandbox/PaymentsPage';

const searchSchema = z.object({
  tab: enumParam(['payments', 'transfers', 'connectors'], 'payments'),
  ...pageSearch,
});

export const Route = createFileRoute('/sandbox/payments')({
  staticData: { crumb: 'Payments' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15, tab: 'payments' })] },
  loaderDeps: ({ search: { tab, cursor, pageSize } }) => ({ tab, cursor, pageSize }),
  loader: ({ context: { queryClient }, deps: { tab, ...page } }) =>
    tab === 'connectors'
      ? queryClient.ensureQueryData(connectorsQuery())
      : tab === 'transfers'
        ? queryClient.ensureQueryData(listTransferInitiationsQuery(page))
        : queryClient.ensureQueryData(listPaymentsQuery(page)),
  component: PaymentsPage,
});
