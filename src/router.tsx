import { createRouter } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { routeTree } from './routeTree.gen';
import { RouteError } from './components/layout/RouteError';
import { NotFound } from './components/layout/NotFound';
import { PageSkeleton } from './components/states';

export interface RouterContext {
  queryClient: QueryClient;
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Freshness is TanStack Query's job: loaders always go through ensureQueryData.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: () => <PageSkeleton />,
    defaultPendingMs: 150,
    defaultPendingMinMs: 200,
    defaultErrorComponent: RouteError,
    defaultNotFoundComponent: NotFound,
    scrollRestoration: true,
    // Pages scroll inside <main>, not the window: a new page starts at its top (it used to keep the
    // previous page's offset), and Back restores where it was. Links that only change a page's
    // own search params mid-page (a stage of the timeline) pass resetScroll={false}.
    scrollToTopSelectors: ['#main'],
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
  interface StaticDataRouteOption {
    /** Breadcrumb label: text, or computed from the route params. */
    crumb?: string | ((params: Record<string, string>) => string);
  }
}
