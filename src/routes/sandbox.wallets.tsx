import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { z } from 'zod/mini';
import { listWalletsQuery } from '../api/wallets';
import { pageSearch, textParam } from '../lib/search';
import { WalletsPage } from '../features/sandbox/WalletsPage';

const searchSchema = z.object({ name: textParam, ...pageSearch });

export const Route = createFileRoute('/sandbox/wallets')({
  staticData: { crumb: 'Wallets' },
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ pageSize: 15 })] },
  loaderDeps: ({ search: { name, cursor, pageSize } }) => ({ name, cursor, pageSize }),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(listWalletsQuery(deps)),
  component: WalletsPage,
});
