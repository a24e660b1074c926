/**
 * /sandbox/payments — connectors, payments and transfer initiations (embedded sandbox, or the
 * stack's payments in remote mode). Deep links (e.g. from an instance's stage history):
 *   ?tab=payments (default) | transfers | connectors
 *   ?payment=<payment id>        one payment: amounts, status, adjustments, metadata, raw data
 *   ?transfer=<transfer id>      one transfer initiation (payout): status, amounts, its payments
 *   ?tab=transfers&reference=<r> the transfer with this reference (a workflow's payout)
 *   ?cursor=&pageSize=&sort=     paging of the list shown
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { connectorsQuery, listPaymentsQuery, listTransferInitiationsQuery, transferInitiationQuery } from '../api/payments';
import { enumParam, pageSearch, textParam, v } from '../lib/search';
import { loadPayment } from '../features/sandbox/queries';
import { PaymentsPage } from '../features/sandbox/PaymentsPage';

const searchSchema = v.object({
  tab: enumParam(['payments', 'transfers', 'connectors'], 'payments'),
  payment: textParam,
  transfer: textParam,
  reference: textParam,
  ...pageSearch,
});

export const Route = createFileRoute('/sandbox/payments')({
  staticData: { crumb: 'Payments' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15, tab: 'payments' })] },
  loaderDeps: ({ search: { tab, payment, transfer, reference, cursor, pageSize } }) => ({ tab, payment, transfer, reference, cursor, pageSize }),
  loader: ({ context: { queryClient }, deps: { tab, payment, transfer, reference, ...page } }) =>
    payment
      ? loadPayment(queryClient, payment)
      : transfer
        ? queryClient.ensureQueryData(transferInitiationQuery(transfer))
        : tab === 'connectors'
          ? queryClient.ensureQueryData(connectorsQuery())
          : tab === 'transfers'
            ? queryClient.ensureQueryData(listTransferInitiationsQuery(reference ? { reference } : page))
            : queryClient.ensureQueryData(listPaymentsQuery(page)),
  component: PaymentsPage,
});
