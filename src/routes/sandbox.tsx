import { createFileRoute, Outlet } from '@tanstack/react-router';

export const Route = createFileRoute('/sandbox')({
  staticData: { crumb: 'Sandbox', remoteCrumb: 'Stack data' },
  component: Outlet,
});
