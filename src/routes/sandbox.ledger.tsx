/**
 * /sandbox/ledger — ledgers, accounts and transactions (embedded sandbox, or the stack's ledger in
 * remote mode: same API). Deep links (e.g. from an instance's stage history):
 *   ?ledger=main                          accounts of ledger `main` (default: the first ledger)
 *   ?ledger=main&tab=transactions         its transactions, newest first
 *   ?ledger=main&address=users:           accounts matching an address pattern (transactions tab: touching that account)
 *   ?ledger=main&account=users:001        one account: balances per asset, metadata, its transactions
 *   ?ledger=main&tx=42                    one transaction: postings, metadata, balances after it
 *   ?ledger=main&account=users:001&tx=42  the same transaction, with "back" leading to the account
 *   ?cursor=&pageSize=&sort=              paging of the list shown
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { enumParam, int, optionalParam, pageSearch, textParam, v } from '../lib/search';
import { loadLedgerPage } from '../features/sandbox/queries';
import { LedgerPage } from '../features/sandbox/LedgerPage';

const searchSchema = v.object({
  ledger: textParam,
  tab: enumParam(['accounts', 'transactions'], 'accounts'),
  address: textParam,
  account: textParam,
  /** A number, so links read `tx=42` (ids beyond 2^53 stay text). */
  tx: optionalParam(v.union([int(0), v.pipe(v.string(), v.regex(/^\d+$/))])),
  ...pageSearch,
});

export const Route = createFileRoute('/sandbox/ledger')({
  staticData: { crumb: 'Ledger' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15, tab: 'accounts' })] },
  loaderDeps: ({ search: { ledger, tab, address, account, tx, cursor, pageSize } }) => ({
    ledger,
    tab,
    address,
    account,
    tx: tx === undefined ? undefined : String(tx),
    cursor,
    pageSize,
  }),
  loader: ({ context: { queryClient }, deps }) => loadLedgerPage(queryClient, deps),
  component: LedgerPage,
});
