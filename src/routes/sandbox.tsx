import { createFileRoute, Outlet } from '@tanstack/react-router';

export const Route = createFileRoute('/sandbox')({
  staticData: { crumb: 'Sandbox' },
  component: Outlet,
});
