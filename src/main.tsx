import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { consoleInfoQuery } from './api/info';
import { liveStream } from './api/live';
import { createQueryClient } from './queryClient';
import { createAppRouter } from './router';
import { startThemeSync } from './components/layout/theme';
import './styles.css';

// Apply the theme before the first render so the page never flashes the wrong colours.
startThemeSync();

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);
// One live-update stream for the tab, carrying what the open views watch.
liveStream.attach(queryClient);

// The console's mode, asked for first: the header shows it, and the Instances list's first request
// depends on it (a page's other requests would otherwise go ahead of it).
void queryClient.prefetchQuery(consoleInfoQuery());
// Matching the URL and starting its loaders before the first render: that render shows the page
// (or its pending state) instead of an empty frame, then a second one when the router starts.
void router.load();

const root = createRoot(document.getElementById('root')!);
// A transition: React renders the first frame in short tasks instead of one long one.
startTransition(() =>
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  ),
);
