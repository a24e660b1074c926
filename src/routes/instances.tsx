import { createFileRoute, Outlet } from '@tanstack/react-router';

export const Route = createFileRoute('/instances')({
  staticData: { crumb: 'Instances' },
  component: Outlet,
});
