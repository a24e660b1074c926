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
  // Pages scroll inside <main>, not the window. A new page starts at its top (it used to keep the
  // previous page's offset); a change of the same page's search params (filters, a stage of the
  // timeline, "load more") keeps it; Back restores where it was.
  let pathChanged = true;
  const router = createRouter({
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
    scrollToTopSelectors: [() => (pathChanged ? document.getElementById('main') : null)],
  });
  router.subscribe('onBeforeLoad', (event) => {
    pathChanged = event.pathChanged;
  });
  return router;
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
  interface StaticDataRouteOption {
    /** Breadcrumb label: text, or computed from the route params. */
    crumb?: string | ((params: Record<string, string>) => string);
    /** The label in remote mode, when it differs (the sandbox section shows the stack's data there). */
    remoteCrumb?: string;
  }
}
