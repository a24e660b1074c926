import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { enumParam, pageSearch, textParam } from '../lib/search';
import { loadLedgerPage } from '../features/sandbox/queries';
import { LedgerPage } from '../features/sandbox/LedgerPage';

const searchSchema = z.object({
  ledger: textParam,
  tab: enumParam(['accounts', 'transactions'], 'accounts'),
  address: textParam,
  ...pageSearch,
});

export const Route = createFileRoute('/sandbox/ledger')({
  staticData: { crumb: 'Ledger' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15, tab: 'accounts' })] },
  loaderDeps: ({ search: { ledger, tab, address, cursor, pageSize } }) => ({ ledger, tab, address, cursor, pageSize }),
  loader: ({ context: { queryClient }, deps }) => loadLedgerPage(queryClient, deps),
  component: LedgerPage,
});
