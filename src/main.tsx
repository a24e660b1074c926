import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
