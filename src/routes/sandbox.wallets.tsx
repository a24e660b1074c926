/**
 * /sandbox/wallets — wallets and their balances (embedded sandbox, or the stack's wallets in
 * remote mode). Deep links (e.g. from an instance's stage history):
 *   ?name=alice                  wallets with this exact name
 *   ?wallet=<wallet id>          one wallet: every balance per asset, metadata, its transactions
 *   ?cursor=&pageSize=&sort=     paging of the list (or of the wallet's transactions)
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { listWalletsQuery } from '../api/wallets';
import { pageSearch, textParam, v } from '../lib/search';
import { loadWallet } from '../features/sandbox/queries';
import { WalletsPage } from '../features/sandbox/WalletsPage';

const searchSchema = v.object({ name: textParam, wallet: textParam, ...pageSearch });

export const Route = createFileRoute('/sandbox/wallets')({
  staticData: { crumb: 'Wallets' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15 })] },
  loaderDeps: ({ search: { name, wallet, cursor, pageSize } }) => ({ name, wallet, cursor, pageSize }),
  loader: ({ context: { queryClient }, deps: { wallet, ...list } }) =>
    wallet ? loadWallet(queryClient, wallet, list) : queryClient.ensureQueryData(listWalletsQuery(list)),
  component: WalletsPage,
});
