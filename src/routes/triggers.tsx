import { createFileRoute, Outlet } from '@tanstack/react-router';

export const Route = createFileRoute('/triggers')({
  staticData: { crumb: 'Triggers' },
  component: Outlet,
});
