import { createFileRoute } from '@tanstack/react-router';

// No component: a route without one renders its children (an Outlet), and needs no lazy chunk of
// its own (a request of ~900 bytes, nearly all headers, on every first load below it).

export const Route = createFileRoute('/instances')({
  staticData: { crumb: 'Instances' },
});
