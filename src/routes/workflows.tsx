import { createFileRoute, Outlet } from '@tanstack/react-router';

export const Route = createFileRoute('/workflows')({
  staticData: { crumb: 'Workflows' },
  component: Outlet,
});
